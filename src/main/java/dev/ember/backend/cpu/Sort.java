package dev.ember.backend.cpu;

import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * sort and topk along one dim, each line through {@link StdSort} so that equal keys end up where PyTorch's
 * CPU kernels leave them. Values become long keys whose {@code <} is PyTorch's comparison: NaN above
 * everything (all NaNs equal), -0.0 equal to 0.0; descending order flips the keys with {@code ~}.
 * Output values are copied from the source by index, so they keep their exact bits.
 */
final class Sort {
    private Sort() {}

    static void sort(Strided src, int dim, boolean descending, boolean stable, Strided values, Strided indices) {
        forEachLine(src, dim, values, indices, (s, p, ss, size, v, vo, vs, x, xo, xs, buf) -> {
            load(s, p, ss, size, descending, buf);
            if (stable) StdSort.stableSort(buf.keys, buf.idx, 0, size, buf.tmpKeys(), buf.tmpIdx());
            else StdSort.sort(buf.keys, buf.idx, 0, size);
            store(s, p, ss, size, v, vo, vs, x, xo, xs, buf);
        });
    }

    /** PyTorch's topk_impl_loop: partial_sort when k is small against the dim, else nth_element then sort. */
    static void topk(Strided src, int k, int dim, boolean largest, boolean sorted, Strided values, Strided indices) {
        if (k == 0) return;
        forEachLine(src, dim, values, indices, (s, p, ss, size, v, vo, vs, x, xo, xs, buf) -> {
            load(s, p, ss, size, largest, buf);
            if ((long) k * 64 <= size) {
                StdSort.partialSort(buf.keys, buf.idx, 0, k, size);
            } else {
                StdSort.nthElement(buf.keys, buf.idx, 0, k - 1, size);
                if (sorted) StdSort.sort(buf.keys, buf.idx, 0, k - 1);
            }
            store(s, p, ss, k, v, vo, vs, x, xo, xs, buf);
        });
    }

    /** Per-thread scratch arrays for one line (shared with {@link Select}). */
    static final class Buffers {
        final long[] keys;
        final int[] idx;
        private long[] tk;
        private int[] ti;

        Buffers(int n) {
            keys = new long[n];
            idx = new int[n];
        }

        long[] tmpKeys() { return tk != null ? tk : (tk = new long[keys.length]); }

        int[] tmpIdx() { return ti != null ? ti : (ti = new int[idx.length]); }
    }

    @FunctionalInterface
    interface Line {
        void run(HostStorage s, int p, int ss, int size, HostStorage v, int vo, int vs, HostStorage x, int xo, int xs, Buffers buf);
    }

    /** Walks every line along {@code dim}: source start and stride, and where its values and indices go. */
    static void forEachLine(Strided src, int dim, Strided values, Strided indices, Line line) {
        HostStorage s = Elementwise.host(src), v = Elementwise.host(values), x = Elementwise.host(indices);
        int[] shape = src.shape().clone();
        int size = shape.length == 0 ? 1 : shape[dim];
        int ss = shape.length == 0 ? 0 : src.layout().strides()[dim];
        int vs = shape.length == 0 ? 0 : values.layout().strides()[dim], xs = shape.length == 0 ? 0 : indices.layout().strides()[dim];
        if (shape.length > 0) shape[dim] = 1;
        StridedIter it = new StridedIter(shape, new Layout(shape, src.layout().strides(), src.layout().offset()),
                new Layout(shape, values.layout().strides(), values.layout().offset()),
                new Layout(shape, indices.layout().strides(), indices.layout().offset()));
        if (it.numel == 0 || size == 0) return;
        int grain = Math.max(1, Parallel.GRAIN / size);
        Parallel.forRange(it.numel, grain, (from, to) -> {
            Buffers buf = new Buffers(size);
            it.forEach(from, to, (off, n) -> {
                int a = it.innerStride(0), b = it.innerStride(1), c = it.innerStride(2);
                for (int i = 0; i < n; i++) line.run(s, off[0] + i * a, ss, size, v, off[1] + i * b, vs, x, off[2] + i * c, xs, buf);
            });
        });
    }

    static void load(HostStorage s, int p, int ss, int size, boolean flip, Buffers buf) {
        long[] k = buf.keys;
        int[] idx = buf.idx;
        if (s.dtype() == dev.ember.tensor.DType.FLOAT32) {
            float[] a = s.floats();
            for (int j = 0, q = p; j < size; j++, q += ss) {
                long key = key(a[q]);
                k[j] = flip ? ~key : key;
                idx[j] = j;
            }
            return;
        }
        boolean floating = s.dtype().isFloatingPoint();
        for (int j = 0, q = p; j < size; j++, q += ss) {
            long key = floating ? key(s.getDouble(q)) : s.getLong(q);
            k[j] = flip ? ~key : key;
            idx[j] = j;
        }
    }

    private static void store(HostStorage s, int p, int ss, int count, HostStorage v, int vo, int vs, HostStorage x, int xo, int xs, Buffers buf) {
        for (int j = 0; j < count; j++) {
            ArgReduce.copy(s, p + buf.idx[j] * ss, v, vo + j * vs);
            x.setLong(xo + j * xs, buf.idx[j]);
        }
    }

    /** A long whose signed order is PyTorch's order of doubles: NaN largest and all NaNs equal, -0.0 == 0.0. */
    static long key(double d) {
        if (d != d) return Long.MAX_VALUE;
        long b = Double.doubleToRawLongBits(d == 0 ? 0.0 : d);
        return b ^ ((b >> 63) & Long.MAX_VALUE);
    }
}
