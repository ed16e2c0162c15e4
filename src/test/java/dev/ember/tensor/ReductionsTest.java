package dev.ember.tensor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;
import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;

/** Reductions, softmax and scans against PyTorch fixtures (tools/fixtures/fx_reductions.py). */
class ReductionsTest {

    @TestFactory
    Stream<DynamicTest> reductions() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("sum", (x, k) -> dims(k) == null ? keepAll(x[0], k, x[0].sum()) : x[0].sum(dims(k), k.b("keepdim"))),
                entry("mean", (x, k) -> dims(k) == null ? x[0].mean() : x[0].mean(dims(k), k.b("keepdim"))),
                entry("prod", (x, k) -> x[0].prod()),
                entry("prod_dim", (x, k) -> x[0].prod(k.i("dim"), k.b("keepdim"))),
                entry("max", (x, k) -> x[0].max()),
                entry("min", (x, k) -> x[0].min()),
                entry("max_dim", (x, k) -> x[0].max(k.i("dim"), k.b("keepdim"))),
                entry("min_dim", (x, k) -> x[0].min(k.i("dim"), k.b("keepdim"))),
                entry("amax", (x, k) -> x[0].amax(k.ints("dim"), k.b("keepdim"))),
                entry("amin", (x, k) -> x[0].amin(k.ints("dim"), k.b("keepdim"))),
                entry("argmax", (x, k) -> k.has("dim") ? x[0].argmax(k.i("dim"), k.b("keepdim")) : Reductions.argmax(x[0], null, k.b("keepdim"))),
                entry("argmin", (x, k) -> k.has("dim") ? x[0].argmin(k.i("dim"), k.b("keepdim")) : Reductions.argmin(x[0], null, k.b("keepdim"))),
                entry("var", (x, k) -> x[0].var(dims(k), k.d("correction"), k.b("keepdim"))),
                entry("std", (x, k) -> x[0].std(dims(k), k.d("correction"), k.b("keepdim"))),
                entry("var_unbiased", (x, k) -> x[0].var(k.i("dim"), k.b("unbiased"), k.b("keepdim"))),
                entry("std_unbiased", (x, k) -> x[0].std(k.i("dim"), k.b("unbiased"), k.b("keepdim"))),
                entry("norm", (x, k) -> dims(k) == null ? x[0].norm(p(k)) : x[0].norm(p(k), dims(k), k.b("keepdim"))),
                entry("vector_norm", checkingLayout((x, k) -> k.has("dtype") ? x[0].vectorNorm(ord(k), dims(k), k.b("keepdim"), DType.fromName(k.s("dtype")))
                        : x[0].vectorNorm(ord(k), dims(k), k.b("keepdim")))),
                entry("matrix_norm", checkingLayout((x, k) -> ord(k) == null ? x[0].matrixNorm(k.s("ord"), k.ints("dim"), k.b("keepdim"))
                        : x[0].matrixNorm(ord(k), k.ints("dim"), k.b("keepdim")))),
                entry("softmax", (x, k) -> x[0].softmax(k.i("dim"))),
                entry("log_softmax", (x, k) -> x[0].logSoftmax(k.i("dim"))),
                entry("logsumexp", (x, k) -> x[0].logsumexp(k.ints("dim"), k.b("keepdim"))),
                entry("cumsum", (x, k) -> x[0].cumsum(k.i("dim"))),
                entry("cumprod", (x, k) -> x[0].cumprod(k.i("dim"))),
                entry("cumsum_dtype", (x, k) -> x[0].cumsum(k.i("dim"), DType.fromName(k.s("dtype")))),
                entry("cumprod_dtype", (x, k) -> x[0].cumprod(k.i("dim"), DType.fromName(k.s("dtype")))),
                entry("all", (x, k) -> k.has("dim") ? x[0].all(k.i("dim"), k.b("keepdim")) : x[0].all()),
                entry("any", (x, k) -> k.has("dim") ? x[0].any(k.i("dim"), k.b("keepdim")) : x[0].any()));
        return OpCases.run("reductions", ops);
    }

    private static int[] dims(Kw k) { return k.has("dim") ? k.ints("dim") : null; }

    /** The fixtures' {@code dim=None, keepdim=True} spells every dim explicitly; sum() has no keepdim form. */
    private static Tensor keepAll(Tensor x, Kw k, Tensor all) { return k.b("keepdim") ? x.sum(Reductions.reduceDims(null, x.dim()), true) : all; }

    /** vector_norm's and matrix_norm's ord: a number (infinities sent as strings), or null for a name ("fro"). */
    private static Double ord(Kw k) {
        String s = k.s("ord");
        try {
            return s.equals("inf") ? Double.POSITIVE_INFINITY : s.equals("-inf") ? Double.NEGATIVE_INFINITY : Double.parseDouble(s);
        } catch (NumberFormatException name) {
            return null;
        }
    }

    /** norm's p, with infinities sent as strings. */
    private static double p(Kw k) {
        String s = k.s("p");
        return switch (s) {
            case "inf" -> Double.POSITIVE_INFINITY;
            case "-inf" -> Double.NEGATIVE_INFINITY;
            default -> k.d("p");
        };
    }

    @Test
    void oneDimOverloadsTakePyTorchsDefaults() {
        // x = torch.tensor([[1., 5., 2.], [4., 0., 3.]]); x.amax(1), x.amin(0), x.var(1), x.std(0), x.logsumexp(1),
        // x.bool().all(1), x.bool().any(0), x.t().stride()
        Tensor x = Tensor.tensor(new float[][] {{1, 5, 2}, {4, 0, 3}});
        assertThat(x.amax(1).toString()).isEqualTo("tensor([5., 4.])");
        assertThat(x.amin(0).toString()).isEqualTo("tensor([1., 0., 2.])");
        assertThat(x.var(1).toString()).isEqualTo("tensor([4.3333, 4.3333])");
        assertThat(x.std(0).toString()).isEqualTo("tensor([2.1213, 3.5355, 0.7071])");
        assertThat(x.logsumexp(1).toString()).isEqualTo("tensor([5.0659, 4.3266])");
        assertThat(x.to(DType.BOOL).all(1).toString()).isEqualTo("tensor([ True, False])");
        assertThat(x.to(DType.BOOL).any(0).toString()).isEqualTo("tensor([True, True, True])");
        assertThat(x.t().stride()).containsExactly(1, 3);
    }

    @Test
    void boolArgmaxRunsWhereNoKernelIsCalled() {
        // torch.tensor([[True], [False]]).argmax(1) -> tensor([0, 0]): a size-1 dim is filled with zeros, no kernel runs
        assertThat(Tensor.tensor(new boolean[][] {{true}, {false}}).argmax(1).toLongArray()).containsExactly(0, 0);
        // torch.tensor([[True, False]]).argmax(1) -> "argmax_cpu" not implemented for 'Bool'
        assertThatThrownBy(() -> Tensor.tensor(new boolean[][] {{true, false}}).argmax(1)).hasMessage("\"argmax_cpu\" not implemented for 'Bool'");
        // torch.zeros(0, 3, dtype=torch.bool).argmin() -> argmin(): Expected reduction dim to be specified for input.numel() == 0.
        assertThatThrownBy(() -> Tensor.zeros(new int[] {0, 3}, DType.BOOL).argmin())
                .hasMessage("argmin(): Expected reduction dim to be specified for input.numel() == 0.");
        // torch.zeros(2, 0, dtype=torch.long).softmax(1) -> an empty int64 tensor (no kernel, so no dtype check)
        Tensor s = Tensor.zeros(new int[] {2, 0}, DType.INT64).softmax(1);
        assertThat(s.dtype()).isEqualTo(DType.INT64);
        assertThat(s.shape()).containsExactly(2, 0);
    }

    @Test
    void meanWithDtypeSavesSelfAsPyTorch() {
        // found by the program fuzzer: x.mean([0], dtype=torch.float64) is one MeanBackward1 node saving x, so x.add_(1) fails its backward
        Tensor x = Tensor.randn(2, 3).requiresGrad_().mul(1.0);
        Tensor m = x.mean(new int[] {0}, true, DType.FLOAT64);
        assertThat(m.gradFn().typeName()).isEqualTo("MeanBackward1");
        assertThat(m.gradFn().nextFunctions().get(0).node().typeName()).isEqualTo("MulBackward0");
        x.add_(1.0);
        assertThatThrownBy(() -> m.sum().backward()).hasMessageStartingWith("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.FloatTensor [2, 3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.");
    }
}
