package dev.ember.backend.cpu;

import dev.ember.tensor.spi.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vectorised float32 loops over contiguous runs. Each op has its own small loop so the JIT sees a
 * constant operator (a variable {@code VectorOperators} argument would not be intrinsified).
 */
final class FloatVectors {
    private FloatVectors() {}

    /**
     * 256 bits even where AVX-512 is there: these loops stream memory, and on the AVX-512 machine measured (AMD EPYC,
     * session 15) 512-bit loads made a cache-resident 1M add 6% slower (78.5 against 74.3 µs), where PyTorch runs its
     * AVX2 kernels.
     */
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int L = S.length();

    // ---------------------------------------------------------------- binary, both operands contiguous

    /**
     * The add loop stays as plain as it is fast: where both operands are NaN, PyTorch gives b's, and the hardware its
     * first operand's, which is a's or b's as the JIT orders the operands of this commutative add (C2 sorts them by
     * node index). A blend to settle it measured 2-10% slower here, so a contiguous float32 add of two NaNs is the one
     * case not followed.
     */
    static void add(float[] a, int ia, float[] b, int ib, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, a, ia + i).add(FloatVector.fromArray(S, b, ib + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = a[ia + i] + b[ib + i];
    }

    // sub and mul give b's NaN where both operands are NaN, as PyTorch (see ScalarMath.binary): the blend decides it,
    // whichever operand order the JIT picks

    static void sub(float[] a, int ia, float[] b, int ib, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector vb = FloatVector.fromArray(S, b, ib + i);
            FloatVector.fromArray(S, a, ia + i).sub(vb).blend(vb, vb.test(VectorOperators.IS_NAN)).intoArray(o, io + i);
        }
        for (; i < n; i++) {
            float y = b[ib + i];
            o[io + i] = Float.isNaN(y) ? y : a[ia + i] - y;
        }
    }

