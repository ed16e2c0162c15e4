package dev.ember.tensor;

import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** Elementwise ops against PyTorch fixtures (tools/fixtures/fx_pointwise.py). */
class PointwiseTest {

    @TestFactory
    Stream<DynamicTest> pointwise() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("add", (x, k) -> x[0].add(x[1])),
                entry("sub", (x, k) -> x[0].sub(x[1])),
                entry("mul", (x, k) -> x[0].mul(x[1])),
                entry("div", (x, k) -> x[0].div(x[1])),
                entry("maximum", (x, k) -> x[0].maximum(x[1])),
                entry("minimum", (x, k) -> x[0].minimum(x[1])),
                entry("atan2", (x, k) -> x[0].atan2(x[1])),
                entry("add_alpha", (x, k) -> x[0].add(x[1], k.d("alpha"))),
                entry("sub_alpha", (x, k) -> x[0].sub(x[1], k.d("alpha"))),
                entry("add_scalar", (x, k) -> x[0].add(k.d("s"))),
                entry("add_scalar_int", (x, k) -> x[0].add(k.l("s"))),
                entry("sub_scalar", (x, k) -> x[0].sub(k.d("s"))),
                entry("mul_scalar", (x, k) -> x[0].mul(k.d("s"))),
                entry("div_scalar", (x, k) -> x[0].div(k.d("s"))),
                entry("rsub_scalar", (x, k) -> x[0].rsub(k.d("s"))),
                entry("div_floor", (x, k) -> x[0].div(x[1], "floor")),
                entry("div_trunc", (x, k) -> x[0].div(x[1], "trunc")),
                entry("remainder", (x, k) -> x[0].remainder(x[1])),
                entry("fmod", (x, k) -> x[0].fmod(x[1])),
                entry("pow_scalar", (x, k) -> x[0].pow(k.d("e"))),
                entry("pow", (x, k) -> x[0].pow(x[1])),
                entry("rpow_scalar", (x, k) -> Tensor.pow(k.d("s"), x[0])),
                entry("rpow_scalar_int", (x, k) -> Tensor.pow(k.l("s"), x[0])),
                entry("neg", (x, k) -> x[0].neg()),
                entry("abs", (x, k) -> x[0].abs()),
                entry("exp", (x, k) -> x[0].exp()),
                entry("log", (x, k) -> x[0].log()),
                entry("sqrt", (x, k) -> x[0].sqrt()),
                entry("rsqrt", (x, k) -> x[0].rsqrt()),
                entry("sin", (x, k) -> x[0].sin()),
                entry("cos", (x, k) -> x[0].cos()),
                entry("tan", (x, k) -> x[0].tan()),
                entry("tanh", (x, k) -> x[0].tanh()),
                entry("sigmoid", (x, k) -> x[0].sigmoid()),
                entry("relu", (x, k) -> x[0].relu()),
                entry("sign", (x, k) -> x[0].sign()),
                entry("floor", (x, k) -> x[0].floor()),
                entry("ceil", (x, k) -> x[0].ceil()),
                entry("round", (x, k) -> x[0].round()),
                entry("round_decimals", (x, k) -> x[0].round(k.i("d"))),
                entry("trunc", (x, k) -> x[0].trunc()),
                entry("frac", (x, k) -> x[0].frac()),
                entry("reciprocal", (x, k) -> x[0].reciprocal()),
                entry("square", (x, k) -> x[0].square()),
                entry("exp2", (x, k) -> x[0].exp2()),
                entry("expm1", (x, k) -> x[0].expm1()),
                entry("log2", (x, k) -> x[0].log2()),
                entry("log10", (x, k) -> x[0].log10()),
                entry("log1p", (x, k) -> x[0].log1p()),
                entry("asin", (x, k) -> x[0].asin()),
                entry("acos", (x, k) -> x[0].acos()),
                entry("atan", (x, k) -> x[0].atan()),
                entry("sinh", (x, k) -> x[0].sinh()),
                entry("cosh", (x, k) -> x[0].cosh()),
                entry("erf", (x, k) -> x[0].erf()),
                entry("clamp", (x, k) -> k.isInt("lo") ? x[0].clamp(k.l("lo"), k.l("hi")) : x[0].clamp(k.d("lo"), k.d("hi"))),
                entry("clamp_min", (x, k) -> x[0].clampMin(k.d("lo"))),
                entry("clamp_max", (x, k) -> x[0].clampMax(k.d("hi"))),
                entry("clamp_tensor", (x, k) -> x[0].clamp(x[1], x[2])),
                entry("eq", (x, k) -> x[0].eq(x[1])),
                entry("ne", (x, k) -> x[0].ne(x[1])),
                entry("gt", (x, k) -> x[0].gt(x[1])),
                entry("ge", (x, k) -> x[0].ge(x[1])),
                entry("lt", (x, k) -> x[0].lt(x[1])),
                entry("le", (x, k) -> x[0].le(x[1])),
                entry("eq_scalar", (x, k) -> x[0].eq(k.d("s"))),
                entry("ne_scalar", (x, k) -> x[0].ne(k.d("s"))),
                entry("gt_scalar", (x, k) -> x[0].gt(k.d("s"))),
                entry("ge_scalar", (x, k) -> x[0].ge(k.d("s"))),
                entry("lt_scalar", (x, k) -> x[0].lt(k.d("s"))),
                entry("le_scalar", (x, k) -> x[0].le(k.d("s"))),
                entry("eq_scalar_int", (x, k) -> x[0].eq(k.l("s"))),
                entry("ne_scalar_int", (x, k) -> x[0].ne(k.l("s"))),
                entry("gt_scalar_int", (x, k) -> x[0].gt(k.l("s"))),
                entry("ge_scalar_int", (x, k) -> x[0].ge(k.l("s"))),
                entry("lt_scalar_int", (x, k) -> x[0].lt(k.l("s"))),
                entry("le_scalar_int", (x, k) -> x[0].le(k.l("s"))),
                entry("isnan", (x, k) -> x[0].isnan()),
                entry("isinf", (x, k) -> x[0].isinf()),
                entry("isfinite", (x, k) -> x[0].isfinite()),
                entry("logical_not", (x, k) -> x[0].logicalNot()),
                entry("logical_and", (x, k) -> x[0].logicalAnd(x[1])),
                entry("logical_or", (x, k) -> x[0].logicalOr(x[1])),
                entry("logical_xor", (x, k) -> x[0].logicalXor(x[1])),
                entry("where", (x, k) -> Tensor.where(x[0], x[1], x[2])),
                entry("where_scalar", (x, k) -> Tensor.where(x[0], x[1], k.d("s"))),
                entry("where_scalar_int", (x, k) -> Tensor.where(x[0], x[1], k.l("s"))),
                entry("fmod_scalar_int", (x, k) -> x[0].fmod(k.l("s"))),
                entry("lerp", (x, k) -> x[0].lerp(x[1], k.d("w"))),
                entry("addcmul", (x, k) -> x[0].addcmul(x[1], x[2], k.d("v"))),
                entry("addcdiv", (x, k) -> x[0].addcdiv(x[1], x[2], k.d("v"))));
        return OpCases.run("pointwise", ops);
    }

    @Test
    void signOfNegativeZeroIsPositiveZero() {
        // torch.tensor([-0., 0., float('nan')]).sign() -> tensor([0., 0., 0.]), and 1 / that is +inf: no -0 comes out
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor s = Tensor.tensor(new double[] {-0.0, 0.0, Double.NaN}).to(dt).sign();
            assertThat(s.toString()).isEqualTo(dt == DType.FLOAT32 ? "tensor([0., 0., 0.])" : "tensor([0., 0., 0.], dtype=torch.float64)");
            assertThat(s.reciprocal().toDoubleArray()).containsOnly(Double.POSITIVE_INFINITY);
        }
    }
    @Test
    void floorDivideByAPythonNumber() {
        // torch.tensor([-3, 7]).floor_divide(2) stays int64; a float tensor by a Python float rounds down
        assertThat(Tensor.tensor(java.util.List.of(-3, 7)).floorDivide(2L).toString()).isEqualTo("tensor([-2,  3])");
        assertThat(Tensor.tensor(java.util.List.of(-3., 7.)).floorDivide(2.5).toString()).isEqualTo("tensor([-2.,  2.])");
    }
}
