package dev.ember.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * float32 exp, log, tanh and sigmoid written in IEEE arithmetic only (multiply, add, fused multiply-add and bit
 * moves), in a vector form and a scalar form that perform the same operations in the same order.
 *
 * <p>Why not {@code lanewise(VectorOperators.EXP)}: the JIT compiles it to a vendor math library (SVML) while the
 * interpreter and the first compiler tier compute each lane with {@code Math.exp}; the two differ in the last bit,
 * so the same tensor op gave different numbers before and after warm-up, and a vector body and its scalar tail
 * disagreed. Here every path performs the same correctly defined operations, so exp(x) is one number for a given
 * x: in every tier, in the vector body, in the tail and in strided loops (PyTorch gets the same property from
 * Sleef). The polynomials are the classic Cephes single-precision ones (range reduction by ln 2, then a minimax
 * polynomial); {@code FloatMathTest} bounds their error against double-precision {@link Math} at 2 ulp.
 */
final class FloatMath {
    private FloatMath() {}

    // exp: x = n ln2 + r with |r| <= ln2/2; ln2 split in two so n*LN2_HI is exact
    private static final float LOG2E = 1.44269504088896341f, LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding it rounds a float of magnitude below 2^22 to an integer held in its low mantissa bits. */
    private static final float ROUNDER = 12582912f;
    private static final int ROUNDER_BITS = 0x4B40_0000;
    /** Beyond these, exp is 0 or infinity in float; clamping keeps the scale factors representable. */
    private static final float EXP_LO = -104f, EXP_HI = 89f;
    private static final float E0 = 1.9875691500e-4f, E1 = 1.3981999507e-3f, E2 = 8.3334519073e-3f,
            E3 = 4.1665795894e-2f, E4 = 1.6666665459e-1f, E5 = 5.0000001201e-1f;

    // log: x = m 2^e with m in [sqrt(1/2), sqrt(2)); log(x) = log1p(m - 1) + e ln2
    private static final float SQRT_HALF = 0.707106781186547524f, MIN_NORMAL = Float.MIN_NORMAL, TWO_23 = 8388608f;
    private static final float L0 = 7.0376836292e-2f, L1 = -1.1514610310e-1f, L2 = 1.1676998740e-1f,
            L3 = -1.2420140846e-1f, L4 = 1.4249322787e-1f, L5 = -1.6668057665e-1f, L6 = 2.0000714765e-1f,
            L7 = -2.4999993993e-1f, L8 = 3.3333331174e-1f;

    // tanh: an odd polynomial below 0.625, where 1 - 2/(exp(2x)+1) would cancel
    private static final float TANH_SMALL = 0.625f;
    /** Beyond this Sleef's tanhf (PyTorch's vector kernel) returns 1, where 1 - 2/(exp(2x)+1) still rounds below it. */
    private static final float TANH_ONE = 8.664339742f;
    private static final float T0 = -5.70498872745e-3f, T1 = 2.06390887954e-2f, T2 = -5.37397155531e-2f,
            T3 = 1.33314422036e-1f, T4 = -3.33332819422e-1f;

    // ---------------------------------------------------------------- vector forms

    private static final FloatVector ZERO = FloatVector.zero(FloatVectors.S), ONE = FloatVector.broadcast(FloatVectors.S, 1f),
            TWO = FloatVector.broadcast(FloatVectors.S, 2f);

    static FloatVector exp(FloatVector x) {
        x = x.max(EXP_LO).min(EXP_HI); // max/min keep a NaN, which then flows through
        FloatVector t = x.fma(b(LOG2E), b(ROUNDER));
        FloatVector n = t.sub(ROUNDER);
        IntVector ni = t.reinterpretAsInts().sub(ROUNDER_BITS);
        FloatVector r = n.fma(b(-LN2_HI), x);
        r = n.fma(b(-LN2_LO), r);
        FloatVector p = r.fma(b(E0), b(E1)).fma(r, b(E2)).fma(r, b(E3)).fma(r, b(E4)).fma(r, b(E5));
        FloatVector y = p.fma(r.mul(r), r).add(1f);
        // 2^n as two factors 2^(n/2) and 2^(n - n/2): each stays a normal float down to n = -150 and up to 128
        IntVector n1 = ni.lanewise(VectorOperators.ASHR, 1), n2 = ni.sub(n1);
        return y.mul(pow2(n1)).mul(pow2(n2));
    }

