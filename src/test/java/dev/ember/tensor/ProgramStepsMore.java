package dev.ember.tensor;

import dev.ember.testing.Kw;

import java.util.Arrays;

import static dev.ember.tensor.ProgramSteps.op;

/**
 * The steps of tools/fixtures/program_steps_more.py (movement, selection, more pointwise math, scans with a dtype,
 * creation from a tensor, out=), registered into {@link ProgramSteps}' table as program_ops.PY lists them.
 */
final class ProgramStepsMore {
    private ProgramStepsMore() {}

    static void register() {
        op("flip", (a, k) -> a[0].flip(k.ints("dims")));
        op("roll", (a, k) -> a[0].roll(k.i("shifts"), k.i("dim")));
        op("rot90", (a, k) -> a[0].rot90(k.i("k"), k.ints("dims")));
        op("tile", (a, k) -> a[0].tile(k.ints("reps")));
        op("repeat", (a, k) -> a[0].repeat(k.ints("reps")));
        op("unbind", (a, k) -> a[0].unbind(k.i("dim")));
        op("movedim", (a, k) -> a[0].movedim(k.i("src"), k.i("dst")));
        op("select", (a, k) -> a[0].select(k.i("dim"), k.i("index")));
        op("unflatten", (a, k) -> a[0].unflatten(k.i("dim"), k.ints("sizes")));
        op("tensor_split", (a, k) -> k.node().get("s").isArray() ? a[0].tensorSplit(k.ints("s"), k.i("dim")) : a[0].tensorSplit(k.i("s"), k.i("dim")));
        op("split_sizes", (a, k) -> a[0].splitWithSizes(k.ints("sizes"), k.i("dim")));
        op("hstack", (a, k) -> Tensor.hstack(Arrays.asList(a)));
        op("vstack", (a, k) -> Tensor.vstack(Arrays.asList(a)));
        op("dstack", (a, k) -> Tensor.dstack(Arrays.asList(a)));
        op("column_stack", (a, k) -> Tensor.columnStack(Arrays.asList(a)));
        op("expand_as", (a, k) -> a[0].expandAs(a[1]));
        op("view_as", (a, k) -> a[0].viewAs(a[1]));
        op("reshape_as", (a, k) -> a[0].reshapeAs(a[1]));

        op("take", (a, k) -> a[0].take(a[1]));
        op("take_along_dim", (a, k) -> a[0].takeAlongDim(a[1], k.has("dim") ? k.i("dim") : null));
        op("nonzero", (a, k) -> a[0].nonzero());
        op("nonzero_tuple", (a, k) -> a[0].nonzeroTuple());
        op("masked_select", (a, k) -> a[0].maskedSelect(a[1]));
        op("index_add", (a, k) -> a[0].indexAdd(k.i("dim"), a[1], a[2]));
        op("index_add_", (a, k) -> a[0].indexAdd_(k.i("dim"), a[1], a[2]));

        op("sgn", (a, k) -> a[0].sgn());
        op("reciprocal", (a, k) -> a[0].reciprocal());
        op("square", (a, k) -> a[0].square());
        op("exp2", (a, k) -> a[0].exp2());
        op("expm1", (a, k) -> a[0].expm1());
        op("log2", (a, k) -> a[0].log2());
        op("log10", (a, k) -> a[0].log10());
        op("log1p", (a, k) -> a[0].log1p());
        op("tan", (a, k) -> a[0].tan());
        op("asin", (a, k) -> a[0].asin());
        op("acos", (a, k) -> a[0].acos());
        op("atan", (a, k) -> a[0].atan());
        op("sinh", (a, k) -> a[0].sinh());
        op("cosh", (a, k) -> a[0].cosh());
        op("erf", (a, k) -> a[0].erf());
        op("trunc", (a, k) -> a[0].trunc());
        op("frac", (a, k) -> a[0].frac());
        op("isfinite", (a, k) -> a[0].isfinite());
        op("logical_not", (a, k) -> a[0].logicalNot());
        op("ceil_", (a, k) -> a[0].ceil_());
        op("half", (a, k) -> a[0].half());
        op("bfloat16", (a, k) -> a[0].bfloat16());
        op("round_dec", (a, k) -> a[0].round(k.i("decimals")));
        op("atan2", (a, k) -> a[0].atan2(a[1]));
        op("fmod", (a, k) -> a[0].fmod(a[1]));
        op("remainder", (a, k) -> a[0].remainder(a[1]));
        op("floor_divide", (a, k) -> a[0].floorDivide(a[1]));
        op("fmod_s", (a, k) -> k.isInt("s") ? a[0].fmod(k.l("s")) : a[0].fmod(k.d("s")));
        op("remainder_s", (a, k) -> k.isInt("s") ? a[0].remainder(k.l("s")) : a[0].remainder(k.d("s")));
        op("floor_divide_s", (a, k) -> k.isInt("s") ? a[0].floorDivide(k.l("s")) : a[0].floorDivide(k.d("s")));
        op("rsub_s", (a, k) -> k.isInt("s") ? a[0].rsub(k.l("s")) : a[0].rsub(k.d("s")));
        op("pow_s_", (a, k) -> k.isInt("s") ? a[0].pow_(k.l("s")) : a[0].pow_(k.d("s")));
        op("logical_and", (a, k) -> a[0].logicalAnd(a[1]));
        op("logical_or", (a, k) -> a[0].logicalOr(a[1]));
        op("logical_xor", (a, k) -> a[0].logicalXor(a[1]));
        op("clamp_t", (a, k) -> a[0].clamp(a[1], a[2]));
        op("clamp_min", (a, k) -> a[0].clampMin(k.d("s")));
        op("clamp_max", (a, k) -> a[0].clampMax(k.d("s")));
        op("lerp", (a, k) -> a[0].lerp(a[1], k.d("w")));
        op("lerp_", (a, k) -> a[0].lerp_(a[1], k.d("w")));
        op("addcmul", (a, k) -> k.isInt("v") ? a[0].addcmul(a[1], a[2], k.l("v")) : a[0].addcmul(a[1], a[2], k.d("v")));
        op("addcmul_", (a, k) -> k.isInt("v") ? a[0].addcmul_(a[1], a[2], k.l("v")) : a[0].addcmul_(a[1], a[2], k.d("v")));
        op("addcdiv", (a, k) -> k.isInt("v") ? a[0].addcdiv(a[1], a[2], k.l("v")) : a[0].addcdiv(a[1], a[2], k.d("v")));
        op("addcdiv_", (a, k) -> k.isInt("v") ? a[0].addcdiv_(a[1], a[2], k.l("v")) : a[0].addcdiv_(a[1], a[2], k.d("v")));

        op("cumprod", (a, k) -> k.has("dtype") ? a[0].cumprod(k.i("dim"), dtype(k)) : a[0].cumprod(k.i("dim")));
        op("cumsum_dt", (a, k) -> a[0].cumsum(k.i("dim"), dtype(k)));
        op("softmax_dt", (a, k) -> a[0].softmax(k.i("dim"), dtype(k)));
        op("sum_dt", (a, k) -> a[0].sum(k.ints("dims"), k.b("keepdim"), dtype(k)));
        op("mean_dt", (a, k) -> a[0].mean(k.ints("dims"), k.b("keepdim"), dtype(k)));
        op("amin", (a, k) -> a[0].amin(k.ints("dims"), k.b("keepdim")));
        op("argsort_stable", (a, k) -> a[0].argsort(k.i("dim"), k.b("descending"), true));
        op("inner", (a, k) -> a[0].inner(a[1]));

        op("new_zeros", (a, k) -> a[0].newZeros(k.ints("shape"), k.has("dtype") ? dtype(k) : a[0].dtype()));
        op("new_ones", (a, k) -> a[0].newOnes(k.ints("shape"), k.has("dtype") ? dtype(k) : a[0].dtype()));
        op("zeros_like", (a, k) -> Tensor.zerosLike(a[0], k.has("dtype") ? dtype(k) : a[0].dtype()));
        op("ones_like", (a, k) -> Tensor.onesLike(a[0], k.has("dtype") ? dtype(k) : a[0].dtype()));
        op("full_like", (a, k) -> k.isInt("s") ? Tensor.fullLike(a[0], k.l("s")) : Tensor.fullLike(a[0], k.d("s")));
        op("add_out", (a, k) -> a[2].addOut(a[0], a[1]));
        op("mul_out", (a, k) -> a[2].mulOut(a[0], a[1]));
        op("matmul_out", (a, k) -> a[2].matmulOut(a[0], a[1]));
    }

    private static DType dtype(Kw k) { return ProgramSteps.dtype(k.s("dtype")); }
}
