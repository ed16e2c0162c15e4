package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ReduceOp;

/**
 * The row-accumulation order of a reduction: {@code n} consecutive outputs whose source elements are also
 * consecutive (stride 1) for every position of the reduced dims. Each reduced position contributes one row
 * of {@code n} elements to a buffer of accumulators, so the source is read in memory order and float32
 * rows go through the vector loops. Floating sums are not here: {@link CascadeSum} keeps PyTorch's order.
 */
final class ReduceRows {
    private ReduceRows() {}

    static void reduce(ReduceOp op, HostStorage s, int srcBase, StridedIter rows, int count, HostStorage d, int dstBase, int n) {
        DType t = s.dtype();
        if (t == DType.FLOAT32 && (op == ReduceOp.MAX || op == ReduceOp.MIN)) extremeFloat(op, s.floats(), srcBase, rows, count, d, dstBase, n);
        else if (t.isFloatingPoint()) generic(op, s, srcBase, rows, count, d, dstBase, n);
        else integral(op, s, srcBase, rows, count, d, dstBase, n);
    }

    /** Calls {@code row} with the source offset of every reduced position, in order. */
    private static void forEachRow(StridedIter rows, int count, int srcBase, java.util.function.IntConsumer row) {
        rows.forEach(0, count, (off, m) -> {
            int st = rows.innerStride(0);
            for (int i = 0, p = srcBase + off[0]; i < m; i++, p += st) row.accept(p);
        });
    }

    private static void extremeFloat(ReduceOp op, float[] a, int srcBase, StridedIter rows, int count, HostStorage d, int dstBase, int n) {
        float[] acc = new float[n];
        java.util.Arrays.fill(acc, op == ReduceOp.MAX ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY);
        if (op == ReduceOp.MAX) forEachRow(rows, count, srcBase, p -> FloatVectors.maxInto(a, p, acc, 0, n));
        else forEachRow(rows, count, srcBase, p -> FloatVectors.minInto(a, p, acc, 0, n));
        float[] o = d.floats();
        System.arraycopy(acc, 0, o, dstBase, n);
    }

    private static void generic(ReduceOp op, HostStorage s, int srcBase, StridedIter rows, int count, HostStorage d, int dstBase, int n) {
        double[] acc = new double[n];
        java.util.Arrays.fill(acc, Reduce.identity(op));
        if (s.dtype() == DType.FLOAT64) {
            double[] a = s.doubles();
            switch (op) {
                case PROD -> forEachRow(rows, count, srcBase, p -> { for (int j = 0; j < n; j++) acc[j] *= a[p + j]; });
                default -> forEachRow(rows, count, srcBase, p -> { for (int j = 0; j < n; j++) acc[j] = Reduce.combine(op, acc[j], a[p + j]); });
            }
        } else {
            forEachRow(rows, count, srcBase, p -> { for (int j = 0; j < n; j++) acc[j] = Reduce.combine(op, acc[j], s.getDouble(p + j)); });
        }
        for (int j = 0; j < n; j++) d.setDouble(dstBase + j, acc[j]);
    }

    private static void integral(ReduceOp op, HostStorage s, int srcBase, StridedIter rows, int count, HostStorage d, int dstBase, int n) {
        long[] acc = new long[n];
        java.util.Arrays.fill(acc, Reduce.identityLong(op));
        if (s.dtype() == DType.INT64) {
            long[] a = s.longs();
            switch (op) {
                case SUM -> forEachRow(rows, count, srcBase, p -> { for (int j = 0; j < n; j++) acc[j] += a[p + j]; });
                default -> forEachRow(rows, count, srcBase, p -> { for (int j = 0; j < n; j++) acc[j] = Reduce.combine(op, acc[j], a[p + j]); });
            }
        } else {
            forEachRow(rows, count, srcBase, p -> { for (int j = 0; j < n; j++) acc[j] = Reduce.combine(op, acc[j], s.getLong(p + j)); });
        }
        for (int j = 0; j < n; j++) d.setLong(dstBase + j, acc[j]);
    }
}
