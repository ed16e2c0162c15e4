package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ScanOp;
import dev.ember.tensor.spi.Strided;

/**
 * Inclusive scans along one dim. Floating types accumulate in double (PyTorch's CPU accumulate type for
 * float), integer types in long. When the dim is not the innermost one, whole rows are scanned into a
 * buffer of running values, reading the source in memory order. cummax/cummin propagate NaN.
 */
final class Scan {
    private Scan() {}

    static void scan(ScanOp op, Strided src, int dim, Strided dst) {
        HostStorage s = Elementwise.host(src), d = Elementwise.host(dst);
        int[] shape = src.shape().clone();
        if (shape.length == 0) {
            ArgReduce.copy(s, src.layout().offset(), d, dst.layout().offset());
            return;
        }
        int size = shape[dim], ss = src.layout().strides()[dim], ds = dst.layout().strides()[dim];
        shape[dim] = 1;
        StridedIter it = new StridedIter(shape, new Layout(shape, src.layout().strides(), src.layout().offset()),
                new Layout(shape, dst.layout().strides(), dst.layout().offset()));
        if (it.numel == 0 || size == 0) return;
        boolean floating = s.dtype().isFloatingPoint();
        int grain = Math.max(1, Parallel.GRAIN / size);
        Parallel.forRange(it.numel, grain, (from, to) -> it.forEach(from, to, (off, n) -> {
            int is = it.innerStride(0), id = it.innerStride(1);
            if (is == 1 && id == 1 && ss != 1 && n >= 4) {
                if (floating) rowsFloating(op, s, off[0], ss, d, off[1], ds, size, n);
                else rowsIntegral(op, s, off[0], ss, d, off[1], ds, size, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                if (floating) lineFloating(op, s, off[0] + i * is, ss, d, off[1] + i * id, ds, size);
                else lineIntegral(op, s, off[0] + i * is, ss, d, off[1] + i * id, ds, size);
            }
        }));
    }

    private static void lineFloating(ScanOp op, HostStorage s, int p, int ss, HostStorage d, int q, int ds, int size) {
        if (op == ScanOp.SUM && s.dtype() == DType.FLOAT32 && d.dtype() == DType.FLOAT32) {
            float[] a = s.floats(), o = d.floats();
            double acc = 0;
            for (int j = 0; j < size; j++, p += ss, q += ds) o[q] = (float) (acc += a[p]);
            return;
        }
        double acc = s.getDouble(p);
        d.setDouble(q, acc);
        for (int j = 1; j < size; j++) {
            p += ss;
            q += ds;
            acc = step(op, acc, s.getDouble(p));
            d.setDouble(q, acc);
        }
    }

    private static void lineIntegral(ScanOp op, HostStorage s, int p, int ss, HostStorage d, int q, int ds, int size) {
        long acc = s.getLong(p);
        d.setLong(q, acc);
        for (int j = 1; j < size; j++) {
            p += ss;
            q += ds;
            acc = step(op, acc, s.getLong(p));
            d.setLong(q, acc);
        }
    }

    private static void rowsFloating(ScanOp op, HostStorage s, int p, int ss, HostStorage d, int q, int ds, int size, int n) {
        double[] acc = new double[n];
        if (op == ScanOp.SUM && s.dtype() == DType.FLOAT32 && d.dtype() == DType.FLOAT32) {
            float[] a = s.floats(), o = d.floats();
            for (int r = 0; r < size; r++, p += ss, q += ds)
                for (int j = 0; j < n; j++) o[q + j] = (float) (acc[j] += a[p + j]);
            return;
        }
        for (int j = 0; j < n; j++) {
            acc[j] = s.getDouble(p + j);
            d.setDouble(q + j, acc[j]);
        }
        for (int r = 1; r < size; r++) {
            p += ss;
            q += ds;
            for (int j = 0; j < n; j++) {
                acc[j] = step(op, acc[j], s.getDouble(p + j));
                d.setDouble(q + j, acc[j]);
            }
        }
    }

    private static void rowsIntegral(ScanOp op, HostStorage s, int p, int ss, HostStorage d, int q, int ds, int size, int n) {
        long[] acc = new long[n];
        for (int j = 0; j < n; j++) {
            acc[j] = s.getLong(p + j);
            d.setLong(q + j, acc[j]);
        }
        for (int r = 1; r < size; r++) {
            p += ss;
            q += ds;
            for (int j = 0; j < n; j++) {
                acc[j] = step(op, acc[j], s.getLong(p + j));
                d.setLong(q + j, acc[j]);
            }
        }
    }

    private static double step(ScanOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case PROD -> acc * v;
            case MAX -> acc != acc || v != v ? Double.NaN : Math.max(acc, v);
            case MIN -> acc != acc || v != v ? Double.NaN : Math.min(acc, v);
            case LOGSUMEXP -> logAddExp(v, acc);
        };
    }

    /**
     * PyTorch's log_add_exp step of logcumsumexp (TensorFlow's formula), with {@code std::min}/{@code std::max}'s
     * NaN behaviour: log1p(exp(min - max)) + max, except that two equal infinities give x.
     */
    private static double logAddExp(double x, double y) {
        double min = y != y ? y : (y < x ? y : x), max = y != y ? y : (x < y ? y : x);
        if (min != max || Double.isFinite(min)) return Math.log1p(Math.exp(min - max)) + max;
        return x;
    }

    private static long step(ScanOp op, long acc, long v) {
        return switch (op) {
            case SUM -> acc + v;
            case PROD -> acc * v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
            case LOGSUMEXP -> throw new IllegalArgumentException("logcumsumexp of an integer type");
        };
    }

    /**
     * cummax / cummin with indices, PyTorch's cummax_cummin_helper: the running extreme moves on to an element that
     * is NaN or at least as large (small), so ties report the latest index and a NaN holds until the next NaN.
     */
    static void cumExtreme(ScanOp op, Strided src, int dim, Strided values, Strided indices) {
        boolean max = op == ScanOp.MAX;
        Sort.forEachLine(src, dim, values, indices, (s, p, ss, size, v, vo, vs, x, xo, xs, buf) -> {
            boolean floating = s.dtype().isFloatingPoint();
            int best = 0;
            for (int i = 0; i < size; i++) {
                if (i > 0) {
                    if (floating) {
                        double c = s.getDouble(p + i * ss), b = s.getDouble(p + best * ss);
                        if (c != c || (b == b && (max ? c >= b : c <= b))) best = i;
                    } else {
                        long c = s.getLong(p + i * ss), b = s.getLong(p + best * ss);
                        if (max ? c >= b : c <= b) best = i;
                    }
                }
                ArgReduce.copy(s, p + best * ss, v, vo + i * vs);
                x.setLong(xo + i * xs, best);
            }
        });
    }
}
