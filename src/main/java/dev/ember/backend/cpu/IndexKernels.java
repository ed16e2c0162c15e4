package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.Strided;

import java.util.Arrays;

/**
 * gather and scatter along one dim, and index_select / index_add as their special case (a 1-D index broadcast
 * over the other dims). Every index is range-checked before anything is written. Where the index is constant
 * along the innermost run (rows of index_select, the trailing dims of advanced indexing), the run is moved
 * whole: System.arraycopy, or a vector add when accumulating float32.
 */
final class IndexKernels {
    private IndexKernels() {}

    /** dst[i...] = src[i with dim := index[i...]]. */
    static void gather(Strided src, int dim, Strided index, Strided dst) {
        int size = src.shape()[dim];
        checkIndices(index, dim, size);
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int[] shape = index.shape();
        int[] st = Arrays.copyOf(src.layout().strides(), shape.length);
        int dimStride = st[dim];
        st[dim] = 0;
        StridedIter it = new StridedIter(shape, new Layout(shape, st, src.layout().offset()), index.layout(), dst.layout());
        it.forEachParallel((off, n) -> {
            int ss = it.innerStride(0), xs = it.innerStride(1), ds = it.innerStride(2);
            if (xs == 0) {
                copyRun(s, off[0] + (int) x.getLong(off[1]) * dimStride, ss, d, off[2], ds, n);
            } else if (s.dtype() == DType.FLOAT32 && x.dtype() == DType.INT64) {
                float[] a = s.floats(), b = d.floats();
                long[] xi = x.longs();
                for (int i = 0; i < n; i++) b[off[2] + i * ds] = a[off[0] + i * ss + (int) xi[off[1] + i * xs] * dimStride];
            } else {
                for (int i = 0; i < n; i++)
                    copyRun(s, off[0] + i * ss + (int) x.getLong(off[1] + i * xs) * dimStride, 0, d, off[2] + i * ds, 0, 1);
            }
        });
    }

    /**
     * Walks index's shape over (dst's row of each index element, with dim's stride zeroed so the index supplies it;
     * the index; src): the offsets every scatter kernel reads and writes.
     */
    private static StridedIter scatterWalk(Strided dst, int dim, Strided index, Strided src) {
        int[] shape = index.shape();
        int[] st = Arrays.copyOf(dst.layout().strides(), shape.length);
        st[dim] = 0;
        Layout srcWalk = new Layout(shape, Arrays.copyOf(src.layout().strides(), shape.length), src.layout().offset());
        return new StridedIter(shape, new Layout(shape, st, dst.layout().offset()), index.layout(), srcWalk);
    }

    /** dst[i with dim := index[i...]] (+)= src[i...], in order, so duplicates resolve deterministically (last write wins). */
    static void scatter(Strided dst, int dim, Strided index, Strided src, boolean accumulate) {
        int size = dst.shape()[dim];
        checkIndices(index, dim, size);
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int dimStride = dst.layout().strides()[dim];
        StridedIter it = scatterWalk(dst, dim, index, src);
        it.forEach(0, it.numel, (off, n) -> {
            int ds = it.innerStride(0), xs = it.innerStride(1), ss = it.innerStride(2);
            if (xs == 0) {
                int q = off[0] + (int) x.getLong(off[1]) * dimStride;
                if (accumulate) addRun(s, off[2], ss, d, q, ds, n);
                else copyRun(s, off[2], ss, d, q, ds, n);
                return;
            }
            if (accumulate && d.dtype() == DType.FLOAT32 && x.dtype() == DType.INT64) {
                float[] a = s.floats(), b = d.floats();
                long[] xi = x.longs();
                for (int i = 0; i < n; i++) b[off[0] + i * ds + (int) xi[off[1] + i * xs] * dimStride] += a[off[2] + i * ss];
                return;
            }
            for (int i = 0; i < n; i++) {
                int q = off[0] + i * ds + (int) x.getLong(off[1] + i * xs) * dimStride;
                if (accumulate) addRun(s, off[2] + i * ss, 0, d, q, 0, 1);
                else copyRun(s, off[2] + i * ss, 0, d, q, 0, 1);
            }
        });
    }

    /**
     * dst[i with dim := index[i...]] = op(dst[...], src[i...]) with op SUM, PROD, MAX or MIN, in index order as PyTorch's
     * scatter loop applies them (it matters for float sums). MAX/MIN take a NaN from either side, as PyTorch's
     * {@code isnan(src) ? src : std::max(self, src)} does. Integers compute in int64 and wrap to the dtype.
     */
    static void scatterReduce(Strided dst, int dim, Strided index, Strided src, ReduceOp op) {
        checkIndices(index, dim, dst.shape()[dim]);
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int dimStride = dst.layout().strides()[dim];
        StridedIter it = scatterWalk(dst, dim, index, src);
        boolean floating = d.dtype().isFloatingPoint();
        it.forEach(0, it.numel, (off, n) -> {
            int ds = it.innerStride(0), xs = it.innerStride(1), ss = it.innerStride(2);
            for (int i = 0; i < n; i++) {
                int q = off[0] + i * ds + (int) x.getLong(off[1] + i * xs) * dimStride, p = off[2] + i * ss;
                if (floating) d.setDouble(q, combine(op, d.getDouble(q), s.getDouble(p)));
                else d.setLong(q, combine(op, d.getLong(q), s.getLong(p)));
            }
        });
    }

