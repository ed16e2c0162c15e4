package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.UnaryOp;

/**
 * The common case of the float32 elementwise primitives, taken before any iterator is built: the output is
 * dense (row-major, no gaps) and every input is either dense in the same order or one broadcast element (a
 * Python number, a 0-dim tensor). Then element i of every operand sits at its offset plus i, and the work is a
 * straight call of the vector loops, split across the team on the output's cache lines ({@link CacheLines}).
 * Each method returns false for anything else, which {@link Elementwise} then walks with {@link StridedIter};
 * both compute the same values.
 */
final class DenseFloat {
    private DenseFloat() {}

    private static final int OTHER = 0, DENSE = 1, SINGLE = 2;

    private static int kind(Layout l) {
        if (l.isContiguous()) return DENSE;
        int[] shape = l.shape(), strides = l.strides();
        for (int d = 0; d < shape.length; d++) if (shape[d] != 1 && strides[d] != 0) return OTHER;
        return SINGLE;
    }

    private static boolean usable(Strided dst) {
        return dst.numel() > 0 && kind(dst.layout()) == DENSE;
    }

    static boolean unary(UnaryOp op, Strided src, Strided dst) {
        if (src.dtype() != DType.FLOAT32 || dst.dtype() != DType.FLOAT32 || !usable(dst) || kind(src.layout()) != DENSE) return false;
        switch (op) {
            case RELU, NEG, ABS, SQRT, EXP, LOG, TANH, SIGMOID -> { }
            default -> { return false; }
        }
        float[] a = Elementwise.host(src).floats(), o = Elementwise.host(dst).floats();
        int ia = src.layout().offset(), io = dst.layout().offset();
        CacheLines.forRange(io, dst.numel(), (f, t) -> {
            switch (op) {
                case RELU -> FloatVectors.relu(a, ia + f, o, io + f, t - f);
                case NEG -> FloatVectors.neg(a, ia + f, o, io + f, t - f);
                case ABS -> FloatVectors.abs(a, ia + f, o, io + f, t - f);
                case SQRT -> FloatVectors.sqrt(a, ia + f, o, io + f, t - f);
                case EXP -> FloatVectors.exp(a, ia + f, o, io + f, t - f);
                case LOG -> FloatVectors.log(a, ia + f, o, io + f, t - f);
                case TANH -> FloatVectors.tanh(a, ia + f, o, io + f, t - f);
                default -> FloatVectors.sigmoid(a, ia + f, o, io + f, t - f);
            }
        });
        return true;
    }

    static boolean binary(BinaryOp op, Strided a, Strided b, Strided dst) {
        if (a.dtype() != DType.FLOAT32 || b.dtype() != DType.FLOAT32 || !usable(dst)) return false;
        int ka = kind(a.layout()), kb = kind(b.layout());
        if (ka == OTHER || kb == OTHER || (ka == SINGLE && kb == SINGLE)) return false;
        float[] x = Elementwise.host(a).floats(), y = Elementwise.host(b).floats();
        int ix = a.layout().offset(), iy = b.layout().offset(), io = dst.layout().offset();
        if (dst.dtype() == DType.BOOL) return compare(op, x, ix, ka, y, iy, kb, Elementwise.host(dst).bytes(), io, dst.numel());
        if (dst.dtype() != DType.FLOAT32) return false;
        float[] o = Elementwise.host(dst).floats();
        int n = dst.numel();
        if (ka == DENSE && kb == DENSE) {
            switch (op) {
                case ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM -> { }
                default -> { return false; }
            }
            int body = ScalarMath.vectorBody(DType.FLOAT32, n); // the whole tensor is one run of PyTorch's loop
            CacheLines.forRange(io, n, (f, t) -> {
                switch (op) {
                    case ADD -> FloatVectors.add(x, ix + f, y, iy + f, o, io + f, t - f);
                    case SUB -> FloatVectors.sub(x, ix + f, y, iy + f, o, io + f, t - f);
                    case MUL -> FloatVectors.mul(x, ix + f, y, iy + f, o, io + f, t - f);
                    case DIV -> FloatVectors.div(x, ix + f, y, iy + f, o, io + f, t - f);
                    case MAXIMUM -> FloatVectors.maximum(x, ix + f, y, iy + f, o, io + f, t - f, body - f);
                    default -> FloatVectors.minimum(x, ix + f, y, iy + f, o, io + f, t - f, body - f);
                }
            });
            return true;
        }
        // one dense operand d and one broadcast element s
        boolean scalarFirst = ka == SINGLE;
        float[] d = scalarFirst ? y : x;
        int id = scalarFirst ? iy : ix;
        float s = scalarFirst ? x[ix] : y[iy];
        switch (op) {
            case ADD, MUL -> { if (scalarFirst && Float.isNaN(s)) return false; } // b's NaN over a's: the scalar loop sorts that
            case SUB, DIV -> { if (scalarFirst) return false; }
            default -> { return false; }
        }
        CacheLines.forRange(io, n, (f, t) -> {
            switch (op) {
                case ADD -> FloatVectors.addScalar(d, id + f, s, o, io + f, t - f);
                // a - s is a + (-s) exactly in IEEE arithmetic; a NaN s keeps its sign, as PyTorch's alpha * s
                case SUB -> FloatVectors.addScalar(d, id + f, Float.isNaN(s) ? s : -s, o, io + f, t - f);
                case MUL -> FloatVectors.mulScalar(d, id + f, s, o, io + f, t - f);
                default -> FloatVectors.divScalar(d, id + f, s, o, io + f, t - f);
            }
        });
        return true;
    }

