package dev.ember.backend.cpu;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.ember.backend.cpu.FloatVectors.S;

/**
 * Vectorised float32 comparisons into bool bytes (0/1) and {@code where} selections by a bool mask, over
 * contiguous runs. A float lane's mask is carried to and from a byte vector with the same lane count
 * (16 floats in 512 bits, 16 bytes in 128). As in {@link FloatVectors}, every operator has its own loop so
 * the JIT sees it as a constant; comparisons follow Java's (IEEE) rules, so NaN compares false except
 * with {@code !=}, as in PyTorch.
 */
final class FloatMasks {
    private FloatMasks() {}

    private static final int L = S.length();
    /** Bytes with as many lanes as a float vector; null where no such shape exists (128-bit float vectors). */
    private static final VectorSpecies<Byte> B = L * 8 >= 64 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;
    private static final int VL = B == null ? 0 : L;

    private static void store(VectorMask<Float> m, byte[] o, int at) {
        ByteVector.zero(B).blend((byte) 1, m.cast(B)).intoArray(o, at);
    }

    private static VectorMask<Float> load(byte[] c, int at) {
        return ByteVector.fromArray(B, c, at).compare(VectorOperators.NE, (byte) 0).cast(S);
    }

    private static int bound(int n) { return VL == 0 ? 0 : n - n % VL; }

    // ---------------------------------------------------------------- a[i] op b[i]

    static void eq(float[] a, int ia, float[] b, int ib, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL)
            store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.EQ, FloatVector.fromArray(S, b, ib + i)), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] == b[ib + i] ? 1 : 0);
    }

    static void ne(float[] a, int ia, float[] b, int ib, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL)
            store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.NE, FloatVector.fromArray(S, b, ib + i)), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] != b[ib + i] ? 1 : 0);
    }

    /** a < b; {@code a > b} is {@code lt} with the operands swapped. */
    static void lt(float[] a, int ia, float[] b, int ib, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL)
            store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.LT, FloatVector.fromArray(S, b, ib + i)), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] < b[ib + i] ? 1 : 0);
    }

    /** a <= b; {@code a >= b} is {@code le} with the operands swapped. */
    static void le(float[] a, int ia, float[] b, int ib, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL)
            store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.LE, FloatVector.fromArray(S, b, ib + i)), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] <= b[ib + i] ? 1 : 0);
    }

    // ---------------------------------------------------------------- a[i] op s

    static void eqScalar(float[] a, int ia, float s, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.EQ, s), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] == s ? 1 : 0);
    }

    static void neScalar(float[] a, int ia, float s, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.NE, s), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] != s ? 1 : 0);
    }

    static void ltScalar(float[] a, int ia, float s, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.LT, s), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] < s ? 1 : 0);
    }

    static void leScalar(float[] a, int ia, float s, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.LE, s), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] <= s ? 1 : 0);
    }

    static void gtScalar(float[] a, int ia, float s, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.GT, s), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] > s ? 1 : 0);
    }

    static void geScalar(float[] a, int ia, float s, byte[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) store(FloatVector.fromArray(S, a, ia + i).compare(VectorOperators.GE, s), o, io + i);
        for (; i < n; i++) o[io + i] = (byte) (a[ia + i] >= s ? 1 : 0);
    }

    // ---------------------------------------------------------------- where(c, x, y)

    static void where(byte[] c, int ic, float[] x, int ix, float[] y, int iy, float[] o, int io, int n) {
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL)
            FloatVector.fromArray(S, y, iy + i).blend(FloatVector.fromArray(S, x, ix + i), load(c, ic + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = c[ic + i] != 0 ? x[ix + i] : y[iy + i];
    }

    /** where(c, x, s): the ReLU and threshold backward shape. */
    static void whereElse(byte[] c, int ic, float[] x, int ix, float s, float[] o, int io, int n) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) vs.blend(FloatVector.fromArray(S, x, ix + i), load(c, ic + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = c[ic + i] != 0 ? x[ix + i] : s;
    }

    /** where(c, s, y): the masked_fill shape. */
    static void whereThen(byte[] c, int ic, float s, float[] y, int iy, float[] o, int io, int n) {
        FloatVector vs = FloatVector.broadcast(S, s);
        int i = 0;
        for (int ub = bound(n); i < ub; i += VL) FloatVector.fromArray(S, y, iy + i).blend(vs, load(c, ic + i)).intoArray(o, io + i);
        for (; i < n; i++) o[io + i] = c[ic + i] != 0 ? s : y[iy + i];
    }
}
