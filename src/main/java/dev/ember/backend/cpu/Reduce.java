package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.Strided;

/**
 * Reductions over a set of dims. The source is split into kept dims (one output element each) and
 * reduced dims. Two loop orders serve them: when the reduced elements of one output are contiguous, each
 * output reduces its own run (float32 sums and maxes vectorised, whole-tensor sums split across cores);
 * when instead the kept dims are the contiguous ones (a sum over dim 0 of [N, M]), {@link ReduceRows}
 * accumulates whole rows into a buffer of outputs. Floating sums are {@link CascadeSum}'s, in PyTorch's order.
 */
final class Reduce {
    private Reduce() {}

    /** Shortest contiguous run of outputs for which row accumulation beats a strided walk per output. */
    private static final int MIN_ROW = 4;

    static void reduce(ReduceOp op, Strided src, int[] dims, Strided dst) {
        if (op == ReduceOp.SUM && src.dtype().isFloatingPoint()) {
            CascadeSum.sum(src, dims, dst);
            return;
        }
        HostStorage s = Elementwise.host(src), d = Elementwise.host(dst);
        int[] shape = src.shape();
        boolean[] red = new boolean[shape.length];
        for (int dim : dims) red[dim] = true;
        int nk = 0, nr = 0;
        for (boolean r : red) if (r) nr++; else nk++;
        int[] ks = new int[nk], kss = new int[nk], kds = new int[nk], rs = new int[nr], rss = new int[nr];
        int[] st = src.layout().strides(), dt = dst.layout().strides();
        for (int i = 0, a = 0, b = 0; i < shape.length; i++) {
            if (red[i]) {
                rs[b] = shape[i];
                rss[b++] = st[i];
            } else {
                ks[a] = shape[i];
                kss[a] = st[i];
                kds[a++] = dt[i];
            }
        }
        Layout keptSrc = new Layout(ks, kss, src.layout().offset());
        Layout keptDst = new Layout(ks, kds, dst.layout().offset());
        Layout redSrc = new Layout(rs, rss, 0);
        int kept = keptSrc.numel(), count = redSrc.numel();
        if (kept == 0) return;
        StridedIter inner = new StridedIter(rs, redSrc);
        StridedIter outer = new StridedIter(ks, keptSrc, keptDst);
        boolean contiguousRun = inner.isSingleRun() && inner.innerStride(0) == 1;

        if (kept == 1 && s.dtype() == DType.FLOAT32 && contiguousRun && (op == ReduceOp.MAX || op == ReduceOp.MIN)) {
            int base = keptSrc.offset();
            d.setDouble(keptDst.offset(), op == ReduceOp.MAX ? FloatVectors.max(s.floats(), base, count) : FloatVectors.min(s.floats(), base, count));
            return;
        }
        int grain = Math.max(1, Parallel.GRAIN / Math.max(count, 1));
        if (!contiguousRun && count > 1 && op != ReduceOp.ANY && op != ReduceOp.ALL
                && outer.innerStride(0) == 1 && outer.innerStride(1) == 1 && outer.inner() >= MIN_ROW) {
            Parallel.forRange(kept, grain, (from, to) -> outer.forEach(from, to,
                    (off, n) -> ReduceRows.reduce(op, s, off[0], inner, count, d, off[1], n)));
            return;
        }
        Parallel.forRange(kept, grain, (from, to) -> outer.forEach(from, to, (off, n) -> {
            int ss = outer.innerStride(0), ds = outer.innerStride(1);
            for (int i = 0; i < n; i++) {
                if (contiguousRun && op != ReduceOp.ANY && op != ReduceOp.ALL) reduceRun(op, s, off[0] + i * ss, count, d, off[1] + i * ds);
                else reduceOne(op, s, off[0] + i * ss, inner, count, d, off[1] + i * ds);
            }
        }));
    }

