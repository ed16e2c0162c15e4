package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.testing.GradCheck;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * median, nanmedian, kthvalue and mode against PyTorch fixtures (tools/fixtures/fx_order_stats.py), ties and NaNs
 * included; then what the fixtures do not show: grad_fn names, second derivatives, saved-tensor checks.
 */
class OrderStatisticsTest {

    @TestFactory
    Stream<DynamicTest> orderStatistics() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("median", (x, k) -> k.has("dim") ? x[0].median(k.i("dim"), k.b("keepdim")) : x[0].median()),
                entry("nanmedian", (x, k) -> k.has("dim") ? x[0].nanmedian(k.i("dim"), k.b("keepdim")) : x[0].nanmedian()),
                entry("kthvalue", (x, k) -> x[0].kthvalue(k.i("k"), k.i("dim"), k.b("keepdim"))),
                entry("kthvalue_last", (x, k) -> x[0].kthvalue(k.i("k"))),
                entry("mode", (x, k) -> x[0].mode(k.i("dim"), k.b("keepdim"))),
                entry("mode_last", (x, k) -> x[0].mode()),
                entry("unique", (x, k) -> x[0].unique(k.b("sorted"), k.b("return_inverse"), k.b("return_counts")).tensors()),
                entry("unique_consecutive", (x, k) -> x[0].uniqueConsecutive(k.b("return_inverse"), k.b("return_counts")).tensors()),
                entry("unique_after", (x, k) -> (switch (k.s("fn")) {
                    case "log" -> x[0].log();
                    case "log2" -> x[0].log2();
                    case "log10" -> x[0].log10();
                    default -> x[0].asin();
                }).unique(false, true, true).tensors()),
                entry("unique_dim", (x, k) -> x[0].unique(true, k.b("return_inverse"), k.b("return_counts"), k.i("dim")).tensors()),
                entry("unique_consecutive_dim", (x, k) -> x[0].uniqueConsecutive(k.b("return_inverse"), k.b("return_counts"), k.i("dim")).tensors()));
        return OpCases.run("order_stats", ops);
    }

    private static Tensor x() { return Tensor.randn(new Generator(11), new int[] {3, 5}, DType.FLOAT64).requiresGrad_(); }

    /** As {@code x.median().grad_fn} prints them in PyTorch 1.13. */
    @TestFactory
    Stream<DynamicTest> gradFnNames() {
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        ops.put("MedianBackward0", Tensor::median);
        ops.put("NanmedianBackward0", Tensor::nanmedian);
        ops.put("MedianBackward1", t -> t.median(1).values());
        ops.put("NanmedianBackward1", t -> t.nanmedian(0, true).values());
        ops.put("KthvalueBackward0", t -> t.kthvalue(2).values());
        ops.put("ModeBackward0", t -> t.mode(0).values());
        ops.put("Unique2Backward0", Tensor::unique);
        ops.put("UniqueConsecutiveBackward0", Tensor::uniqueConsecutive);
        return ops.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertThat(e.getValue().apply(x()).gradFn().name()).isEqualTo(e.getKey())));
    }

    @Test
    void indicesAreInt64AndNotDifferentiable() {
        Tensor t = x();
        for (Tensor.ValuesIndices vi : List.of(t.median(1), t.nanmedian(0), t.kthvalue(3, 1, true), t.mode(1))) {
            assertThat(vi.indices().dtype()).isEqualTo(DType.INT64);
            assertThat(vi.indices().requiresGrad()).isFalse();
            assertThat(vi.values().requiresGrad()).isTrue();
        }
    }

    @TestFactory
    Stream<DynamicTest> secondDerivatives() {
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        ops.put("median then square", t -> t.median().square());
        ops.put("median(dim) then square", t -> t.median(1).values().square());
        ops.put("nanmedian(dim, keepdim) then exp", t -> t.nanmedian(0, true).values().exp());
        ops.put("kthvalue then square", t -> t.kthvalue(4, 1).values().square());
        return ops.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Tensor probe = e.getValue().apply(x());
            Tensor w = Tensor.randn(new Generator(3), probe.shape(), DType.FLOAT64);
            GradCheck.check(in -> List.of(Autograd.grad(new Tensor[] {e.getValue().apply(in[0])}, new Tensor[] {in[0]}, new Tensor[] {w}, true, true)[0]), x());
        }));
    }

    @Test
    void writingToTheReturnedIndicesBreaksBackward() {
        // the returned indices are saved for backward, as in PyTorch, so an in-place change to them is caught; being
        // integer outputs, they name no node in the message
        Map<String, Function<Tensor, Tensor.ValuesIndices>> ops = new LinkedHashMap<>();
        ops.put("[3]", t -> t.kthvalue(2, 1));
        ops.put("[1, 5]", t -> t.median(0, true));
        ops.put("[3, 1]", t -> t.max(1, true));
        ops.put("[3, 5]", t -> t.sort(1, false));
        ops.forEach((shape, op) -> {
            Tensor.ValuesIndices vi = op.apply(x());
            vi.indices().zero_();
            assertThatThrownBy(() -> vi.values().sum().backward()).hasMessageStartingWith(
                    "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.LongTensor " + shape
                            + "] is at version 1; expected version 0 instead.");
        });
    }

    @Test
    void uniqueHasNoDerivative() {
        assertThatThrownBy(() -> x().unique().sum().backward()).hasMessage("the derivative for '_unique2' is not implemented.");
        assertThatThrownBy(() -> x().uniqueConsecutive().sum().backward()).hasMessage("the derivative for 'unique_consecutive' is not implemented.");
        Tensor.Unique u = x().unique(false, true, true);
        assertThat(u.inverseIndices().requiresGrad()).isFalse();
        assertThat(u.counts().dtype()).isEqualTo(DType.INT64);
    }
}
