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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
                entry("add_alpha", (x, k) -> k.isInt("alpha") ? x[0].add(x[1], k.l("alpha")) : x[0].add(x[1], k.d("alpha"))),
                entry("sub_alpha", (x, k) -> k.isInt("alpha") ? x[0].sub(x[1], k.l("alpha")) : x[0].sub(x[1], k.d("alpha"))),
                entry("add_scalar", (x, k) -> x[0].add(k.d("s"))),
                entry("add_scalar_int", (x, k) -> x[0].add(k.l("s"))),
                entry("sub_scalar", (x, k) -> x[0].sub(k.d("s"))),
                entry("mul_scalar", (x, k) -> x[0].mul(k.d("s"))),
                entry("div_scalar", (x, k) -> x[0].div(k.d("s"))),
                entry("rsub_scalar", (x, k) -> x[0].rsub(k.d("s"))),
                entry("sub_overlapping_", (x, k) -> x[0].select(0, 0).sub_(x[0])),
                entry("add_unfolded_", (x, k) -> x[0].unfold(0, 3, 1).add_(x[1])),
                entry("unary_inplace", (x, k) -> unaryInPlace(k.s("op"), x[0].requiresGrad() ? x[0].clone() : x[0])),
                entry("nan_signbit", (x, k) -> nanSignOp(k.s("op"), x[0]).signbit()),
                entry("nan_signbit2", (x, k) -> nanSignOp2(k.s("op"), x[0], x[1]).signbit()),
                entry("unary_unfolded_", (x, k) -> unaryInPlace(k.s("op"), x[0].dim() == 1 && x[0].size(0) == 3 ? x[0].expand(2, 3) : x[0].unfold(0, 3, 1))),
                entry("lerp_unfolded_", (x, k) -> x[0].unfold(0, 3, 1).lerp_(x[1], 0.25)),
                entry("lerp_", (x, k) -> x[0].lerp_(x[1], k.d("w"))),
                entry("addcmul_", (x, k) -> x[0].addcmul_(x[1], x[2], k.d("v"))),
                entry("addcmul_unfolded_", (x, k) -> x[0].unfold(0, 3, 1).addcmul_(x[1], x[2], 0.5)),
                entry("bitwise_xor_unfolded_", (x, k) -> x[0].unfold(0, 3, 1).bitwiseXor_(x[1])),
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
                entry("logit", (x, k) -> x[0].logit()),
                entry("logit_eps", (x, k) -> x[0].logit(k.d("eps"))),
                entry("erf", (x, k) -> x[0].erf()),
                entry("clamp", (x, k) -> k.isInt("lo") ? x[0].clamp(k.l("lo"), k.l("hi")) : x[0].clamp(k.d("lo"), k.d("hi"))),
                entry("clamp_min", (x, k) -> k.isInt("lo") ? x[0].clampMin(k.l("lo")) : x[0].clampMin(k.d("lo"))),
                entry("clamp_max", (x, k) -> k.isInt("hi") ? x[0].clampMax(k.l("hi")) : x[0].clampMax(k.d("hi"))),
                entry("clamp_min_", (x, k) -> k.isInt("lo") ? x[0].clone().clampMin_(k.l("lo")) : x[0].clone().clampMin_(k.d("lo"))),
                entry("clamp_max_", (x, k) -> x[0].clone().clampMax_(k.l("hi"))),
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
                entry("relu_", (x, k) -> x[0].relu_()),
                entry("pow_scalar_", (x, k) -> k.isInt("e") ? x[0].pow_(k.l("e")) : x[0].pow_(k.d("e"))),
                entry("result_version", (x, k) -> Tensor.scalar((switch (k.s("op")) {
                    case "lerp" -> x[0].lerp(x[1], 0.5);
                    case "addcmul" -> x[0].addcmul(x[1], x[2], 1.0);
                    case "addcdiv" -> x[0].addcdiv(x[1], x[2], 1.0);
                    default -> x[0].round(1);
                }).version(), DType.INT64)),
                entry("lerp", (x, k) -> k.isInt("w") ? x[0].lerp(x[1], k.l("w")) : x[0].lerp(x[1], k.d("w"))),
                entry("lerp_int_", (x, k) -> x[0].clone().lerp_(x[1], k.l("w"))),
                entry("addcmul", (x, k) -> k.isInt("v") ? x[0].addcmul(x[1], x[2], k.l("v")) : x[0].addcmul(x[1], x[2], k.d("v"))),
                entry("addcmul_int_", (x, k) -> x[0].addcmul_(x[1], x[2], k.l("v"))),
                entry("addcdiv", (x, k) -> k.isInt("v") ? x[0].addcdiv(x[1], x[2], k.l("v")) : x[0].addcdiv(x[1], x[2], k.d("v"))),
                entry("addcdiv_int_", (x, k) -> x[0].clone().addcdiv_(x[1], x[2], k.l("v"))),
                entry("xlogy", (x, k) -> x[0].xlogy(x[1])),
                entry("xlogy_", (x, k) -> x[0].clone().xlogy_(x[1])),
                entry("xlogy_scalar_other", (x, k) -> x[0].xlogy(k.d("s"))),
                entry("xlogy_scalar_self", (x, k) -> Tensor.xlogy(k.d("s"), x[0])),
                entry("xlogy_scalar_", (x, k) -> x[0].clone().xlogy_(k.d("s"))));
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

    // ---- edge semantics, each value or message as PyTorch 1.13 gives it

    private static Tensor ints(DType dt, long... v) { return Tensor.tensor(v).to(dt); }

    private static Tensor bools(boolean... v) { return Tensor.tensor(v); }

    /** 1 / x tells -0.0 from 0.0. */
    private static double[] signs(Tensor t) {
        double[] d = t.toDoubleArray();
        for (int i = 0; i < d.length; i++) d[i] = 1 / d[i];
        return d;
    }

    @Test
    void integerTruncDivisionIsExactAndRefusesZero() {
        // torch.div(torch.tensor([2**62+1, -(2**62+3)]), torch.tensor([1, 2]), rounding_mode='trunc')
        //   -> tensor([4611686018427387905, -2305843009213693953]) (no float round trip)
        Tensor q = Tensor.tensor(new long[] {(1L << 62) + 1, -((1L << 62) + 3)}).div(Tensor.tensor(new long[] {1, 2}), "trunc");
        assertThat(q.toLongArray()).containsExactly((1L << 62) + 1, -2305843009213693953L);
        assertThat(ints(DType.INT8, 7, -7).div(ints(DType.INT8, -2, -2), "trunc").toLongArray()).containsExactly(-3, 3);
        for (DType dt : new DType[] {DType.INT64, DType.INT32, DType.INT16, DType.INT8, DType.UINT8})
            assertThatThrownBy(() -> ints(dt, 7, 5).div(ints(dt, 2, 0), "trunc")).hasMessage("ZeroDivisionError");
    }

    @Test
    void integerPowerWithTensorExponentFollowsPowi() {
        // torch.tensor([2, 3]).pow(torch.tensor([-1, 2])) -> tensor([0, 9]); torch.pow(2, torch.tensor([-1, 2])) -> tensor([0, 4])
        assertThat(Tensor.tensor(new long[] {2, 3}).pow(Tensor.tensor(new long[] {-1, 2})).toLongArray()).containsExactly(0, 9);
        assertThat(Tensor.pow(2L, ints(DType.INT8, -1, 2)).toLongArray()).containsExactly(0, 4);
        assertThat(ints(DType.INT32, 0, 1, -1, -1).pow(ints(DType.INT32, -1, -5, -3, -2)).toLongArray()).containsExactly(0, 1, -1, 1);
        // only a Python-int exponent is refused
        assertThatThrownBy(() -> Tensor.tensor(new long[] {2}).pow(-1L)).hasMessage("Integers to negative integer powers are not allowed.");
    }

    @Test
    void boolHasNoDivisionRemainderOrPowKernels() {
        Tensor b = bools(true, false), t = bools(true, true);
        assertThatThrownBy(() -> b.div(t, "floor")).hasMessage("\"div_floor_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> b.floorDivide(t)).hasMessage("\"div_floor_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> b.div(t, "trunc")).hasMessage("\"div_trunc_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> b.remainder(t)).hasMessage("\"remainder_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> b.fmod(t)).hasMessage("\"fmod_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> b.pow(t)).hasMessage("\"pow\" not implemented for 'Bool'");
        // a Python int promotes bool to int64, which has the kernels: tensor([1, 0]) and tensor([0, 0])
        assertThat(b.pow(2L).dtype()).isEqualTo(DType.INT64);
        assertThat(b.remainder(1L).toLongArray()).containsExactly(0, 0);
    }

    @Test
    void roundingOpsOnIntegersAndBool() {
        // torch.tensor([True]).floor() -> "floor_vml_cpu" not implemented for 'Bool'; integer floor/round pass through
        assertThatThrownBy(() -> bools(true).floor()).hasMessage("\"floor_vml_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> bools(true).round()).hasMessage("\"round_vml_cpu\" not implemented for 'Bool'");
        assertThat(ints(DType.UINT8, 3).ceil().dtype()).isEqualTo(DType.UINT8);
        // round(decimals=) has only floating kernels, even with decimals=0; frac too
        assertThatThrownBy(() -> Tensor.tensor(new long[] {-35}).round(-1)).hasMessage("\"round_cpu\" not implemented for 'Long'");
        assertThatThrownBy(() -> ints(DType.INT8, 3).round(0)).hasMessage("\"round_vml_cpu\" not implemented for 'Char'");
        assertThatThrownBy(() -> Tensor.tensor(new long[] {-3}).frac()).hasMessage("\"frac_cpu\" not implemented for 'Long'");
    }

    @Test
    void whereAndClampRefuseScalarsTheResultDtypeCannotHold() {
        Tensor c = bools(true, false);
        // torch.where(c, torch.tensor([1, 2], dtype=torch.int8), 1000) -> value cannot be converted to type int8_t without overflow
        assertThatThrownBy(() -> Tensor.where(c, ints(DType.INT8, 1, 2), 1000L)).hasMessage("value cannot be converted to type int8_t without overflow");
        assertThatThrownBy(() -> Tensor.where(c, ints(DType.UINT8, 1, 2), -256L)).hasMessage("value cannot be converted to type uint8_t without overflow");
        assertThatThrownBy(() -> Tensor.where(c, Tensor.tensor(new double[] {1}).half(), 1e10)).hasMessage("value cannot be converted to type at::Half without overflow");
        assertThat(Tensor.where(c, ints(DType.UINT8, 1, 2), -255L).toLongArray()).containsExactly(1, 1);
        assertThat(Tensor.where(c, ints(DType.INT8, 1, 2), 1000.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThatThrownBy(() -> ints(DType.INT8, 1, 5).clamp(0L, 300L)).hasMessage("value cannot be converted to type int8_t without overflow");
        assertThat(ints(DType.INT8, 1, 5).clampMin(300.0).toDoubleArray()).containsExactly(300, 300);
        assertThat(ints(DType.INT8, 1, 5).clamp(0.5, 300.0).toDoubleArray()).containsExactly(1, 5);
    }

    @Test
    void cumsumWithDtypeKeepsIt() {
        // torch.tensor([100, 100], dtype=torch.int8).cumsum(0, dtype=torch.int8) -> tensor([100, -56], dtype=torch.int8)
        Tensor s = ints(DType.INT8, 100, 100).cumsum(0, DType.INT8);
        assertThat(s.dtype()).isEqualTo(DType.INT8);
        assertThat(s.toLongArray()).containsExactly(100, -56);
        assertThat(ints(DType.UINT8, 200, 200).cumsum(0, DType.INT32).toLongArray()).containsExactly(200, 400);
        assertThat(ints(DType.INT8, 100, 100).cumprod(0, DType.INT8).toLongArray()).containsExactly(100, 16);
        assertThatThrownBy(() -> bools(true).cumsum(0, DType.BOOL)).hasMessage("\"cumsum_out_cpu\" not implemented for 'Bool'");
    }

    @Test
    void clampAndReluKeepTheInputOnATie() {
        // torch.tensor([-0.]).clamp(0, 1) -> tensor([-0.]); clamp_min(0), clamp_max(0), relu() alike; clamp(1, 0) -> 0
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.BFLOAT16}) {
            Tensor z = Tensor.tensor(new double[] {-0.0}).to(dt);
            assertThat(signs(z.clamp(0.0, 1.0))).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(signs(z.clampMin(0.0))).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(signs(z.clampMax(0.0))).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(signs(z.clamp(0L, 1L))).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(signs(z.clamp(Tensor.zeros(new int[0], dt), null))).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(signs(z.relu())).containsExactly(Double.NEGATIVE_INFINITY);
            assertThat(signs(z.clamp(1.0, 0.0))).containsExactly(Double.POSITIVE_INFINITY);
            assertThat(z.clamp(Double.NaN, 1.0).isnan().itemBool()).isTrue();
        }
    }

    @Test
    void powSpecialValues() {
        double inf = Double.POSITIVE_INFINITY, nan = Double.NaN;
        Tensor x = Tensor.tensor(new double[] {-0.0, -inf, 4, -4});
        // x.pow(0.5) is sqrt and x.pow(-0.5) rsqrt: tensor([-0., nan, 2., nan]) and tensor([-inf, nan, 0.5, nan])
        assertThat(x.pow(0.5).toDoubleArray()).containsExactly(-0.0, nan, 2, nan);
        assertThat(x.pow(-0.5).toDoubleArray()).containsExactly(-inf, nan, 0.5, nan);
        assertThat(x.to(DType.FLOAT32).pow(0.5).toDoubleArray()).containsExactly(-0.0, nan, 2, nan);
        // a tensor exponent, and float16, use C's pow: pow(-0., 0.5) = 0., pow(-inf, 0.5) = inf
        assertThat(x.pow(Tensor.full(new int[] {4}, 0.5, DType.FLOAT64)).toDoubleArray()).containsExactly(0.0, inf, 2, nan);
        assertThat(x.half().pow(0.5).toDoubleArray()).containsExactly(0.0, inf, 2, nan);
        // torch.pow(1.0, t) is 1 everywhere, torch.pow(-1.0, t) is 1 at +-inf
        Tensor e = Tensor.tensor(new double[] {inf, -inf, nan, 2});
        assertThat(Tensor.pow(1.0, e).toDoubleArray()).containsExactly(1, 1, 1, 1);
        assertThat(Tensor.pow(-1.0, e).toDoubleArray()).containsExactly(1, 1, nan, 1);
    }

    @Test
    void xlogyWithANumberIsItsOwnOverload() {
        // x = torch.tensor([0., 1.5, -2.], dtype=torch.float64, requires_grad=True)
        Tensor x = Tensor.tensor(new double[] {0, 1.5, -2}).requiresGrad_();
        // torch.xlogy(x, -2.0).grad_fn -> XlogyBackward2; its gradient is masked where x == 0 only for other <= 0: [0, nan, nan]
        Tensor y = x.xlogy(-2.0);
        assertThat(y.gradFn().name()).isEqualTo("XlogyBackward2");
        y.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(0, Double.NaN, Double.NaN);
        // torch.xlogy(x, 2.0).sum().backward() -> log(2) everywhere, also where x == 0
        x.setGrad(null);
        x.xlogy(2.0).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(Math.log(2), Math.log(2), Math.log(2));
        // torch.xlogy(0.0, x).grad_fn -> XlogyBackward1 with x alone as input; grad * 0 / x -> [nan, 0, -0]
        x.setGrad(null);
        Tensor z = Tensor.xlogy(0.0, x);
        assertThat(z.gradFn().name()).isEqualTo("XlogyBackward1");
        assertThat(z.gradFn().nextFunctions()).hasSize(1);
        z.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(Double.NaN, 0.0, -0.0);
        // (x * 1).xlogy_(2.0).grad_fn -> XlogyBackward2
        assertThat(x.mul(1.0).xlogy_(2.0).gradFn().name()).isEqualTo("XlogyBackward2");
    }

    @Test
    void lerpStartsFromTheNearerEnd() {
        double inf = Double.POSITIVE_INFINITY;
        // torch.lerp(torch.tensor([inf, -inf, -7.9]), torch.ones(3), 0.5) -> tensor([inf, -inf, -3.4500])
        Tensor a = Tensor.tensor(new float[] {(float) inf, (float) -inf, -7.9f});
        assertThat(a.lerp(Tensor.ones(3), 0.5).toFloatArray()).containsExactly((float) inf, (float) -inf, -3.4499998f);
        // bfloat16 computes in float and rounds once: tensor([-3.4531], dtype=torch.bfloat16)
        Tensor b = Tensor.tensor(new double[] {-7.9}).bfloat16();
        assertThat(b.lerp(Tensor.ones(new int[] {1}, DType.BFLOAT16), 0.5).item()).isEqualTo(-3.453125);
    }

    @Test
    void reducedFloatAddcdivRoundsOnce() {
        // torch.addcdiv(bf(1.1, 3.3), bf(1.7, 2.9), bf(1.3, 0.7), value=0.3) with bf = bfloat16 tensors
        //   -> tensor([1.4922, 4.5312], dtype=torch.bfloat16): computed in float, rounded once
        Tensor s = Tensor.tensor(new double[] {1.1, 3.3}).bfloat16();
        Tensor t1 = Tensor.tensor(new double[] {1.7, 2.9}).bfloat16(), t2 = Tensor.tensor(new double[] {1.3, 0.7}).bfloat16();
        Tensor out = s.addcdiv(t1, t2, 0.3);
        assertThat(out.dtype()).isEqualTo(DType.BFLOAT16);
        assertThat(out.toDoubleArray()).containsExactly(1.4921875, 4.53125);
    }

    @Test
    void inPlaceClampAndPowOfIntegersWithFloatArguments() {
        // torch.tensor([1, 2]).clamp_(0.5, 1.5) -> result type Float can't be cast to the desired output type long int
        assertThatThrownBy(() -> Tensor.tensor(new long[] {1, 2}).clamp_(0.5, 1.5))
                .hasMessage("result type Float can't be cast to the desired output type long int");
        assertThatThrownBy(() -> ints(DType.UINT8, 1, 2).clamp_(null, 1.5))
                .hasMessage("result type Float can't be cast to the desired output type unsigned char");
        // torch.tensor([1, 2]).pow_(0.5) -> Found dtype Long but expected Float
        assertThatThrownBy(() -> Tensor.tensor(new long[] {1, 2}).pow_(0.5)).hasMessage("Found dtype Long but expected Float");
        assertThatThrownBy(() -> bools(true).pow_(2.0)).hasMessage("Found dtype Bool but expected Float");
        assertThat(Tensor.tensor(new double[] {-1, 4}).clamp_(0.0, 2.0).toDoubleArray()).containsExactly(0, 2);
    }

    @Test
    void inPlaceOpsCheckTheBroadcastShapeFirstAndKeepIntegerTensorsIntegral() {
        // torch.zeros(3, 1, dtype=torch.long).div_(torch.ones(1, 3, 1)) -> output with shape [3, 1] doesn't match the broadcast shape [1, 3, 1]
        assertThatThrownBy(() -> Tensor.zeros(new int[] {3, 1}, DType.INT64).div_(Tensor.ones(1, 3, 1)))
                .hasMessage("output with shape [3, 1] doesn't match the broadcast shape [1, 3, 1]");
        // torch.zeros(2).copy_(torch.ones(1, 2)), also on a tensor in a graph -> output with shape [2] doesn't match the broadcast shape [1, 2]
        assertThatThrownBy(() -> Tensor.zeros(2).copy_(Tensor.ones(1, 2))).hasMessage("output with shape [2] doesn't match the broadcast shape [1, 2]");
        Tensor y = Tensor.zeros(2).requiresGrad_().mul(1.0);
        assertThatThrownBy(() -> y.copy_(Tensor.ones(1, 2))).hasMessage("output with shape [2] doesn't match the broadcast shape [1, 2]");
        // torch.zeros(2, dtype=torch.long).add(torch.ones(3, dtype=torch.long), alpha=0.5) -> the size error, before the alpha check
        assertThatThrownBy(() -> Tensor.zeros(new int[] {2}, DType.INT64).add(Tensor.ones(new int[] {3}, DType.INT64), 0.5))
                .hasMessage("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0");
        // t = torch.tensor([1, 2, 3]); t.add_(2); t.sub_(1); t.mul_(3) -> tensor([6, 9, 12])
        Tensor t = Tensor.tensor(new long[] {1, 2, 3});
        t.add_(2L).sub_(1L).mul_(3L);
        assertThat(t.dtype()).isEqualTo(DType.INT64);
        assertThat(t.toLongArray()).containsExactly(6, 9, 12);
        // torch.tensor([5, -3]).clamp_(-1, 2) -> tensor([2, -1]); torch.tensor([True]).clamp_(-1, 2) -> result type Long can't be cast to the desired output type bool
        assertThat(Tensor.tensor(new long[] {5, -3}).clamp_(-1L, 2L).toLongArray()).containsExactly(2, -1);
        assertThatThrownBy(() -> Tensor.tensor(new boolean[] {true}).clamp_(-1L, 2L)).hasMessage("result type Long can't be cast to the desired output type bool");
    }

    private static Tensor nanSignOp2(String op, Tensor a, Tensor b) {
        return switch (op) {
            case "hypot" -> a.hypot(b);
            case "copysign" -> a.copysign(b);
            case "div" -> a.div(b);
            case "add" -> a.add(b);
            case "sub" -> a.sub(b);
            case "mul" -> a.mul(b);
            case "maximum" -> a.maximum(b);
            case "minimum" -> a.minimum(b);
            case "fmax" -> a.fmax(b);
            case "fmin" -> a.fmin(b);
            case "atan2" -> a.atan2(b);
            case "pow" -> a.pow(b);
            case "fmod" -> a.fmod(b);
            case "remainder" -> a.remainder(b);
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Tensor nanSignOp(String op, Tensor x) {
        return switch (op) {
            case "log" -> x.log();
            case "log1p" -> x.log1p();
            case "log2" -> x.log2();
            case "log10" -> x.log10();
            case "asin" -> x.asin();
            case "acos" -> x.acos();
            case "acosh" -> x.acosh();
            case "atanh" -> x.atanh();
            case "digamma" -> x.digamma();
            case "sin" -> x.sin();
            case "cos" -> x.cos();
            case "tan" -> x.tan();
            case "tanh" -> x.tanh();
            case "erf" -> x.erf();
            case "erfc" -> x.erfc();
            case "erfinv" -> x.erfinv();
            case "sqrt" -> x.sqrt();
            case "rsqrt" -> x.rsqrt();
            case "reciprocal" -> x.reciprocal();
            case "exp" -> x.exp();
            case "expm1" -> x.expm1();
            case "neg" -> x.neg();
            case "abs" -> x.abs();
            case "lgamma" -> x.lgamma();
            case "atan" -> x.atan();
            case "asinh" -> x.asinh();
            case "exp2" -> x.exp2();
            case "trunc" -> x.trunc();
            case "floor" -> x.floor();
            case "round" -> x.round();
            case "sign" -> x.sign();
            case "sgn" -> x.sgn();
            case "frac" -> x.frac();
            case "square" -> x.square();
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Tensor unaryInPlace(String op, Tensor x) {
        return switch (op) {
            case "neg_" -> x.neg_();
            case "abs_" -> x.abs_();
            case "exp_" -> x.exp_();
            case "log_" -> x.log_();
            case "sqrt_" -> x.sqrt_();
            case "sigmoid_" -> x.sigmoid_();
            case "tanh_" -> x.tanh_();
            case "relu_" -> x.relu_();
            case "floor_" -> x.floor_();
            case "ceil_" -> x.ceil_();
            case "round_" -> x.round_();
            case "clamp_" -> x.clamp_(-0.5, 0.5);
            case "pow_" -> x.pow_(2.0);
            case "sin_" -> x.sin_();
            case "cos_" -> x.cos_();
            case "tan_" -> x.tan_();
            case "asin_" -> x.asin_();
            case "acos_" -> x.acos_();
            case "atan_" -> x.atan_();
            case "sinh_" -> x.sinh_();
            case "cosh_" -> x.cosh_();
            case "erf_" -> x.erf_();
            case "exp2_" -> x.exp2_();
            case "expm1_" -> x.expm1_();
            case "log2_" -> x.log2_();
            case "log10_" -> x.log10_();
            case "log1p_" -> x.log1p_();
            case "reciprocal_" -> x.reciprocal_();
            case "rsqrt_" -> x.rsqrt_();
            case "sign_" -> x.sign_();
            case "sgn_" -> x.sgn_();
            case "square_" -> x.square_();
            case "trunc_" -> x.trunc_();
            case "frac_" -> x.frac_();
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** floor_divide has no derivative in PyTorch: a NotImplemented node, failing in backward. */
    @Test
    void floorDivideRecordsNoDerivative() {
        // y = torch.tensor([1.5, 2.25], requires_grad=True); z = torch.floor_divide(y, 2); z.grad_fn -> NotImplemented
        Tensor y = Tensor.fromArray(new float[] {1.5f, 2.25f}, 2).requiresGrad_(true);
        Tensor z = y.floorDivide(2L);
        assertThat(z.toDoubleArray()).containsExactly(0, 1);
        assertThat(z.gradFn().name()).isEqualTo("torch::autograd::NotImplemented");
        assertThatThrownBy(() -> z.sum().backward()).hasMessage("derivative for aten::floor_divide is not implemented");
        assertThat(y.floorDivide(Tensor.fromArray(new float[] {2, 1}, 2)).gradFn().name()).isEqualTo("torch::autograd::NotImplemented");
    }
}