    /** Reduces {@code count} contiguous elements from {@code p} into {@code d[q]}. */
    private static void reduceRun(ReduceOp op, HostStorage s, int p, int count, HostStorage d, int q) {
        switch (s.dtype()) {
            case FLOAT32 -> {
                float[] a = s.floats();
                d.setDouble(q, switch (op) {
                    case MAX -> FloatVectors.max(a, p, count);
                    case MIN -> FloatVectors.min(a, p, count);
                    default -> {
                        double acc = 1;
                        for (int i = 0; i < count; i++) acc *= a[p + i];
                        yield acc;
                    }
                });
            }
            case FLOAT64 -> {
                double[] a = s.doubles();
                double acc = identity(op);
                for (int i = 0; i < count; i++) acc = combine(op, acc, a[p + i]);
                d.setDouble(q, acc);
            }
            default -> {
                if (s.dtype().isFloatingPoint()) {
                    double acc = identity(op);
                    for (int i = 0; i < count; i++) acc = combine(op, acc, s.getDouble(p + i));
                    d.setDouble(q, acc);
                } else {
                    long acc = identityLong(op);
                    for (int i = 0; i < count; i++) acc = combine(op, acc, s.getLong(p + i));
                    d.setLong(q, acc);
                }
            }
        }
    }

    /** Reduces the run of the reduced dims starting at {@code srcBase} into {@code d[dstIndex]}. */
    private static void reduceOne(ReduceOp op, HostStorage s, int srcBase, StridedIter inner, int count, HostStorage d, int dstIndex) {
        DType t = s.dtype();
        if (op == ReduceOp.ANY || op == ReduceOp.ALL) {
            boolean[] acc = {op == ReduceOp.ALL};
            inner.forEach(0, count, (off, n) -> {
                int st = inner.innerStride(0);
                for (int i = 0, p = srcBase + off[0]; i < n; i++, p += st) {
                    boolean nz = t.isFloatingPoint() ? s.getDouble(p) != 0 : s.getLong(p) != 0;
                    if (op == ReduceOp.ANY ? nz : !nz) {
                        acc[0] = op == ReduceOp.ANY;
                        return;
                    }
                }
            });
            d.setLong(dstIndex, acc[0] ? 1 : 0);
            return;
        }
        if (!t.isFloatingPoint()) {
            long[] acc = {identityLong(op)};
            inner.forEach(0, count, (off, n) -> {
                int st = inner.innerStride(0);
                for (int i = 0, p = srcBase + off[0]; i < n; i++, p += st) acc[0] = combine(op, acc[0], s.getLong(p));
            });
            d.setLong(dstIndex, acc[0]);
            return;
        }
        double[] acc = {identity(op)};
        boolean f32 = t == DType.FLOAT32;
        inner.forEach(0, count, (off, n) -> {
            int st = inner.innerStride(0), p0 = srcBase + off[0];
            if (f32 && st == 1 && op != ReduceOp.PROD) {
                acc[0] = combine(op, acc[0], op == ReduceOp.MAX ? FloatVectors.max(s.floats(), p0, n) : FloatVectors.min(s.floats(), p0, n));
                return;
            }
            for (int i = 0, p = p0; i < n; i++, p += st) acc[0] = combine(op, acc[0], s.getDouble(p));
        });
        d.setDouble(dstIndex, acc[0]);
    }

    static double identity(ReduceOp op) {
        return switch (op) {
            case SUM -> 0.0;
            case PROD -> 1.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            default -> Double.POSITIVE_INFINITY;
        };
    }

    static long identityLong(ReduceOp op) {
        return switch (op) {
            case SUM -> 0L;
            case PROD -> 1L;
            case MAX -> Long.MIN_VALUE;
            default -> Long.MAX_VALUE;
        };
    }

    /** One accumulation step; MAX and MIN propagate NaN, as PyTorch's do. */
    static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case PROD -> acc * v;
            case MAX -> v != v || acc != acc ? Double.NaN : Math.max(acc, v);
            default -> v != v || acc != acc ? Double.NaN : Math.min(acc, v);
        };
    }

    static long combine(ReduceOp op, long acc, long v) {
        return switch (op) {
            case SUM -> acc + v;
            case PROD -> acc * v;
            case MAX -> Math.max(acc, v);
            default -> Math.min(acc, v);
        };
    }
}
