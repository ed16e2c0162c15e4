package dev.ember.tensor;

import dev.ember.testing.GradFnChain;
import dev.ember.testing.Kw;
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

/**
 * nansum/nanmean, searchsorted/bucketize/bincount/histc, baddbmm/addbmm/addmv, tensordot, cross, bitwise ops, einsum, diagonal, trace, triu/tril, unfold, meshgrid, repeat_interleave, isclose, count_nonzero and var_mean/std_mean
 * against PyTorch fixtures (tools/fixtures/fx_tensor_extras.py): values, gradients, errors, and also the first
 * result's strides and grad_fn names.
 */
class TensorExtrasTest {

    @TestFactory
    Stream<DynamicTest> extras() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("bitwise_and", checked((x, k) -> x[0].bitwiseAnd(x[1]))),
                entry("bitwise_or", checked((x, k) -> x[0].bitwiseOr(x[1]))),
                entry("bitwise_xor", checked((x, k) -> x[0].bitwiseXor(x[1]))),
                entry("bitwise_and_scalar", checked((x, k) -> x[0].bitwiseAnd(k.l("other")))),
                entry("bitwise_or_scalar", checked((x, k) -> x[0].bitwiseOr(k.l("other")))),
                entry("bitwise_xor_scalar", checked((x, k) -> x[0].bitwiseXor(k.l("other")))),
                entry("bitwise_and_", checked((x, k) -> x[0].clone().bitwiseAnd_(x[1]))),
                entry("bitwise_or_", checked((x, k) -> x[0].clone().bitwiseOr_(x[1]))),
                entry("bitwise_xor_", checked((x, k) -> x[0].clone().bitwiseXor_(x[1]))),
                entry("bitwise_not", checked((x, k) -> x[0].bitwiseNot())),
                entry("bitwise_not_", checked((x, k) -> x[0].clone().bitwiseNot_())),
                entry("baddbmm", checked((x, k) -> Tensor.baddbmm(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addbmm", checked((x, k) -> Tensor.addbmm(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addmv", checked((x, k) -> Tensor.addmv(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("tensordot", checked((x, k) -> k.isInt("dims") ? Tensor.tensordot(x[0], x[1], k.i("dims"))
                        : Tensor.tensordot(x[0], x[1], ints(k.node().get("dims").get(0)), ints(k.node().get("dims").get(1))))),
                entry("cross", checked((x, k) -> x[0].cross(x[1], dim(k)))),
                entry("searchsorted", checked((x, k) -> x[0].searchsorted(x[1], k.b("right"), k.b("out_int32")))),
                entry("bucketize", checked((x, k) -> x[0].bucketize(x[1], k.b("right")))),
                entry("bincount", checked((x, k) -> x[0].bincount(null, k.i("minlength")))),
                entry("bincount_w", checked((x, k) -> x[0].bincount(x[1], k.i("minlength")))),
                entry("histc", checked((x, k) -> x[0].histc(k.i("bins"), k.d("min"), k.d("max")))),
                entry("nansum", checked((x, k) -> x[0].nansum(dims(k), k.b("keepdim"), null))),
                entry("nanmean", checked((x, k) -> x[0].nanmean(dims(k), k.b("keepdim")))),
                entry("einsum", checked((x, k) -> Tensor.einsum(k.s("equation"), x))),
                entry("diagonal", checked((x, k) -> x[0].diagonal(k.i("offset"), k.i("dim1"), k.i("dim2")))),
                entry("diag", checked((x, k) -> x[0].diag(k.i("diagonal")))),
                entry("moveaxis", checked((x, k) -> x[0].moveaxis(k.i("source"), k.i("destination")))),
                entry("trace", checked((x, k) -> x[0].trace())),
                entry("triu", checked((x, k) -> x[0].triu(k.i("diagonal")))),
                entry("tril", checked((x, k) -> x[0].tril(k.i("diagonal")))),
                entry("triu_", checked((x, k) -> x[0].clone().triu_(k.i("diagonal")))),
                entry("tril_", checked((x, k) -> x[0].clone().tril_(k.i("diagonal")))),
                entry("unfold", checked((x, k) -> x[0].unfold(k.i("dimension"), k.i("size"), k.i("step")))),
                entry("meshgrid", checked((x, k) -> Tensor.meshgrid(k.s("indexing"), x))),
                entry("repeat_interleave", checked((x, k) -> x[0].repeatInterleave(k.l("repeats"), dim(k)))),
                entry("repeat_interleave_t", checked((x, k) -> x[0].repeatInterleave(x[1], dim(k)))),
                entry("repeat_interleave_idx", checked((x, k) -> Tensor.repeatInterleave(x[0]))),
                entry("isclose", checked((x, k) -> x[0].isclose(x[1], k.d("rtol"), k.d("atol"), k.b("equal_nan")))),
                entry("count_nonzero", checked((x, k) -> x[0].countNonzero(k.has("dim") ? k.ints("dim") : new int[0]))),
                entry("var_mean", checked((x, k) -> x[0].varMean(dims(k), k.d("correction"), k.b("keepdim")))),
                entry("std_mean", checked((x, k) -> x[0].stdMean(dims(k), k.d("correction"), k.b("keepdim")))),
                entry("var_mean[0]", checked((x, k) -> x[0].varMean(new int[] {1}, 1, false).get(0))),
                entry("var_mean[1]", checked((x, k) -> x[0].varMean(new int[] {1}, 1, false).get(1))),
                entry("std_mean[0]", checked((x, k) -> x[0].stdMean(new int[] {1}, 1, false).get(0))),
                entry("std_mean[1]", checked((x, k) -> x[0].stdMean(new int[] {1}, 1, false).get(1))));
        return OpCases.run("tensor_extras", ops);
    }

    private static int[] ints(com.fasterxml.jackson.databind.JsonNode a) {
        int[] out = new int[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = a.get(i).asInt();
        return out;
    }

    private static Integer dim(Kw k) { return k.has("dim") ? k.i("dim") : null; }

    private static int[] dims(Kw k) { return k.has("dim") ? k.ints("dim") : null; }

    /** Also compares the first result's strides and grad_fn chain with the fixture's, when it recorded them. */
    private static Op checked(Op op) {
        return (x, k) -> {
            Object r = op.apply(x, k);
            Tensor first = r instanceof List<?> l ? (Tensor) l.getFirst() : (Tensor) r;
            if (k.has("strides")) assertThat(first.strides()).as("strides").containsExactly(k.ints("strides"));
            if (k.has("grad_fn") && first.requiresGrad()) assertThat(GradFnChain.of(first)).as("grad_fn chain").isEqualTo(k.s("grad_fn"));
            return r;
        };
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
