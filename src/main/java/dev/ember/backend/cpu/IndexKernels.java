package dev.ember.backend.cpu;

import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * gather, scatter, index_select and index_add along one dim. Each walks the index tensor's shape with the
 * target dim replaced by the index value; out-of-range indices fail with PyTorch's message before any write
 * is visible to the caller (they are checked first).
 */
final class IndexKernels {
    private IndexKernels() {}

    private static void checkIndices(HostStorage idx, Strided index, int size, String op) {
        StridedIter it = new StridedIter(index.shape(), index.layout());
        it.forEach(0, it.numel, (off, n) -> {
            int st = it.innerStride(0);
            for (int i = 0, p = off[0]; i < n; i++, p += st) {
                long v = idx.getLong(p);
                if (v < -size || v >= size) throw new IndexOutOfBoundsException(op + "(): index " + v + " is out of bounds for dimension with size " + size);
            }
        });
    }

    private static int wrap(long v, int size) { return (int) (v < 0 ? v + size : v); }

    /** dst[i...] = src[i with dim := index[i...]]. */
    static void gather(Strided src, int dim, Strided index, Strided dst) {
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int size = src.shape()[dim];
        checkIndices(x, index, size, "gather");
        int[] st = src.layout().strides().clone();
        int dimStride = st[dim];
        st[dim] = 0;
        Layout srcWalk = new Layout(index.shape(), st, src.layout().offset());
        StridedIter it = new StridedIter(index.shape(), srcWalk, index.layout(), dst.layout());
        it.forEachParallel((off, n) -> {
            int ss = it.innerStride(0), xs = it.innerStride(1), ds = it.innerStride(2);
            for (int i = 0; i < n; i++) {
                int p = off[0] + i * ss + wrap(x.getLong(off[1] + i * xs), size) * dimStride;
                copyElement(s, p, d, off[2] + i * ds);
            }
        });
    }

    /** dst[i with dim := index[i...]] (+)= src[i...], sequentially so duplicates resolve deterministically. */
    static void scatter(Strided dst, int dim, Strided index, Strided src, boolean accumulate) {
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int size = dst.shape()[dim];
        checkIndices(x, index, size, "scatter");
        int[] st = dst.layout().strides().clone();
        int dimStride = st[dim];
        st[dim] = 0;
        Layout dstWalk = new Layout(index.shape(), st, dst.layout().offset());
        int[] srcStrides = src.layout().strides();
        Layout srcWalk = new Layout(index.shape(), java.util.Arrays.copyOf(srcStrides, index.shape().length), src.layout().offset());
        StridedIter it = new StridedIter(index.shape(), dstWalk, index.layout(), srcWalk);
        it.forEach(0, it.numel, (off, n) -> {
            int ds = it.innerStride(0), xs = it.innerStride(1), ss = it.innerStride(2);
            for (int i = 0; i < n; i++) {
                int p = off[0] + i * ds + wrap(x.getLong(off[1] + i * xs), size) * dimStride;
                if (accumulate) addElement(s, off[2] + i * ss, d, p);
                else copyElement(s, off[2] + i * ss, d, p);
            }
        });
    }

    static void indexSelect(Strided src, int dim, Strided index, Strided dst) {
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int size = src.shape()[dim];
        checkIndices(x, index, size, "index_select");
        int n = index.numel();
        int xs = index.layout().strides().length == 0 ? 0 : index.layout().strides()[0];
        for (int k = 0; k < n; k++) {
            int i = wrap(x.getLong(index.layout().offset() + k * xs), size);
            Strided from = new Strided(s, src.layout().slice(dim, i, i + 1, 1));
            Strided to = new Strided(d, dst.layout().slice(dim, k, k + 1, 1));
            Elementwise.copy(from, to);
        }
    }

    static void indexAdd(Strided dst, int dim, Strided index, Strided src) {
        HostStorage s = Elementwise.host(src), x = Elementwise.host(index), d = Elementwise.host(dst);
        int size = dst.shape()[dim];
        checkIndices(x, index, size, "index_add");
        int n = index.numel();
        int xs = index.layout().strides().length == 0 ? 0 : index.layout().strides()[0];
        for (int k = 0; k < n; k++) {
            int i = wrap(x.getLong(index.layout().offset() + k * xs), size);
            Strided to = new Strided(d, dst.layout().slice(dim, i, i + 1, 1));
            Strided from = new Strided(s, src.layout().slice(dim, k, k + 1, 1));
            Elementwise.binary(dev.ember.tensor.spi.BinaryOp.ADD, to, from, to);
        }
    }

    private static void copyElement(HostStorage s, int p, HostStorage d, int q) {
        if (s.dtype().isFloatingPoint()) d.setDouble(q, s.getDouble(p));
        else d.setLong(q, s.getLong(p));
    }

    private static void addElement(HostStorage s, int p, HostStorage d, int q) {
        if (d.dtype().isFloatingPoint()) d.setDouble(q, d.getDouble(q) + s.getDouble(p));
        else d.setLong(q, d.getLong(q) + s.getLong(p));
    }
}