    static void mul(float[] a, int ia, float[] b, int ib, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector vb = FloatVector.fromArray(S, b, ib + i);
            FloatVector.fromArray(S, a, ia + i).mul(vb).blend(vb, vb.test(VectorOperators.IS_NAN)).intoArray(o, io + i);
        }
        for (; i < n; i++) {
            float y = b[ib + i];
            o[io + i] = Float.isNaN(y) ? y : a[ia + i] * y;
        }
    }

    static void div(float[] a, int ia, float[] b, int ib, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, a, ia + i).div(FloatVector.fromArray(S, b, ib + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = a[ia + i] / b[ib + i];
    }

    private static final FloatVector MASK_NAN = FloatVector.broadcast(S, Float.intBitsToFloat(-1));

    /**
     * maximum/minimum as PyTorch's kernel: its vectorized loop (the first {@code body} elements) gives an all-ones NaN
     * for any NaN and b on a tie (±0), its scalar loop +nan and a (see ScalarMath.binaryVectorLane/binary).
     */
    static void maximum(float[] a, int ia, float[] b, int ib, float[] o, int io, int n, int body) {
        int i = 0;
        for (int ub = Math.min(S.loopBound(n), body - L + 1); i < ub; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ia + i), vb = FloatVector.fromArray(S, b, ib + i);
            VectorMask<Float> nan = va.test(VectorOperators.IS_NAN).or(vb.test(VectorOperators.IS_NAN));
            vb.blend(va, va.compare(VectorOperators.GT, vb)).blend(MASK_NAN, nan).intoArray(o, io + i);
        }
        for (; i < n; i++) o[io + i] = (float) binaryAt(BinaryOp.MAXIMUM, a[ia + i], b[ib + i], i < body);
    }

    static void minimum(float[] a, int ia, float[] b, int ib, float[] o, int io, int n, int body) {
        int i = 0;
        for (int ub = Math.min(S.loopBound(n), body - L + 1); i < ub; i += L) {
            FloatVector va = FloatVector.fromArray(S, a, ia + i), vb = FloatVector.fromArray(S, b, ib + i);
            VectorMask<Float> nan = va.test(VectorOperators.IS_NAN).or(vb.test(VectorOperators.IS_NAN));
            vb.blend(va, va.compare(VectorOperators.LT, vb)).blend(MASK_NAN, nan).intoArray(o, io + i);
        }
        for (; i < n; i++) o[io + i] = (float) binaryAt(BinaryOp.MINIMUM, a[ia + i], b[ib + i], i < body);
    }

    private static double binaryAt(BinaryOp op, float a, float b, boolean vectorLoop) {
        return vectorLoop ? ScalarMath.binaryVectorLane(op, a, b) : ScalarMath.binary(op, a, b);
    }

    // ---------------------------------------------------------------- binary, second operand a broadcast scalar

    /** a + s; a NaN s is every result (PyTorch gives b's NaN where both are NaN; the hardware's pick would vary). */
    static void addScalar(float[] a, int ia, float s, float[] o, int io, int n) {
        if (Float.isNaN(s)) {
            java.util.Arrays.fill(o, io, io + n, s);
            return;
        }
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, a, ia + i).add(vs).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = a[ia + i] + s;
    }

    static void mulScalar(float[] a, int ia, float s, float[] o, int io, int n) {
        if (Float.isNaN(s)) {
            java.util.Arrays.fill(o, io, io + n, s);
            return;
        }
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, a, ia + i).mul(vs).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = a[ia + i] * s;
    }

    static void divScalar(float[] a, int ia, float s, float[] o, int io, int n) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, a, ia + i).div(vs).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = a[ia + i] / s;
    }

    // ---------------------------------------------------------------- unary

    static void relu(float[] a, int ia, float[] o, int io, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector v = FloatVector.fromArray(S, a, ia + i);
            // blend keeps NaN (a NaN is not < 0), as PyTorch's relu does
            v.blend(zero, v.compare(VectorOperators.LT, zero)).intoArray(o, io + i);
        }
        for (; i < n; i++) {
            float x = a[ia + i];
            o[io + i] = x < 0 ? 0f : x;
        }
    }

    static void neg(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, a, ia + i).neg().intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = -a[ia + i];
    }

    static void abs(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, a, ia + i).abs().intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = Math.abs(a[ia + i]);
    }

    static void sqrt(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatVector.fromArray(S, a, ia + i).sqrt().intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = (float) Math.sqrt(a[ia + i]);
    }

    // exp, log, tanh and sigmoid run the whole range, tail included, through FloatMath's vector form: a masked last
    // vector rather than a scalar loop, so an element's value does not depend on where in the array it sits

    static void exp(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatMath.exp(FloatVector.fromArray(S, a, ia + i)).intoArray(o, io + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatMath.exp(FloatVector.fromArray(S, a, ia + i, m)).intoArray(o, io + i, m);
        }
    }

    static void log(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatMath.log(FloatVector.fromArray(S, a, ia + i)).intoArray(o, io + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatMath.log(FloatVector.fromArray(S, a, ia + i, m)).intoArray(o, io + i, m);
        }
    }

    static void tanh(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatMath.tanh(FloatVector.fromArray(S, a, ia + i)).intoArray(o, io + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatMath.tanh(FloatVector.fromArray(S, a, ia + i, m)).intoArray(o, io + i, m);
        }
    }

    static void sigmoid(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) FloatMath.sigmoid(FloatVector.fromArray(S, a, ia + i)).intoArray(o, io + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatMath.sigmoid(FloatVector.fromArray(S, a, ia + i, m)).intoArray(o, io + i, m);
        }
    }

    // ---------------------------------------------------------------- reductions

    /**
     * The sum of v's lanes in a fixed order (halves added pairwise). {@code reduceLanes(ADD)} leaves the order to the
     * implementation, and the JIT's order differs from the interpreter's, so a sum would change in its last bit
     * once its loop was compiled.
     */
    static float addLanes(FloatVector v) {
        for (int half = v.length() / 2; half > 0; half /= 2) v = v.add(v.slice(half)); // v's own width: callers have other species
        return v.lane(0);
    }

    /** Max of a contiguous run; NaN wins, as in PyTorch. */
    static float max(float[] a, int ia, int n) {
        float m = Float.NEGATIVE_INFINITY;
        int i = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            VectorMask<Float> nan = S.maskAll(false);
            for (int ub = S.loopBound(n); i < ub; i += L) {
                FloatVector v = FloatVector.fromArray(S, a, ia + i);
                nan = nan.or(v.test(VectorOperators.IS_NAN));
                acc = acc.max(v);
            }
            if (nan.anyTrue()) return Float.NaN;
            m = acc.reduceLanes(VectorOperators.MAX);
        }
        for (; i < n; i++) {
            float x = a[ia + i];
            if (Float.isNaN(x)) return x;
            if (x > m) m = x;
        }
        return m;
    }

    /** Min of a contiguous run; NaN wins, as in PyTorch. */
    static float min(float[] a, int ia, int n) {
        float m = Float.POSITIVE_INFINITY;
        int i = 0;
        if (n >= L) {
            FloatVector acc = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
            VectorMask<Float> nan = S.maskAll(false);
            for (int ub = S.loopBound(n); i < ub; i += L) {
                FloatVector v = FloatVector.fromArray(S, a, ia + i);
                nan = nan.or(v.test(VectorOperators.IS_NAN));
                acc = acc.min(v);
            }
            if (nan.anyTrue()) return Float.NaN;
            m = acc.reduceLanes(VectorOperators.MIN);
        }
        for (; i < n; i++) {
            float x = a[ia + i];
            if (Float.isNaN(x)) return x;
            if (x < m) m = x;
        }
        return m;
    }

    /** o[k] = max(o[k], a[k]) with NaN propagating (lanewise MAX follows Math.max). */
    static void maxInto(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, o, io + i).max(FloatVector.fromArray(S, a, ia + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = Math.max(o[io + i], a[ia + i]);
    }

    /** o[k] = min(o[k], a[k]) with NaN propagating. */
    static void minInto(float[] a, int ia, float[] o, int io, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, o, io + i).min(FloatVector.fromArray(S, a, ia + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = Math.min(o[io + i], a[ia + i]);
    }

    /** o[k] += a[k] over a contiguous run (the row-accumulation of an outer reduction). */
    static void accumulate(float[] a, int ia, float[] o, int io, int n) {
        add(a, ia, o, io, o, io, n);
    }
}
