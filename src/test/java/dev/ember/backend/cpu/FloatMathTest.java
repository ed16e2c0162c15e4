package dev.ember.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FloatMath's exp, log, tanh and sigmoid: within 2 ulp of double-precision {@link Math} over a sweep of every
 * float exponent and sign, exact on the special values, and the vector loops (body and masked tail, at any
 * offset) bit-identical to the scalar forms, which is what makes one x give one exp(x) in every JIT tier.
 */
class FloatMathTest {
    /** Every 613th float bit pattern: about 7 million values, every exponent, both signs, NaN payloads. */
    private static final int STEP = 613;

    @FunctionalInterface
    interface FloatFn { float apply(float x); }

    @FunctionalInterface
    interface Loop { void run(float[] a, int ia, float[] o, int io, int n); }

    @Test
    void expIsWithinTwoUlp() { assertThat(maxUlps(FloatMath::exp, Math::exp)).isLessThanOrEqualTo(2); }

    @Test
    void logIsWithinTwoUlp() { assertThat(maxUlps(FloatMath::log, Math::log)).isLessThanOrEqualTo(2); }

    @Test
    void tanhIsWithinTwoUlp() { assertThat(maxUlps(FloatMath::tanh, Math::tanh)).isLessThanOrEqualTo(2); }

    @Test
    void sigmoidIsWithinTwoUlp() {
        // below x = -88.72, exp(-x) overflows and sigmoid is 0 where the exact value is subnormal, as in PyTorch
        assertThat(maxUlps(FloatMath::sigmoid, x -> x < -88.72 ? 0 : 1 / (1 + Math.exp(-x)))).isLessThanOrEqualTo(2);
    }

    @Test
    void specialValues() {
        float inf = Float.POSITIVE_INFINITY;
        assertThat(FloatMath.exp(Float.NaN)).isNaN();
        assertThat(FloatMath.exp(inf)).isEqualTo(inf);
        assertThat(FloatMath.exp(-inf)).isZero();
        assertThat(FloatMath.exp(0f)).isEqualTo(1f);
        assertThat(FloatMath.exp(-0f)).isEqualTo(1f);
        assertThat(FloatMath.exp(88.72284f)).isEqualTo(inf); // first overflow
        assertThat(FloatMath.exp(88.72283f)).isEqualTo((float) Math.exp(88.72283f));
        assertThat(FloatMath.exp(-103.27893f)).isEqualTo(Float.MIN_VALUE); // the smallest subnormal result
        assertThat(FloatMath.exp(-104f)).isZero();
        assertThat(FloatMath.log(0f)).isEqualTo(-inf);
        assertThat(FloatMath.log(-0f)).isEqualTo(-inf);
        assertThat(FloatMath.log(-1f)).isNaN();
        assertThat(FloatMath.log(-inf)).isNaN();
        assertThat(FloatMath.log(inf)).isEqualTo(inf);
        assertThat(FloatMath.log(Float.NaN)).isNaN();
        assertThat(FloatMath.log(1f)).isZero();
        assertThat(FloatMath.log(Float.MIN_VALUE)).isEqualTo((float) Math.log(Float.MIN_VALUE));
        assertThat(FloatMath.log(Float.MAX_VALUE)).isEqualTo((float) Math.log(Float.MAX_VALUE));
        assertThat(FloatMath.tanh(inf)).isEqualTo(1f);
        assertThat(FloatMath.tanh(-inf)).isEqualTo(-1f);
        assertThat(FloatMath.tanh(Float.NaN)).isNaN();
        assertThat(Float.floatToRawIntBits(FloatMath.tanh(-0f))).isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(FloatMath.tanh(Float.MIN_VALUE)).isEqualTo(Float.MIN_VALUE);
        assertThat(FloatMath.sigmoid(inf)).isEqualTo(1f);
        assertThat(FloatMath.sigmoid(-inf)).isZero();
        assertThat(FloatMath.sigmoid(Float.NaN)).isNaN();
        assertThat(FloatMath.sigmoid(-88.72387f)).isZero(); // PyTorch: 1 / (1 + inf)
        assertThat(FloatMath.sigmoid(-87f)).isEqualTo(1.6458115938842401e-38f);
    }

    @Test
    void vectorLoopsGiveTheScalarFormsBitForBit() {
        sameBits(FloatVectors::exp, FloatMath::exp);
        sameBits(FloatVectors::log, FloatMath::log);
        sameBits(FloatVectors::tanh, FloatMath::tanh);
        sameBits(FloatVectors::sigmoid, FloatMath::sigmoid);
    }

    /** The largest distance in ulps from the correctly rounded float of the double-precision function. */
    private static long maxUlps(FloatFn f, DoubleUnaryOperator reference) {
        long worst = 0;
        float worstAt = 0;
        for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += STEP) {
            float x = Float.intBitsToFloat((int) bits);
            float got = f.apply(x), want = (float) reference.applyAsDouble(x);
            if (Float.isNaN(want)) {
                assertThat(got).as("f(%s)", x).isNaN();
                continue;
            }
            long d = Math.abs(ordered(got) - ordered(want));
            if (d > worst) { worst = d; worstAt = x; }
        }
        assertThat(worst).as("worst at x = %s", worstAt).isLessThanOrEqualTo(2);
        return worst;
    }

    /** Float bits mapped to a line on which adjacent floats differ by 1, through zero. */
    private static long ordered(float v) {
        int b = Float.floatToRawIntBits(v);
        return b < 0 ? -(long) (b & 0x7FFF_FFFF) : b;
    }

    private static void sameBits(Loop loop, FloatFn scalar) {
        int n = 1 << 16;
        float[] a = new float[n + 40], o = new float[n + 40];
        for (int i = 0; i < a.length; i++) a[i] = Float.intBitsToFloat(i * 65_521 + 0x3000_0000 * (i & 3));
        for (int len : new int[] {1, 3, 7, 8, 9, 15, 16, 17, 31, n}) {
            for (int off = 0; off < 4; off++) {
                loop.run(a, off, o, off + 3, len);
                for (int i = 0; i < len; i++) {
                    float want = scalar.apply(a[off + i]);
                    if (Float.floatToRawIntBits(o[off + 3 + i]) != Float.floatToRawIntBits(want) && !(Float.isNaN(want) && Float.isNaN(o[off + 3 + i])))
                        throw new AssertionError("at " + a[off + i] + " (len " + len + "): vector " + o[off + 3 + i] + ", scalar " + want);
                }
            }
        }
    }
}