    private static boolean compare(BinaryOp op, float[] x, int ix, int kx, float[] y, int iy, int ky, byte[] o, int io, int n) {
        switch (op) {
            case EQ, NE, LT, LE, GT, GE -> { }
            default -> { return false; }
        }
        if (kx == DENSE && ky == DENSE) {
            Parallel.forRange(n, (f, t) -> {
                switch (op) {
                    case EQ -> FloatMasks.eq(x, ix + f, y, iy + f, o, io + f, t - f);
                    case NE -> FloatMasks.ne(x, ix + f, y, iy + f, o, io + f, t - f);
                    case LT -> FloatMasks.lt(x, ix + f, y, iy + f, o, io + f, t - f);
                    case LE -> FloatMasks.le(x, ix + f, y, iy + f, o, io + f, t - f);
                    case GT -> FloatMasks.lt(y, iy + f, x, ix + f, o, io + f, t - f);
                    default -> FloatMasks.le(y, iy + f, x, ix + f, o, io + f, t - f);
                }
            });
            return true;
        }
        // s op d is d (mirrored op) s
        boolean scalarFirst = kx == SINGLE;
        BinaryOp dop = !scalarFirst ? op : switch (op) {
            case LT -> BinaryOp.GT;
            case LE -> BinaryOp.GE;
            case GT -> BinaryOp.LT;
            case GE -> BinaryOp.LE;
            default -> op;
        };
        float[] d = scalarFirst ? y : x;
        int id = scalarFirst ? iy : ix;
        float s = scalarFirst ? x[ix] : y[iy];
        Parallel.forRange(n, (f, t) -> {
            switch (dop) {
                case EQ -> FloatMasks.eqScalar(d, id + f, s, o, io + f, t - f);
                case NE -> FloatMasks.neScalar(d, id + f, s, o, io + f, t - f);
                case LT -> FloatMasks.ltScalar(d, id + f, s, o, io + f, t - f);
                case LE -> FloatMasks.leScalar(d, id + f, s, o, io + f, t - f);
                case GT -> FloatMasks.gtScalar(d, id + f, s, o, io + f, t - f);
                default -> FloatMasks.geScalar(d, id + f, s, o, io + f, t - f);
            }
        });
        return true;
    }

    static boolean where(Strided cond, Strided a, Strided b, Strided dst) {
        if (dst.dtype() != DType.FLOAT32 || cond.dtype() != DType.BOOL || !usable(dst) || kind(cond.layout()) != DENSE) return false;
        int ka = kind(a.layout()), kb = kind(b.layout());
        if (ka == OTHER || kb == OTHER || (ka == SINGLE && kb == SINGLE)) return false;
        byte[] c = Elementwise.host(cond).bytes();
        float[] x = Elementwise.host(a).floats(), y = Elementwise.host(b).floats(), o = Elementwise.host(dst).floats();
        int ic = cond.layout().offset(), ix = a.layout().offset(), iy = b.layout().offset(), io = dst.layout().offset();
        Parallel.forRange(dst.numel(), (f, t) -> {
            if (ka == DENSE && kb == DENSE) FloatMasks.where(c, ic + f, x, ix + f, y, iy + f, o, io + f, t - f);
            else if (ka == DENSE) FloatMasks.whereElse(c, ic + f, x, ix + f, y[iy], o, io + f, t - f);
            else FloatMasks.whereThen(c, ic + f, x[ix], y, iy + f, o, io + f, t - f);
        });
        return true;
    }
}
