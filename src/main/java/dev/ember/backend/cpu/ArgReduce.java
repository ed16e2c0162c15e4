package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.Strided;

/**
 * Max or min along one dim with the index of the first extreme element, as {@code max(dim)} and
 * {@code argmax} need. NaN is the extreme: the first NaN wins and ends the search. Integer types compare
 * as long so int64 stays exact. When the dim is not the innermost one, rows along it are compared into a
 * buffer of running extremes, reading the source in memory order.
 */
final class ArgReduce {
    private ArgReduce() {}

    static void argReduce(ReduceOp op, Strided src, int dim, Strided values, Strided indices) {
        if (op != ReduceOp.MAX && op != ReduceOp.MIN) throw new IllegalArgumentException("argReduce needs MAX or MIN, got " + op);
        HostStorage s = Elementwise.host(src), v = Elementwise.host(values), x = Elementwise.host(indices);
        int[] shape = src.shape().clone();
        int size = shape[dim], step = src.layout().strides()[dim];
        shape[dim] = 1;
        Layout lines = new Layout(shape, src.layout().strides(), src.layout().offset());
        StridedIter it = new StridedIter(shape, lines, values.layout(), indices.layout());
        if (it.numel == 0) return;
        boolean max = op == ReduceOp.MAX, floating = s.dtype().isFloatingPoint();
        int grain = Math.max(1, Parallel.GRAIN / Math.max(size, 1));
        Parallel.forRange(it.numel, grain, (from, to) -> it.forEach(from, to, (off, n) -> {
            int ss = it.innerStride(0), vs = it.innerStride(1), xs = it.innerStride(2);
            if (ss == 1 && step != 1 && n >= 4 && size > 1) {
                if (floating) rowsFloating(max, s, off[0], step, size, n, v, off[1], vs, x, off[2], xs);
                else rowsIntegral(max, s, off[0], step, size, n, v, off[1], vs, x, off[2], xs);
                return;
            }
            for (int i = 0; i < n; i++) {
                int p = off[0] + i * ss;
                int best = floating ? (s.dtype() == DType.FLOAT32 ? lineFloat(max, s.floats(), p, step, size) : lineDouble(max, s, p, step, size))
                        : lineLong(max, s, p, step, size);
                copy(s, p + best * step, v, off[1] + i * vs);
                x.setLong(off[2] + i * xs, best);
            }
        }));
    }

    private static int lineFloat(boolean max, float[] a, int p, int step, int size) {
        float best = a[p];
        int bi = 0;
        if (best != best) return 0;
        for (int j = 1, q = p + step; j < size; j++, q += step) {
            float y = a[q];
            if (y != y) return j;
            if (max ? y > best : y < best) {
                best = y;
                bi = j;
            }
        }
        return bi;
    }

    private static int lineDouble(boolean max, HostStorage s, int p, int step, int size) {
        double best = s.getDouble(p);
        int bi = 0;
        if (best != best) return 0;
        for (int j = 1, q = p + step; j < size; j++, q += step) {
            double y = s.getDouble(q);
            if (y != y) return j;
            if (max ? y > best : y < best) {
                best = y;
                bi = j;
            }
        }
        return bi;
    }

    private static int lineLong(boolean max, HostStorage s, int p, int step, int size) {
        long best = s.getLong(p);
        int bi = 0;
        for (int j = 1, q = p + step; j < size; j++, q += step) {
            long y = s.getLong(q);
            if (max ? y > best : y < best) {
                best = y;
                bi = j;
            }
        }
        return bi;
    }

    private static void rowsFloating(boolean max, HostStorage s, int p, int step, int size, int n,
                                     HostStorage v, int vo, int vs, HostStorage x, int xo, int xs) {
        int[] bi = new int[n];
        if (s.dtype() == DType.FLOAT32) {
            float[] a = s.floats(), best = new float[n];
            System.arraycopy(a, p, best, 0, n);
            for (int r = 1, q = p + step; r < size; r++, q += step) {
                for (int j = 0; j < n; j++) {
                    float b = best[j], y = a[q + j];
                    if (b == b && (y != y || (max ? y > b : y < b))) {
                        best[j] = y;
                        bi[j] = r;
                    }
                }
            }
        } else {
            double[] best = new double[n];
            for (int j = 0; j < n; j++) best[j] = s.getDouble(p + j);
            for (int r = 1, q = p + step; r < size; r++, q += step) {
                for (int j = 0; j < n; j++) {
                    double b = best[j], y = s.getDouble(q + j);
                    if (b == b && (y != y || (max ? y > b : y < b))) {
                        best[j] = y;
                        bi[j] = r;
                    }
                }
            }
        }
        for (int j = 0; j < n; j++) {
            copy(s, p + j + bi[j] * step, v, vo + j * vs);
            x.setLong(xo + j * xs, bi[j]);
        }
    }

    private static void rowsIntegral(boolean max, HostStorage s, int p, int step, int size, int n,
                                     HostStorage v, int vo, int vs, HostStorage x, int xo, int xs) {
        long[] best = new long[n];
        int[] bi = new int[n];
        for (int j = 0; j < n; j++) best[j] = s.getLong(p + j);
        for (int r = 1, q = p + step; r < size; r++, q += step) {
            for (int j = 0; j < n; j++) {
                long y = s.getLong(q + j);
                if (max ? y > best[j] : y < best[j]) {
                    best[j] = y;
                    bi[j] = r;
                }
            }
        }
        for (int j = 0; j < n; j++) {
            copy(s, p + j + bi[j] * step, v, vo + j * vs);
            x.setLong(xo + j * xs, bi[j]);
        }
    }

    /** Copies one element keeping its exact value (int64 beyond 2^53, the sign of zero). */
    static void copy(HostStorage s, int p, HostStorage d, int q) {
        if (s.dtype().isFloatingPoint()) d.setDouble(q, s.getDouble(p));
        else d.setLong(q, s.getLong(p));
    }
}
