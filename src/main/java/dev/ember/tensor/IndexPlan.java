package dev.ember.tensor;

import dev.ember.tensor.spi.Strided;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * PyTorch's AdvancedIndex (make_info in TensorAdvancedIndexing.cpp): integer and mask indices over some dims
 * of a tensor, checked, broadcast together and reduced to one coordinate per indexed dim and index position.
 * A plan depends on shapes only, so the same plan reads a tensor and writes its gradient.
 *
 * <p>The indices are computed on the host (masks need their true positions counted before the result can be
 * sized). Reads and writes then run on the device through the backend's gather and scatter: the indexed dims
 * collapse into one virtual dim of stride 1 whose index is each position's storage offset, so any strided
 * layout, views included, is read or written in place without a copy.
 */
final class IndexPlan {
    private final int[] srcShape;
    /** Dims in walking order: the indexed ones first when they were not adjacent (PyTorch's transposeToFront). */
    private final int[] perm;
    private final int before, k, n;
    private final int[] bshape;
    private final int[][] coords;
    /** PyTorch checks index bounds in the kernel, after the shape and dtype checks; the first violation waits here. */
    private final String outOfBounds;
    /** The index tensors' layouts broadcast to {@link #bshape}, in walking order; null when the result is row-major. */
    private final Layout[] indexLayouts;
    /** The index tensors the plan was made from, which PyTorch's IndexBackward0 saves (and version-checks). */
    private final Tensor[] indices;

    private IndexPlan(int[] srcShape, int[] perm, int before, int[] bshape, int[][] coords, String outOfBounds, Layout[] indexLayouts, Tensor[] indices) {
        this.srcShape = srcShape;
        this.perm = perm;
        this.before = before;
        this.k = coords.length;
        this.bshape = bshape;
        this.n = Shape.numel(bshape);
        this.coords = coords;
        this.outOfBounds = outOfBounds;
        this.indexLayouts = indexLayouts;
        this.indices = indices;
    }

    /** The index tensors given (nulls dropped), for a backward node to save as PyTorch's does. */
    Tensor[] indexTensors() { return indices.clone(); }