    private static double combine(ReduceOp op, double a, double b) {
        return switch (op) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MAX -> b != b ? b : (a < b ? b : a);
            case MIN -> b != b ? b : (b < a ? b : a);
            default -> throw new IllegalArgumentException("scatterReduce needs SUM, PROD, MAX or MIN, got " + op);
        };
    }

    private static long combine(ReduceOp op, long a, long b) {
        return switch (op) {
            case SUM -> a + b;
            case PROD -> a * b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> throw new IllegalArgumentException("scatterReduce needs SUM, PROD, MAX or MIN, got " + op);
        };
    }

    /** dst = src.index_select(dim, index): the 1-D index read along dim, the same for every other position. */
    static void indexSelect(Strided src, int dim, Strided index, Strided dst) {
        gather(src, dim, alongDim(index, dst.shape(), dim), dst);
    }

    /** dst.index_add_(dim, index, src): duplicates accumulate. */
    static void indexAdd(Strided dst, int dim, Strided index, Strided src) {
        scatter(dst, dim, alongDim(index, src.shape(), dim), src, true);
    }

    /** A 1-D index viewed with {@code shape}: its own stride along dim, stride 0 elsewhere. */
    private static Strided alongDim(Strided index, int[] shape, int dim) {
        int[] st = new int[shape.length];
        st[dim] = index.layout().strides().length == 0 ? 0 : index.layout().strides()[0];
        return new Strided(index.storage(), new Layout(shape, st, index.layout().offset()));
    }

    /** Fails on the first index outside [0, size); broadcast (stride-0) dims of the index are read once. */
    private static void checkIndices(Strided index, int dim, int size) {
        HostStorage x = Elementwise.host(index);
        int[] shape = index.shape().clone(), st = index.layout().strides();
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return;
            if (st[i] == 0) shape[i] = 1;
        }
        StridedIter it = new StridedIter(shape, new Layout(shape, st, index.layout().offset()));
        it.forEach(0, it.numel, (off, n) -> {
            int xs = it.innerStride(0);
            for (int i = 0, p = off[0]; i < n; i++, p += xs) {
                long v = x.getLong(p);
                if (v < 0 || v >= size) throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + dim + " with size " + size);
            }
        });
    }

    /** n elements from s (stride ss) to d (stride ds); both of one dtype. */
    private static void copyRun(HostStorage s, int p, int ss, HostStorage d, int q, int ds, int n) {
        if (ss == 1 && ds == 1) {
            System.arraycopy(s.array(), p, d.array(), q, n);
            return;
        }
        switch (s.dtype()) {
            case FLOAT32 -> { float[] a = s.floats(), b = d.floats(); for (int i = 0; i < n; i++) b[q + i * ds] = a[p + i * ss]; }
            case FLOAT64 -> { double[] a = s.doubles(), b = d.doubles(); for (int i = 0; i < n; i++) b[q + i * ds] = a[p + i * ss]; }
            case INT64 -> { long[] a = s.longs(), b = d.longs(); for (int i = 0; i < n; i++) b[q + i * ds] = a[p + i * ss]; }
            case INT32 -> { int[] a = s.ints(), b = d.ints(); for (int i = 0; i < n; i++) b[q + i * ds] = a[p + i * ss]; }
            case INT16, FLOAT16, BFLOAT16 -> { short[] a = s.shorts(), b = d.shorts(); for (int i = 0; i < n; i++) b[q + i * ds] = a[p + i * ss]; }
            case INT8, UINT8, BOOL -> { byte[] a = s.bytes(), b = d.bytes(); for (int i = 0; i < n; i++) b[q + i * ds] = a[p + i * ss]; }
        }
    }

    /** d[q + i*ds] += s[p + i*ss]; float32 runs add as float (PyTorch's rounding), contiguous ones vectorised. */
    private static void addRun(HostStorage s, int p, int ss, HostStorage d, int q, int ds, int n) {
        DType t = d.dtype();
        if (t == DType.FLOAT32) {
            float[] a = s.floats(), b = d.floats();
            if (ss == 1 && ds == 1) FloatVectors.accumulate(a, p, b, q, n);
            else for (int i = 0; i < n; i++) b[q + i * ds] += a[p + i * ss];
        } else if (t == DType.FLOAT64) {
            double[] a = s.doubles(), b = d.doubles();
            for (int i = 0; i < n; i++) b[q + i * ds] += a[p + i * ss];
        } else if (t == DType.BOOL) {
            for (int i = 0; i < n; i++) d.setLong(q + i * ds, d.getLong(q + i * ds) | s.getLong(p + i * ss));
        } else if (t.isFloatingPoint()) {
            for (int i = 0; i < n; i++) d.setDouble(q + i * ds, (float) (d.getDouble(q + i * ds) + s.getDouble(p + i * ss)));
        } else {
            for (int i = 0; i < n; i++) d.setLong(q + i * ds, d.getLong(q + i * ds) + s.getLong(p + i * ss));
        }
    }
}