    static FloatVector log(FloatVector x) {
        VectorMask<Float> subnormal = x.compare(VectorOperators.LT, MIN_NORMAL);
        FloatVector xs = x.blend(x.mul(TWO_23), subnormal);
        IntVector bits = xs.reinterpretAsInts();
        FloatVector e = (FloatVector) bits.lanewise(VectorOperators.LSHR, 23).sub(126).convert(VectorOperators.I2F, 0);
        e = e.sub(ZERO.blend(23f, subnormal));
        FloatVector m = bits.and(0x007F_FFFF).or(0x3F00_0000).reinterpretAsFloats(); // in [1/2, 1)
        VectorMask<Float> low = m.compare(VectorOperators.LT, SQRT_HALF);
        e = e.sub(ZERO.blend(1f, low));
        FloatVector f = m.sub(1f).blend(m.add(m).sub(1f), low);
        FloatVector z = f.mul(f);
        FloatVector p = f.fma(b(L0), b(L1)).fma(f, b(L2)).fma(f, b(L3)).fma(f, b(L4)).fma(f, b(L5)).fma(f, b(L6)).fma(f, b(L7)).fma(f, b(L8));
        FloatVector y = p.mul(f).mul(z);
        y = e.fma(b(LN2_LO), y);
        y = z.fma(b(-0.5f), y);
        FloatVector r = f.add(y);
        r = e.fma(b(LN2_HI), r);
        // log(0) = -inf, log(negative) = NaN, log(inf) = inf, log(NaN) = NaN: a positive one, as PyTorch's, whatever
        // the input NaN's sign
        r = r.blend(Float.NEGATIVE_INFINITY, x.compare(VectorOperators.EQ, 0f));
        r = r.blend(Float.NaN, x.compare(VectorOperators.LT, 0f).or(x.test(VectorOperators.IS_NAN)));
        return r.blend(x, x.compare(VectorOperators.EQ, Float.POSITIVE_INFINITY));
    }

    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector z = x.mul(x);
        FloatVector small = z.fma(b(T0), b(T1)).fma(z, b(T2)).fma(z, b(T3)).fma(z, b(T4)).mul(z).fma(ax, ax);
        FloatVector large = ONE.sub(TWO.div(exp(ax.add(ax)).add(1f)));
        FloatVector y = large.blend(small, ax.compare(VectorOperators.LT, TANH_SMALL)).blend(ONE, ax.compare(VectorOperators.GT, TANH_ONE));
        return y.reinterpretAsInts().or(x.reinterpretAsInts().and(0x8000_0000)).reinterpretAsFloats(); // odd, and tanh(-0) = -0
    }

    static FloatVector sigmoid(FloatVector x) {
        return ONE.div(exp(x.neg()).add(1f));
    }

    /** A constant in every lane; the JIT hoists it out of the caller's loop. */
    private static FloatVector b(float c) { return FloatVector.broadcast(FloatVectors.S, c); }

    private static FloatVector pow2(IntVector n) {
        return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    // ---------------------------------------------------------------- scalar forms: the same operations, in order

    static float exp(float x) {
        x = Math.min(Math.max(x, EXP_LO), EXP_HI);
        float t = Math.fma(x, LOG2E, ROUNDER);
        float n = t - ROUNDER;
        int ni = Float.floatToRawIntBits(t) - ROUNDER_BITS;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, E0, E1), r, E2), r, E3), r, E4), r, E5);
        float y = Math.fma(p, r * r, r) + 1f;
        int n1 = ni >> 1, n2 = ni - n1;
        return y * pow2(n1) * pow2(n2);
    }

    static float log(float x) {
        boolean subnormal = x < MIN_NORMAL;
        float xs = subnormal ? x * TWO_23 : x;
        int bits = Float.floatToRawIntBits(xs);
        float e = (float) ((bits >>> 23) - 126);
        e = e - (subnormal ? 23f : 0f);
        float m = Float.intBitsToFloat(bits & 0x007F_FFFF | 0x3F00_0000);
        boolean low = m < SQRT_HALF;
        e = e - (low ? 1f : 0f);
        float f = low ? m + m - 1f : m - 1f;
        float z = f * f;
        float p = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(f, L0, L1), f, L2), f, L3), f, L4), f, L5), f, L6), f, L7), f, L8);
        float y = p * f * z;
        y = Math.fma(e, LN2_LO, y);
        y = Math.fma(z, -0.5f, y);
        float r = f + y;
        r = Math.fma(e, LN2_HI, r);
        if (x == 0f) return Float.NEGATIVE_INFINITY;
        if (x < 0f || Float.isNaN(x)) return Float.NaN;
        return x == Float.POSITIVE_INFINITY ? x : r;
    }

    static float tanh(float x) {
        float ax = Math.abs(x);
        float z = x * x;
        float y = ax < TANH_SMALL
                ? Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(z, T0, T1), z, T2), z, T3), z, T4) * z, ax, ax)
                : ax > TANH_ONE ? 1f : 1f - 2f / (exp(ax + ax) + 1f);
        return Float.intBitsToFloat(Float.floatToRawIntBits(y) | Float.floatToRawIntBits(x) & 0x8000_0000);
    }

    static float sigmoid(float x) { return 1f / (exp(-x) + 1f); }

    private static float pow2(int n) { return Float.intBitsToFloat((n + 127) << 23); }
}