    /** {@code src[indices]} with one (nullable) int64, bool or uint8 index per leading dim of src. */
    static IndexPlan of(Tensor src, List<Tensor> indices) {
        int[] shape = src.layout().shape();
        for (Tensor t : indices)
            if (t != null && t.dtype() != DType.INT64 && t.dtype() != DType.BOOL && t.dtype() != DType.UINT8)
                throw new IndexOutOfBoundsException("tensors used as indices must be long, byte or bool tensors");
        List<int[]> shapes = new ArrayList<>();
        List<long[]> values = new ArrayList<>();
        List<Layout> layouts = new ArrayList<>();
        for (Tensor t : indices) {
            if (t == null) {
                shapes.add(null);
                values.add(null);
                layouts.add(null);
            } else if (t.dtype() == DType.INT64) {
                shapes.add(t.layout().shape());
                values.add(Indexing.hostLongs(t));
                layouts.add(t.layout());
            } else {
                expandMask(t, shape, shapes, values, layouts);
            }
        }
        int[] bshape = new int[0];
        try {
            for (int[] s : shapes) if (s != null) bshape = Shape.broadcast(bshape, s);
        } catch (IllegalArgumentException e) {
            StringJoiner j = new StringJoiner(", ");
            for (int[] s : shapes) if (s != null) j.add(Shape.str(s));
            throw new IndexOutOfBoundsException("shape mismatch: indexing tensors could not be broadcast together with shapes " + j);
        }
        if (shapes.size() > shape.length)
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + shape.length + " (got " + shapes.size() + ")");
        while (shapes.size() < shape.length) {
            shapes.add(null);
            values.add(null);
            layouts.add(null);
        }
        int first = -1, last = -1, count = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shapes.get(d) == null) continue;
            if (first < 0) first = d;
            last = d;
            count++;
        }
        int[] perm = null;
        int before = first;
        if (last - first + 1 != count) {
            perm = new int[shape.length];
            int p = 0;
            for (int d = 0; d < shape.length; d++) if (shapes.get(d) != null) perm[p++] = d;
            for (int d = 0; d < shape.length; d++) if (shapes.get(d) == null) perm[p++] = d;
            before = 0;
        }
        int[] order = perm != null ? perm : identity(shape.length);
        int[] sizes = new int[count];
        long[][] vals = new long[count][];
        Layout[] indexLayouts = new Layout[count];
        for (int j = 0; j < count; j++) {
            int d = order[before + j];
            sizes[j] = shape[d];
            vals[j] = broadcastTo(values.get(d), shapes.get(d), bshape);
            indexLayouts[j] = layouts.get(d).expand(bshape);
        }
        boolean indexedEmpty = false, replacementEmpty = false;
        for (int s : sizes) indexedEmpty |= s == 0;
        for (int s : bshape) replacementEmpty |= s == 0;
        if (indexedEmpty && !replacementEmpty) throw new IndexOutOfBoundsException("index is out of bounds for dimension with size 0");
        long others = 1;
        for (int d = 0; d < shape.length; d++) if (shapes.get(d) == null) others *= shape[d];
        Tensor[] given = indices.stream().filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
        return build(shape, perm, before, bshape, sizes, vals, others == 0, indexLayouts, given);
    }

    /** Every dim of a tensor of {@code srcShape} indexed, in order, by coordinates already in range. */
    static IndexPlan ofCoordinates(int[] srcShape, int[] bshape, int[][] coords) {
        return new IndexPlan(srcShape.clone(), null, 0, bshape.clone(), coords, null, null, new Tensor[0]);
    }

    /** Wraps negative indices; the first out-of-range one (in PyTorch's element order) is kept for {@link #checkBounds}. */
    private static IndexPlan build(int[] shape, int[] perm, int before, int[] bshape, int[] sizes, long[][] vals, boolean resultEmpty, Layout[] indexLayouts, Tensor[] indices) {
        int n = Shape.numel(bshape), k = sizes.length;
        int[][] coords = new int[k][n];
        String error = null;
        for (int p = 0; p < n; p++) {
            for (int j = 0; j < k; j++) {
                long v = vals[j][p];
                long size = sizes[j];
                if (v < -size || v >= size) {
                    // an empty result walks no element, so PyTorch never sees the bad index
                    if (error == null && !resultEmpty) error = "index " + v + " is out of bounds for dimension " + j + " with size " + size;
                    continue;
                }
                coords[j][p] = (int) (v < 0 ? v + size : v);
            }
        }
        return new IndexPlan(shape.clone(), perm, before, bshape, coords, error, indexLayouts, indices);
    }

    /**
     * A k-dim mask becomes k int64 indices of its true positions, after PyTorch's shape check: the columns of
     * nonzero(), which stores them one dim after another, so each is contiguous.
     */
    private static void expandMask(Tensor mask, int[] srcShape, List<int[]> shapes, List<long[]> values, List<Layout> layouts) {
        int[] ms = mask.layout().shape();
        int at = shapes.size();
        for (int j = 0; j < ms.length; j++) {
            int srcIdx = at + j;
            int size = srcShape.length == 0 ? 1 : srcShape[Shape.wrapDim(srcIdx, srcShape.length)];
            if (ms[j] != size)
                throw new IndexOutOfBoundsException("The shape of the mask " + Shape.str(ms) + " at index " + j + " does not match the shape of the indexed tensor "
                        + Shape.str(srcShape) + " at index " + srcIdx);
        }
        long[][] nz = Masking.nonzeroCoordinates(mask);
        for (long[] column : nz) {
            shapes.add(new int[] {column.length});
            values.add(column);
            layouts.add(Layout.contiguous(column.length));
        }
    }

    /** Row-major {@code v} of shape {@code s} read at every position of the broadcast shape {@code b}. */
    private static long[] broadcastTo(long[] v, int[] s, int[] b) {
        int n = Shape.numel(b);
        if (Arrays.equals(s, b)) return v;
        int[] st = new int[b.length];
        int lead = b.length - s.length, stride = 1;
        for (int d = s.length - 1; d >= 0; d--) {
            st[d + lead] = s[d] == 1 ? 0 : stride;
            stride *= s[d];
        }
        long[] out = new long[n];
        int[] idx = new int[b.length];
        int off = 0;
        for (int p = 0; p < n; p++) {
            out[p] = v[off];
            for (int d = b.length - 1; d >= 0; d--) {
                off += st[d];
                if (++idx[d] < b[d]) break;
                off -= st[d] * b[d];
                idx[d] = 0;
            }
        }
        return out;
    }

    private static int[] identity(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        return p;
    }

    void checkBounds() {
        if (outOfBounds != null) throw new IndexOutOfBoundsException(outOfBounds);
    }

    int[] srcShape() { return srcShape.clone(); }

    /** Dims before the indexed block, the broadcast index shape, then the dims after. */
    int[] resultShape() {
        int[] ls = walkShape(srcShape);
        int[] out = new int[ls.length - k + bshape.length];
        System.arraycopy(ls, 0, out, 0, before);
        System.arraycopy(bshape, 0, out, before, bshape.length);
        System.arraycopy(ls, before + k, out, before + bshape.length, ls.length - before - k);
        return out;
    }

    private int[] walkShape(int[] shape) {
        if (perm == null) return shape;
        int[] out = new int[shape.length];
        for (int i = 0; i < perm.length; i++) out[i] = shape[perm[i]];
        return out;
    }

    /** {@code src[indices]}: a new tensor of {@link #resultShape()} laid out as PyTorch lays it out; bounds must be checked. */
    Tensor gather(Tensor src) {
        Layout layout = resultLayout(src.layout());
        Tensor out = Kernels.empty(layout, src.dtype(), src.device());
        if (out.numel() == 0) return out;
        Walk w = walk(src, null);
        Layout direct = layout.view(w.kernelShape);
        if (direct != null) {
            src.backend().gather(w.virtual, before, w.index, new Strided(out.storage(), direct));
            return out;
        }
        // the result's dims interleave the index block with the others, so it cannot be written as one dim
        Tensor rowMajor = Kernels.empty(w.kernelShape, src.dtype(), src.device());
        src.backend().gather(w.virtual, before, w.index, rowMajor.strided());
        out.backend().copy(new Strided(rowMajor.storage(), Layout.contiguous(layout.shape())), out.strided());
        return out;
    }

    /**
     * The layout of PyTorch's index result: the output TensorIterator gives it when it iterates the source restrided
     * to the result's shape (stride 0 along the index dims) together with the index tensors reshaped to the same
     * rank (size 1 along the other dims). So the result follows the source's memory order in the dims it keeps and
     * the indices' in the dims they add: a transposed source gives a transposed result.
     */
    private Layout resultLayout(Layout src) {
        int[] rs = resultShape();
        if (indexLayouts == null) return Layout.contiguous(rs);
        return Layout.following(rs, iteratorOperands(src, null));
    }

    /**
     * The operands of PyTorch's index TensorIterator over {@link #resultShape()}: the source restrided (stride 0
     * along the index dims), the value when writing, then the index tensors reshaped to the result's rank.
     */
    private Layout[] iteratorOperands(Layout src, Layout value) {
        int[] rs = resultShape();
        Layout l = perm == null ? src : src.permute(perm);
        int[] st = l.strides();
        int b = bshape.length, after = rs.length - before - b;
        int[] restrided = new int[rs.length], ishape = new int[rs.length];
        Arrays.fill(ishape, 1);
        System.arraycopy(st, 0, restrided, 0, before);
        System.arraycopy(st, before + k, restrided, before + b, after);
        System.arraycopy(bshape, 0, ishape, before, b);
        List<Layout> operands = new ArrayList<>();
        operands.add(new Layout(rs, restrided, 0));
        if (value != null) operands.add(value);
        for (int j = 0; j < k; j++) {
            Layout reshaped = indexLayouts[j].view(ishape);
            operands.add(reshaped != null ? reshaped : Layout.contiguous(ishape));
        }
        return operands.toArray(Layout[]::new);
    }

    /**
     * {@code dst[indices] = values} (or {@code +=}, duplicates adding up); values broadcast to {@link #resultShape()}.
     * Where indices repeat, the last write wins, and PyTorch writes in its TensorIterator's order, which follows the
     * operands' strides: a transposed value walks the index dims transposed, so another duplicate lands last.
     */
    void put(Tensor dst, Tensor values, boolean accumulate) {
        int[] rs = resultShape();
        if (Shape.numel(rs) == 0) return;
        Layout given = values.layout().expand(rs);
        int[] order = accumulate ? null : writeOrder(dst.layout(), given);
        Walk w = walk(dst, order);
        Tensor v = values.storage() == dst.storage() ? Kernels.copy(values) : values;
        Layout expanded = inWriteOrder(v.layout().expand(rs), order);
        Layout vl = expanded.view(w.kernelShape);
        if (vl == null) {
            v = Kernels.copy(new Tensor(v.storage(), expanded));
            vl = v.layout().view(w.kernelShape);
        }
        dst.backend().scatter(w.virtual, before, w.index, new Strided(v.storage(), vl), accumulate);
    }

    /** The index dims slowest first as PyTorch's iterator walks them when writing; null when that is row-major. */
    private int[] writeOrder(Layout dst, Layout value) {
        int b = bshape.length;
        if (indexLayouts == null || b < 2) return null;
        int[] fastest = Layout.iterationOrder(resultShape(), iteratorOperands(dst, value));
        int[] order = new int[b];
        int m = b;
        boolean rowMajor = true;
        for (int d : fastest) {
            if (d < before || d >= before + b) continue;
            order[--m] = d - before;
            rowMajor &= order[m] == m;
        }
        return rowMajor ? null : order;
    }

    /** A layout of the result's shape with its index dims permuted into {@code order} (null: as they are). */
    private Layout inWriteOrder(Layout l, int[] order) {
        if (order == null) return l;
        int[] dims = identity(l.dim());
        for (int j = 0; j < order.length; j++) dims[before + j] = before + order[j];
        return l.permute(dims);
    }

    /** The row-major positions in {@link #bshape} visited when its dims are walked in {@code order}, slowest first. */
    private int[] positionsInOrder(int[] order) {
        int b = bshape.length;
        int[] rowStride = new int[b], idx = new int[b], positions = new int[n];
        for (int d = b - 1, s = 1; d >= 0; d--) {
            rowStride[d] = s;
            s *= bshape[d];
        }
        for (int i = 0, p = 0; i < n; i++) {
            positions[i] = p;
            for (int j = b - 1; j >= 0; j--) {
                int d = order[j];
                p += rowStride[d];
                if (++idx[d] < bshape[d]) break;
                p -= rowStride[d] * bshape[d];
                idx[d] = 0;
            }
        }
        return positions;
    }

    /** The virtual operand (indexed block as one stride-1 dim) and the storage-offset index that walks it. */
    private record Walk(Strided virtual, Strided index, int[] kernelShape) {}

    /** With {@code order}, the index positions are visited with their dims permuted into it (see {@link #put}). */
    private Walk walk(Tensor t, int[] order) {
        Layout l = perm == null ? t.layout() : t.layout().permute(perm);
        int[] ls = l.shape(), st = l.strides();
        int[] positions = order == null ? null : positionsInOrder(order);
        long[] offsets = new long[n];
        long max = 0;
        for (int i = 0; i < n; i++) {
            int p = positions == null ? i : positions[i];
            long o = 0;
            for (int j = 0; j < k; j++) o += (long) coords[j][p] * st[before + j];
            offsets[i] = o;
            max = Math.max(max, o);
        }
        int rank = ls.length - k + 1;
        int[] kshape = new int[rank], vshape = new int[rank], vstrides = new int[rank], xstrides = new int[rank];
        for (int d = 0; d < before; d++) {
            kshape[d] = vshape[d] = ls[d];
            vstrides[d] = st[d];
        }
        kshape[before] = n;
        vshape[before] = (int) max + 1;
        vstrides[before] = 1;
        xstrides[before] = 1;
        for (int d = before + k, r = before + 1; d < ls.length; d++, r++) {
            kshape[r] = vshape[r] = ls[d];
            vstrides[r] = st[d];
        }
        Tensor index = Tensor.fromArray(offsets, n);
        if (!t.device().isCpu()) index = index.to(t.device());
        return new Walk(new Strided(t.storage(), new Layout(vshape, vstrides, l.offset())),
                new Strided(index.storage(), new Layout(kshape, xstrides, 0)), kshape);
    }
}
