package dev.ember.tensor;

import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * nansum/nanmean, searchsorted/bucketize/bincount/histc, baddbmm/addbmm/addmv, tensordot, cross, bitwise ops, einsum, diagonal, trace, triu/tril, unfold, meshgrid, repeat_interleave, isclose, count_nonzero and var_mean/std_mean
 * against PyTorch fixtures (tools/fixtures/fx_tensor_extras.py): values, gradients, errors, and also the first
 * result's strides and grad_fn names.
 */
class TensorExtrasTest {

    @TestFactory
    Stream<DynamicTest> extras() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("bitwise_and", checkingLayout((x, k) -> x[0].bitwiseAnd(x[1]))),
                entry("bitwise_or", checkingLayout((x, k) -> x[0].bitwiseOr(x[1]))),
                entry("bitwise_xor", checkingLayout((x, k) -> x[0].bitwiseXor(x[1]))),
                entry("bitwise_and_scalar", checkingLayout((x, k) -> x[0].bitwiseAnd(k.l("other")))),
                entry("bitwise_or_scalar", checkingLayout((x, k) -> x[0].bitwiseOr(k.l("other")))),
                entry("bitwise_xor_scalar", checkingLayout((x, k) -> x[0].bitwiseXor(k.l("other")))),
                entry("bitwise_and_", checkingLayout((x, k) -> x[0].clone().bitwiseAnd_(x[1]))),
                entry("bitwise_or_", checkingLayout((x, k) -> x[0].clone().bitwiseOr_(x[1]))),
                entry("bitwise_or_view_", checkingLayout((x, k) -> x[0].bitwiseOr_(x[1]))),
                entry("bitwise_xor_", checkingLayout((x, k) -> x[0].clone().bitwiseXor_(x[1]))),
                entry("bitwise_not", checkingLayout((x, k) -> x[0].bitwiseNot())),
                entry("bitwise_not_", checkingLayout((x, k) -> x[0].clone().bitwiseNot_())),
                entry("baddbmm", checkingLayout((x, k) -> k.isInt("beta") ? Tensor.baddbmm(x[0], x[1], x[2], k.l("beta"), k.d("alpha")) : Tensor.baddbmm(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addbmm", checkingLayout((x, k) -> k.isInt("beta") ? Tensor.addbmm(x[0], x[1], x[2], k.l("beta"), k.d("alpha")) : Tensor.addbmm(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addbmm_mul_", checkingLayout((x, k) -> Tensor.addbmm(x[0], x[1], x[2], 0, 1).mul_(2.0))),
                entry("addmv", checkingLayout((x, k) -> k.isInt("beta") ? Tensor.addmv(x[0], x[1], x[2], k.l("beta"), k.d("alpha")) : Tensor.addmv(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("tensordot", checkingLayout((x, k) -> k.isInt("dims") ? Tensor.tensordot(x[0], x[1], k.i("dims"))
                        : Tensor.tensordot(x[0], x[1], ints(k.node().get("dims").get(0)), ints(k.node().get("dims").get(1))))),
                entry("cross", checkingLayout((x, k) -> x[0].cross(x[1], dim(k)))),
                entry("searchsorted", checkingLayout((x, k) -> x[0].searchsorted(x[1], k.b("right"), k.b("out_int32")))),
                entry("bucketize", checkingLayout((x, k) -> x[0].bucketize(x[1], k.b("right")))),
                entry("bincount", checkingLayout((x, k) -> x[0].bincount(null, k.i("minlength")))),
                entry("bincount_w", checkingLayout((x, k) -> x[0].bincount(x[1], k.i("minlength")))),
                entry("histc", checkingLayout((x, k) -> x[0].histc(k.i("bins"), k.d("min"), k.d("max")))),
                entry("nansum", checkingLayout((x, k) -> x[0].nansum(dims(k), k.b("keepdim"), null))),
                entry("nanmean", checkingLayout((x, k) -> x[0].nanmean(dims(k), k.b("keepdim")))),
                entry("einsum", checkingLayout((x, k) -> Tensor.einsum(k.s("equation"), x))),
                entry("diagonal", checkingLayout((x, k) -> x[0].diagonal(k.i("offset"), k.i("dim1"), k.i("dim2")))),
                entry("diag", checkingLayout((x, k) -> x[0].diag(k.i("diagonal")))),
                entry("moveaxis", checkingLayout((x, k) -> x[0].moveaxis(k.i("source"), k.i("destination")))),
                entry("tensordot_out", checkingLayout((x, k) -> {
                    Tensor out = Tensor.zeros(k.ints("shape"), DType.fromName(k.s("dtype")));
                    return k.isInt("dims") ? out.tensordotOut(x[0], x[1], k.i("dims")) : out.tensordotOut(x[0], x[1], ints(k.node().get("dims").get(0)), ints(k.node().get("dims").get(1)));
                })),
                entry("movedim", checkingLayout((x, k) -> x[0].movedim(k.ints("source"), k.ints("destination")))),
                entry("trace", checkingLayout((x, k) -> x[0].trace())),
                entry("triu", checkingLayout((x, k) -> x[0].triu(k.i("diagonal")))),
                entry("tril", checkingLayout((x, k) -> x[0].tril(k.i("diagonal")))),
                entry("triu_", checkingLayout((x, k) -> x[0].clone().triu_(k.i("diagonal")))),
                entry("tril_", checkingLayout((x, k) -> x[0].clone().tril_(k.i("diagonal")))),
                entry("unfold", checkingLayout((x, k) -> x[0].unfold(k.i("dimension"), k.i("size"), k.i("step")))),
                entry("meshgrid", checkingLayout((x, k) -> Tensor.meshgrid(k.s("indexing"), x))),
                entry("repeat_interleave", checkingLayout((x, k) -> x[0].repeatInterleave(k.l("repeats"), dim(k)))),
                entry("repeat_interleave_t", checkingLayout((x, k) -> x[0].repeatInterleave(x[1], dim(k)))),
                entry("repeat_interleave_idx", checkingLayout((x, k) -> Tensor.repeatInterleave(x[0]))),
                entry("isclose", checkingLayout((x, k) -> x[0].isclose(x[1], k.d("rtol"), k.d("atol"), k.b("equal_nan")))),
                entry("count_nonzero", checkingLayout((x, k) -> x[0].countNonzero(k.has("dim") ? k.ints("dim") : new int[0]))),
                entry("var_mean", checkingLayout((x, k) -> x[0].varMean(dims(k), k.d("correction"), k.b("keepdim")))),
                entry("std_mean", checkingLayout((x, k) -> x[0].stdMean(dims(k), k.d("correction"), k.b("keepdim")))),
                entry("var_mean[0]", checkingLayout((x, k) -> x[0].varMean(new int[] {1}, 1, false).get(0))),
                entry("var_mean[1]", checkingLayout((x, k) -> x[0].varMean(new int[] {1}, 1, false).get(1))),
                entry("std_mean[0]", checkingLayout((x, k) -> x[0].stdMean(new int[] {1}, 1, false).get(0))),
                entry("std_mean[1]", checkingLayout((x, k) -> x[0].stdMean(new int[] {1}, 1, false).get(1))));
        return OpCases.run("tensor_extras", ops);
    }

    private static int[] ints(com.fasterxml.jackson.databind.JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    private static Integer dim(Kw k) { return k.has("dim") ? k.i("dim") : null; }

    private static int[] dims(Kw k) { return k.has("dim") ? k.ints("dim") : null; }


    @Test
    void bitwiseInPlaceChecksAViewAgainstAnOtherThatRequiresGrad() {
        // found by the program fuzzer (seed 131605). PyTorch 1.13: y = torch.randn(2, 4); with torch.no_grad(): w = y.split(1)[0]
        // w.bitwise_and_(torch.randn(1, 4, requires_grad=True)) raises the no_grad view error (other requiring grad is enough)
        Tensor w;
        try (var g = dev.ember.autograd.GradMode.noGrad()) {
            w = Tensor.zeros(2, 4).split(1, 0).get(0);
        }
        Tensor view = w;
        assertThatThrownBy(() -> view.bitwiseAnd_(Tensor.ones(1, 4).requiresGrad_())).hasMessage("A view was created in no_grad mode and is being modified inplace "
                + "with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view "
                + "and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).");
    }

    @Test
    void tensordotIntoOutHasNoDerivative() {
        // PyTorch 1.13: a = torch.ones(3, 4, requires_grad=True); o = torch.zeros(3, 5)
        // torch.tensordot(a, torch.ones(4, 5), dims=1, out=o) -> o holds 4s, o.grad_fn is NotImplemented, and
        // o.sum().backward() raises "derivative for aten::tensordot is not implemented"; an out leaf that requires
        // grad raises "a leaf Variable that requires grad is being used in an in-place operation."
        Tensor a = Tensor.ones(3, 4).requiresGrad_(), out = Tensor.zeros(3, 5);
        assertThat(out.tensordotOut(a, Tensor.ones(4, 5), 1)).isSameAs(out);
        assertThat(out.toDoubleArray()).containsOnly(4.0);
        assertThat(out.gradFn().name()).isEqualTo("torch::autograd::NotImplemented");
        assertThatThrownBy(() -> out.sum().backward()).hasMessage("derivative for aten::tensordot is not implemented");
        Tensor leaf = Tensor.zeros(3, 5).requiresGrad_();
        assertThatThrownBy(() -> leaf.tensordotOut(Tensor.ones(3, 4), Tensor.ones(4, 5), 1))
                .hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    @Test
    void tensordotResizesItsOut() {
        // PyTorch 1.13: o = torch.empty(0); torch.tensordot(torch.ones(3, 4), torch.full((4, 5), 2.), dims=1, out=o)
        // returns o, now of shape [3, 5], strides (5, 1), holding 8s; a non-empty out of another shape is resized too
        Tensor out = Tensor.empty(0);
        assertThat(out.tensordotOut(Tensor.ones(3, 4), Tensor.full(new int[] {4, 5}, 2.0), 1)).isSameAs(out);
        assertThat(out.shape()).containsExactly(3, 5);
        assertThat(out.strides()).containsExactly(5, 1);
        assertThat(out.toDoubleArray()).containsOnly(8.0);
        Tensor small = Tensor.zeros(2);
        small.tensordotOut(Tensor.ones(3, 4), Tensor.ones(4, 5), 1);
        assertThat(small.shape()).containsExactly(3, 5);
    }

    @Test
    void allcloseIsIscloseAll() {
        // torch.allclose(torch.tensor([1., nan]), torch.tensor([1., nan]), equal_nan=True) -> True; without equal_nan -> False
        Tensor a = Tensor.tensor(new float[] {1, Float.NaN});
        assertThat(a.allclose(a.clone(), 1e-5, 1e-8, true)).isTrue();
        assertThat(a.allclose(a.clone())).isFalse();
    }

    @Test
    void traceOfATallMatrixDifferentiatesOnlyItsDiagonal() {
        // PyTorch 1.13 (x = torch.zeros(5, 2, requires_grad=True); x.trace().backward()) also puts 1s at [3, 0] and
        // [4, 1]; the trace does not depend on them, and finite differences agree with the diagonal alone.
        Tensor x = Tensor.zeros(5, 2).requiresGrad_(true);
        x.trace().backward();
        assertThat(x.grad().toString()).isEqualTo("""
                tensor([[1., 0.],
                        [0., 1.],
                        [0., 0.],
                        [0., 0.],
                        [0., 0.]])""");
        Tensor w = Tensor.randn(2, 5).to(DType.FLOAT64).requiresGrad_(true);
        dev.ember.testing.GradCheck.check(in -> List.of(in[0].t().trace()), w);
    }
}
