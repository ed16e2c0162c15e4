package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.Node;
import dev.ember.testing.GradCheck;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * scatter_reduce and scatter with reduce against PyTorch fixtures (tools/fixtures/fx_scatter_reduce.py), then what
 * they do not show: grad_fn names, PyTorch 1.13's backward failures, second derivatives.
 */
class ScatterReduceTest {

    @TestFactory
    Stream<DynamicTest> scatterReduce() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("scatter_reduce", (x, k) -> x[0].scatterReduce(k.i("dim"), x[1], x[2], k.s("reduce"), k.b("include_self"))),
                entry("scatter_reduce_", (x, k) -> x[0].clone().scatterReduce_(k.i("dim"), x[1], x[2], k.s("reduce"), k.b("include_self"))),
                entry("scatter", (x, k) -> x[0].scatter(k.i("dim"), x[1], x[2], k.s("reduce"))),
                entry("scatter_", (x, k) -> x[0].clone().scatter_(k.i("dim"), x[1], x[2], k.s("reduce"))),
                entry("scatter_reduce_view_", (x, k) -> x[0].scatterReduce_(k.i("dim"), x[1], x[2], k.s("reduce"), k.b("include_self"))),
                entry("scatter_reduce_self_", (x, k) -> x[0].scatterReduce_(k.i("dim"), x[1], x[0], k.s("reduce"), k.b("include_self"))),
                entry("scatter_reduce_unfolded_", (x, k) -> x[0].unfold(0, 3, 1).scatterReduce_(k.i("dim"), x[1], x[2], k.s("reduce"), k.b("include_self"))),
                entry("scatter_view_", (x, k) -> x[0].scatter_(k.i("dim"), x[1], x[2], k.s("reduce"))),
                entry("scatter_value", (x, k) -> k.isInt("value") ? x[0].scatter(k.i("dim"), x[1], k.l("value"), k.s("reduce"))
                        : x[0].scatter(k.i("dim"), x[1], k.d("value"), k.s("reduce"))));
        return OpCases.run("scatter_reduce", ops);
    }

    private static final Tensor INDEX = Tensor.tensor(new long[][] {{0, 1, 0}, {2, 1, 0}, {0, 0, 1}});

    private static Tensor x(int seed, int rows) { return Tensor.randn(new Generator(seed), new int[] {rows, 3}, DType.FLOAT64).requiresGrad_(); }

    @Test
    void aMeanIsAFreshResultAtVersionZero() {
        // PyTorch 1.13: x = torch.zeros(3, requires_grad=True); r = x.scatter_reduce(0, torch.tensor([0, 0]), torch.ones(2), 'mean')
        // r._version == 0; after r.mul_(2), r.sum().backward() fails naming version 1, expected 0
        Tensor x = Tensor.zeros(3).requiresGrad_();
        Tensor r = x.scatterReduce(0, Tensor.fromArray(new long[] {0, 0}, 2), Tensor.ones(2), "mean");
        assertThat(r.version()).isZero();
        r.mul_(2.0);
        assertThatThrownBy(() -> r.sum().backward()).hasMessageContaining("is at version 1; expected version 0 instead.");
    }

    @Test
    void gradFnNames() {
        for (String reduce : List.of("sum", "prod", "mean", "amax", "amin"))
            assertThat(x(1, 3).scatterReduce(0, INDEX, x(2, 3), reduce, false).gradFn().name()).isEqualTo("ScatterReduceBackward0");
        // type(grad_fn).__name__ is NotImplemented; grad_fn.name(), as errors print it, is torch::autograd::NotImplemented
        Node notImplemented = x(1, 3).scatter(0, INDEX, x(2, 3), "add").gradFn();
        assertThat(notImplemented.typeName()).isEqualTo("NotImplemented");
        assertThat(notImplemented.name()).isEqualTo("torch::autograd::NotImplemented");
    }

    @Test
    void scatterWithReduceHasNoDerivative() {
        assertThatThrownBy(() -> x(1, 3).scatter(0, INDEX, x(2, 3), "multiply").sum().backward())
                .hasMessage("derivative for aten::scatter is not implemented");
        assertThatThrownBy(() -> x(1, 3).scatter(0, INDEX, 2.0, "add").sum().backward())
                .hasMessage("derivative for aten::scatter is not implemented");
        // PyTorch: x.mul(1).scatter_(0, index, src, reduce="add").sum().backward() names the in-place op
        assertThatThrownBy(() -> x(1, 3).mul(1.0).scatter_(0, INDEX, x(2, 3), "add").sum().backward())
                .hasMessage("derivative for aten::scatter_ is not implemented");
    }

    @Test
    void srcLargerThanIndexFailsBackwardAsInPyTorch() {
        // PyTorch 1.13's scatter_reduce_backward gives src a gradient of the index's shape, which its engine rejects
        Tensor src = x(2, 4);
        Tensor r = x(1, 3).scatterReduce(0, INDEX, src, "sum");
        assertThatThrownBy(() -> r.sum().backward())
                .hasMessage("Function ScatterReduceBackward0 returned an invalid gradient at index 1 - got [3, 3] but expected shape compatible with [4, 3]");
    }

    @Test
    void inPlaceOnAViewNamesCopySlicesInTheInvalidGradientError() {
        // PyTorch: base = torch.zeros(3, 2).t(); base.scatter_reduce_(0, torch.tensor([[0, 1, 0]]), src, "sum"); base.sum().backward()
        Tensor src = Tensor.ones(4, 3).requiresGrad_();
        Tensor view = Tensor.zeros(3, 2).t();
        view.scatterReduce_(0, Tensor.tensor(new long[][] {{0, 1, 0}}), src, "sum");
        assertThatThrownBy(() -> view.sum().backward())
                .hasMessage("Function torch::autograd::CopySlices returned an invalid gradient at index 1 - got [1, 3] but expected shape compatible with [4, 3]");
    }

    @TestFactory
    Stream<DynamicTest> secondDerivatives() {
        return Stream.of("sum", "prod", "mean", "amax", "amin").map(reduce -> DynamicTest.dynamicTest(reduce, () -> {
            Tensor self = x(5, 3), src = x(6, 3);
            Tensor w = Tensor.randn(new Generator(3), new int[] {3, 3}, DType.FLOAT64);
            GradCheck.check(in -> List.of(Autograd.grad(new Tensor[] {in[0].scatterReduce(0, INDEX, in[1], reduce, false)}, new Tensor[] {in[0], in[1]},
                    new Tensor[] {w}, true, true)), self, src);
        }));
    }

    @Test
    void inPlaceKeepsTheOriginalSelfForBackward() {
        // PyTorch: a = torch.tensor([1., 2., 3.]); a.scatter_reduce_(0, idx, src, "prod") with only src requiring grad
        Tensor a = Tensor.tensor(new double[] {1, 2, 3});
        Tensor src = Tensor.tensor(new double[] {4, 5, 6}).requiresGrad_();
        a.scatterReduce_(0, Tensor.tensor(new long[] {0, 0, 2}), src, "prod");
        a.sum().backward();
        assertThat(a.toDoubleArray()).containsExactly(20, 2, 18);
        assertThat(src.grad().toDoubleArray()).containsExactly(5, 4, 3);
        assertThat(a.gradFn().name()).isEqualTo("ScatterReduceBackward0");
    }
}
