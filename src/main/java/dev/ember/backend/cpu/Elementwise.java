package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.UnaryOp;

/**
 * copy/fill/unary/binary/where over strided operands. float32 runs go through {@link FloatVectors} when
 * contiguous; everything else computes through {@link ScalarMath} in double (floating types) or long
 * (integer and bool types), which keeps int64 exact.
 */
final class Elementwise {
    private Elementwise() {}

    static HostStorage host(Strided s) { return (HostStorage) s.storage(); }

    /** Integer-typed values compute in long arithmetic so that int64 stays exact. */
    private static boolean integral(DType t) { return !t.isFloatingPoint(); }

    // ------------------------------------------------------------ copy / fill

    static void copy(Strided src, Strided dst) {
        HostStorage s = host(src), d = host(dst);
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), src.layout(), dst.layout());
        DType st = s.dtype(), dt = d.dtype();
        if (st == dt) {
            Object sa = s.array(), da = d.array();
            it.forEachParallel((off, n) -> {
                int ss = it.innerStride(0), ds = it.innerStride(1);
                if (ss == 1 && ds == 1) System.arraycopy(sa, off[0], da, off[1], n);
                else copySameType(st, sa, off[0], ss, da, off[1], ds, n);
            });
            return;
        }
        if (st == DType.FLOAT32 && dt == DType.FLOAT64) {
            float[] sa = s.floats();
            double[] da = d.doubles();
            it.forEachParallel((off, n) -> {
                int ss = it.innerStride(0), ds = it.innerStride(1);
                for (int i = 0; i < n; i++) da[off[1] + i * ds] = sa[off[0] + i * ss];
            });
            return;
        }
        if (st == DType.FLOAT64 && dt == DType.FLOAT32) {
            double[] sa = s.doubles();
            float[] da = d.floats();
            it.forEachParallel((off, n) -> {
                int ss = it.innerStride(0), ds = it.innerStride(1);
                for (int i = 0; i < n; i++) da[off[1] + i * ds] = (float) sa[off[0] + i * ss];
            });
            return;
        }
        if (dt == DType.BFLOAT16 && (st == DType.FLOAT32 || st == DType.FLOAT64)) {
            short[] da = d.shorts();
            it.forEachParallel((off, n) -> {
                int ss = it.innerStride(0), ds = it.innerStride(1);
                // PyTorch 1.13 converts a contiguous run with its vector kernel, whose NaN is 0xffff (a float32 run's
                // tail too, through a partial vector; a float64 run goes 16 at a time and its tail one by one); the
                // scalar conversion's NaN is 0x7fc0
                int body = ss == 1 && ds == 1 ? (st == DType.FLOAT32 ? n : n - n % 16) : 0;
                for (int i = 0, a = off[0], b = off[1]; i < n; i++, a += ss, b += ds) {
                    double v = s.getDouble(a);
                    if (i < body && Double.isNaN(v)) da[b] = (short) 0xFFFF;
                    else d.setDouble(b, v);
                }
            });
            return;
        }
        // Integer sources convert from their exact long value (int64 -> float32 must round once); floating
        // sources from their exact double value; HostStorage applies PyTorch's cast rules to the target.
        boolean fromLong = integral(st);
        it.forEachParallel((off, n) -> {
            int ss = it.innerStride(0), ds = it.innerStride(1);
            for (int i = 0, a = off[0], b = off[1]; i < n; i++, a += ss, b += ds) {
                if (fromLong) d.setLong(b, s.getLong(a));
                else d.setDouble(b, s.getDouble(a));
            }
        });
    }

    private static void copySameType(DType t, Object sa, int so, int ss, Object da, int doff, int ds, int n) {
        switch (t) {
            case FLOAT32 -> { float[] s = (float[]) sa, d = (float[]) da; for (int i = 0; i < n; i++) d[doff + i * ds] = s[so + i * ss]; }
            case FLOAT64 -> { double[] s = (double[]) sa, d = (double[]) da; for (int i = 0; i < n; i++) d[doff + i * ds] = s[so + i * ss]; }
            case INT64 -> { long[] s = (long[]) sa, d = (long[]) da; for (int i = 0; i < n; i++) d[doff + i * ds] = s[so + i * ss]; }
            case INT32 -> { int[] s = (int[]) sa, d = (int[]) da; for (int i = 0; i < n; i++) d[doff + i * ds] = s[so + i * ss]; }
            case INT16, FLOAT16, BFLOAT16 -> { short[] s = (short[]) sa, d = (short[]) da; for (int i = 0; i < n; i++) d[doff + i * ds] = s[so + i * ss]; }
            case INT8, UINT8, BOOL -> { byte[] s = (byte[]) sa, d = (byte[]) da; for (int i = 0; i < n; i++) d[doff + i * ds] = s[so + i * ss]; }
        }
    }

    static void fill(Strided dst, double value) {
        HostStorage d = host(dst);
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), dst.layout());
        if (d.dtype() == DType.FLOAT32) {
            float[] a = d.floats();
            float v = (float) value;
            it.forEachParallel((off, n) -> {
                int s = it.innerStride(0);
                if (s == 1) java.util.Arrays.fill(a, off[0], off[0] + n, v);
                else for (int i = 0; i < n; i++) a[off[0] + i * s] = v;
            });
            return;
        }
        it.forEachParallel((off, n) -> {
            int s = it.innerStride(0);
            for (int i = 0; i < n; i++) d.setDouble(off[0] + i * s, value);
        });
    }

    static void fill(Strided dst, long value) {
        HostStorage d = host(dst);
        if (d.dtype().isFloatingPoint()) {
            fill(dst, (double) value);
            return;
        }
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), dst.layout());
        it.forEachParallel((off, n) -> {
            int s = it.innerStride(0);
            for (int i = 0; i < n; i++) d.setLong(off[0] + i * s, value);
        });
    }

    // ------------------------------------------------------------ unary

    static void unary(UnaryOp op, Strided src, Strided dst) {
        if (DenseFloat.unary(op, src, dst)) return;
        HostStorage s = host(src), d = host(dst);
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), src.layout(), dst.layout());
        if (s.dtype() == DType.FLOAT32 && d.dtype() == DType.FLOAT32) {
            float[] a = s.floats(), o = d.floats();
            it.forEachParallel((off, n) -> {
                if (it.innerStride(0) == 1 && it.innerStride(1) == 1 && unaryFast(op, a, off[0], o, off[1], n)) return;
                int sa = it.innerStride(0), so = it.innerStride(1);
                for (int i = 0; i < n; i++) o[off[1] + i * so] = unaryFloat(op, a[off[0] + i * sa]);
            });
            return;
        }
        boolean viaLong = integral(s.dtype());
        it.forEachParallel((off, n) -> {
            int sa = it.innerStride(0), so = it.innerStride(1);
            for (int i = 0, x = off[0], y = off[1]; i < n; i++, x += sa, y += so) {
                if (viaLong) d.setLong(y, ScalarMath.unary(op, s.getLong(x)));
                else d.setDouble(y, ScalarMath.unary(op, s.getDouble(x)));
            }
        });
    }

    private static final float NEGATIVE_NAN = Float.intBitsToFloat(0xFFC0_0000);

    /** A strided float32 element, through the scalar form of the functions the vector loops use: both give one value. */
    private static float unaryFloat(UnaryOp op, float x) {
        return switch (op) {
            case EXP -> FloatMath.exp(x);
            case LOG -> FloatMath.log(x);
            case TANH -> FloatMath.tanh(x);
            case SIGMOID -> FloatMath.sigmoid(x);
            case LOG1P -> Float.isNaN(x) ? x : x < -1 ? NEGATIVE_NAN : (float) Math.log1p(x); // glibc's log1pf: -nan below -1
            case I0 -> Bessel.besselI(0, x, false);
            case I0E -> Bessel.besselI(0, x, true);
            case I1 -> Bessel.besselI(1, x, false);
            case I1E -> Bessel.besselI(1, x, true);
            default -> (float) ScalarMath.unary(op, x);
        };
    }

    private static boolean unaryFast(UnaryOp op, float[] a, int ia, float[] o, int io, int n) {
        switch (op) {
            case RELU -> FloatVectors.relu(a, ia, o, io, n);
            case NEG -> FloatVectors.neg(a, ia, o, io, n);
            case ABS -> FloatVectors.abs(a, ia, o, io, n);
            case SQRT -> FloatVectors.sqrt(a, ia, o, io, n);
            case EXP -> FloatVectors.exp(a, ia, o, io, n);
            case LOG -> FloatVectors.log(a, ia, o, io, n);
            case TANH -> FloatVectors.tanh(a, ia, o, io, n);
            case SIGMOID -> FloatVectors.sigmoid(a, ia, o, io, n);
            default -> { return false; }
        }
        return true;
    }

    // ------------------------------------------------------------ binary

    static void binary(BinaryOp op, Strided a, Strided b, Strided dst) {
        if (DenseFloat.binary(op, a, b, dst)) return;
        HostStorage x = host(a), y = host(b), d = host(dst);
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), a.layout(), b.layout(), dst.layout());
        if (x.dtype() == DType.FLOAT32 && d.dtype() == DType.FLOAT32) {
            float[] xa = x.floats(), ya = y.floats(), o = d.floats();
            it.forEachParallel((off, n) -> {
                int sx = it.innerStride(0), sy = it.innerStride(1), so = it.innerStride(2);
                if (so == 1 && sx == 1 && binaryFast(op, xa, off[0], ya, off[1], sy, o, off[2], n)) return;
                int body = vectorBody(op, DType.FLOAT32, sx, sy, so, n);
                for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += sx, q += sy, r += so)
                    o[r] = i < body ? (float) ScalarMath.binaryVectorLane(op, xa[p], ya[q]) : binaryFloat(op, xa[p], ya[q]);
            });
            return;
        }
        if (x.dtype() == DType.FLOAT32 && d.dtype() == DType.BOOL) {
            float[] xa = x.floats(), ya = y.floats();
            byte[] o = d.bytes();
            it.forEachParallel((off, n) -> {
                int sx = it.innerStride(0), sy = it.innerStride(1), so = it.innerStride(2);
                for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += sx, q += sy, r += so)
                    o[r] = (byte) ScalarMath.binary(op, (double) xa[p], (double) ya[q]);
            });
            return;
        }
        boolean viaLong = integral(x.dtype());
        // PyTorch 1.13 shifts with C's << and >> on the operands promoted to int (int64 stays 64-bit), which x86 runs
        // with the count masked to 5 (6) bits: 5 << 33 is 10 in int32, and a negative count wraps the same way
        long count = op != BinaryOp.LSHIFT && op != BinaryOp.RSHIFT ? -1 : d.dtype() == DType.INT64 ? 63 : 31;
        it.forEachParallel((off, n) -> {
            int sx = it.innerStride(0), sy = it.innerStride(1), so = it.innerStride(2);
            int body = viaLong || x.dtype() != d.dtype() || y.dtype() != d.dtype() ? 0 : vectorBody(op, d.dtype(), sx, sy, so, n);
            for (int i = 0, p = off[0], q = off[1], r = off[2]; i < n; i++, p += sx, q += sy, r += so) {
                if (viaLong) d.setLong(r, ScalarMath.binary(op, x.getLong(p), y.getLong(q) & count));
                else if (i < body) d.setDouble(r, ScalarMath.binaryVectorLane(op, x.getDouble(p), y.getDouble(q)));
                else d.setDouble(r, ScalarMath.binary(op, x.getDouble(p), y.getDouble(q)));
            }
        });
    }

    /**
     * The leading elements of a run that PyTorch's vectorized loop would compute, for the ops whose vectorized form
     * gives other NaNs than their scalar one: a run where every operand is contiguous or a broadcast scalar. A pow
     * by a broadcast exponent is PyTorch's pow(Tensor, Scalar), whose special exponents (2: x * x...) have kernels
     * of their own; only a contiguous exponent takes the vectorized pow.
     */
    private static int vectorBody(BinaryOp op, DType t, int sx, int sy, int so, int n) {
        if (!ScalarMath.hasVectorForm(op) || so != 1 || (sx != 0 && sx != 1) || (sy != 0 && sy != 1)) return 0;
        if (op == BinaryOp.POW && sy == 0) return 0;
        return ScalarMath.vectorBody(t, n);
    }

    /** float32 arithmetic as float (not widened), so results round exactly like PyTorch's float kernels. */
    private static float binaryFloat(BinaryOp op, float a, float b) {
        return switch (op) {
            case ADD -> Float.isNaN(b) ? b : a + b; // both NaN, b's: see ScalarMath.binary
            case SUB -> Float.isNaN(b) ? b : a - b;
            case MUL -> Float.isNaN(b) ? b : a * b;
            case DIV -> a / b;
            default -> (float) ScalarMath.binary(op, (double) a, (double) b);
        };
    }

    private static boolean binaryFast(BinaryOp op, float[] a, int ia, float[] b, int ib, int sb, float[] o, int io, int n) {
        if (sb == 1) {
            switch (op) {
                case ADD -> FloatVectors.add(a, ia, b, ib, o, io, n);
                case SUB -> FloatVectors.sub(a, ia, b, ib, o, io, n);
                case MUL -> FloatVectors.mul(a, ia, b, ib, o, io, n);
                case DIV -> FloatVectors.div(a, ia, b, ib, o, io, n);
                default -> { return false; }
            }
            return true;
        }
        if (sb == 0) {
            float s = b[ib];
            switch (op) {
                case ADD -> FloatVectors.addScalar(a, ia, s, o, io, n);
                case SUB -> FloatVectors.addScalar(a, ia, Float.isNaN(s) ? s : -s, o, io, n);
                case MUL -> FloatVectors.mulScalar(a, ia, s, o, io, n);
                case DIV -> FloatVectors.divScalar(a, ia, s, o, io, n);
                default -> { return false; }
            }
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------ where

    static void where(Strided cond, Strided a, Strided b, Strided dst) {
        if (DenseFloat.where(cond, a, b, dst)) return;
        HostStorage c = host(cond), x = host(a), y = host(b), d = host(dst);
        byte[] ca = c.bytes();
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), cond.layout(), a.layout(), b.layout(), dst.layout());
        if (d.dtype() == DType.FLOAT32) {
            float[] xa = x.floats(), ya = y.floats(), o = d.floats();
            it.forEachParallel((off, n) -> {
                int sc = it.innerStride(0), sx = it.innerStride(1), sy = it.innerStride(2), so = it.innerStride(3);
                for (int i = 0, k = off[0], p = off[1], q = off[2], r = off[3]; i < n; i++, k += sc, p += sx, q += sy, r += so)
                    o[r] = ca[k] != 0 ? xa[p] : ya[q];
            });
            return;
        }
        boolean viaLong = integral(d.dtype());
        it.forEachParallel((off, n) -> {
            int sc = it.innerStride(0), sx = it.innerStride(1), sy = it.innerStride(2), so = it.innerStride(3);
            for (int i = 0, k = off[0], p = off[1], q = off[2], r = off[3]; i < n; i++, k += sc, p += sx, q += sy, r += so) {
                if (viaLong) d.setLong(r, ca[k] != 0 ? x.getLong(p) : y.getLong(q));
                else d.setDouble(r, ca[k] != 0 ? x.getDouble(p) : y.getDouble(q));
            }
        });
    }
}
