package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.testing.GradCheck;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** cummax, cummin and logcumsumexp against PyTorch fixtures (tools/fixtures/fx_cumulative.py); names and second derivatives. */
class CumulativeTest {

    @TestFactory
    Stream<DynamicTest> cumulative() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("cummax", (x, k) -> x[0].cummax(k.i("dim"))),
                entry("cummin", (x, k) -> x[0].cummin(k.i("dim"))),
                entry("logcumsumexp", (x, k) -> x[0].logcumsumexp(k.i("dim"))));
        return OpCases.run("cumulative", ops);
    }

    private static Tensor x() { return Tensor.randn(new Generator(5), new int[] {3, 4}, DType.FLOAT64).requiresGrad_(); }

    @Test
    void gradFnNames() {
        assertThat(x().cummax(1).values().gradFn().name()).isEqualTo("CummaxBackward0");
        assertThat(x().cummin(0).values().gradFn().name()).isEqualTo("CumminBackward0");
        assertThat(x().logcumsumexp(1).gradFn().name()).isEqualTo("LogcumsumexpBackward0");
        assertThat(x().cummax(1).indices().requiresGrad()).isFalse();
    }

    @Test
    void cummaxAndCumminSaveTheirInput() {
        // PyTorch: y = x.mul(1); v, i = y.cummin(0); y.add_(1); v.sum().backward() (likewise cummax): the formula names self
        String error = "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2, 2]], which is "
                + "output 0 of AddBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed "
                + "to compute its gradient, with torch.autograd.set_detect_anomaly(True).";
        for (boolean max : new boolean[] {true, false}) {
            Tensor y = Tensor.tensor(new float[][] {{3, 1}, {2, 4}}).requiresGrad_().mul(1.0);
            Tensor v = max ? y.cummax(1).values() : y.cummin(0).values();
            y.add_(1.0);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> v.sum().backward()).hasMessage(error);
        }
    }

    @TestFactory
    Stream<DynamicTest> secondDerivatives() {
        Map<String, Function<Tensor, Tensor>> ops = Map.of(
                "cummax then square", t -> t.cummax(1).values().square(),
                "cummin then exp", t -> t.cummin(0).values().exp(),
                "logcumsumexp", t -> t.logcumsumexp(1));
        return ops.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Tensor w = Tensor.randn(new Generator(3), new int[] {3, 4}, DType.FLOAT64);
            GradCheck.check(in -> List.of(Autograd.grad(new Tensor[] {e.getValue().apply(in[0])}, new Tensor[] {in[0]}, new Tensor[] {w}, true, true)[0]), x());
        }));
    }
}
