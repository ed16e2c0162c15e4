package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;

/**
 * {@code index_copy(dim, index, source)} and {@code index_fill(dim, index, value)} (and their in-place forms), with
 * PyTorch 1.13's checks in its order and text. Both write through the backend's scatter with the 1-D index laid
 * along {@code dim}, so duplicates resolve as PyTorch's loop does: the last write wins. index_copy refuses negative
 * indices; index_fill wraps them.
 */
final class IndexCopyFill {
    private IndexCopyFill() {}

    static Tensor indexCopy(Tensor t, int dim, Tensor index, Tensor source, boolean inplace) {
        if (inplace) return InPlace.result(t, s -> indexCopy(s, dim, index, source, false), source);
        int d = Shape.wrapDim(dim, t.dim());
        int n = index.numel();
        if (index.dim() >= 2) throw new IndexOutOfBoundsException("index_copy_(): Index should have dimension 1 or 0 (got " + index.dim() + ")");
        if (source.dim() == 0 && n != 1)
            throw new IndexOutOfBoundsException("index_copy_(): When source is scalar, index should have one element (got " + n + ")");
        if (source.dim() != t.dim() && source.dim() != 0 && t.dim() != 0)
            throw new IndexOutOfBoundsException("index_copy_(): When source and destination are not scalars, their dimensionality must match. Source dimensionality ("
                    + source.dim() + "), destination dimensionality (" + t.dim() + ")");
        if (index.dtype() != DType.INT64)
            throw new IllegalArgumentException("index_copy_(): Expected a long tensor for index, but got " + TypePromotion.typeName(index.dtype()));
        if (t.dtype() != source.dtype())
            throw new IllegalArgumentException("index_copy_(): self and source expected to have the same dtype, but got (self) "
                    + TypePromotion.typeName(t.dtype()) + " and (source) " + TypePromotion.typeName(source.dtype()));
        Kernels.checkSameDevice(t, index);
        Kernels.checkSameDevice(t, source);
        int[] selfSlice = sliceShape(t.layout().shape(), d), sourceSlice = sliceShape(source.layout().shape(), d);
        if (!Arrays.equals(selfSlice, sourceSlice))
            throw new IllegalArgumentException("index_copy_(): Source/destination tensor must have same slice shapes. Destination slice shape: " + spaced(selfSlice)
                    + " at dimension " + d + " and source slice shape: " + spaced(sourceSlice) + " at dimension 0.");
        if (source.dim() > 0 && n != source.size(d))
            throw new IndexOutOfBoundsException("index_copy_(): Number of indices (" + n + ") should be equal to source.size(dim) (" + source.size(d) + ")");
        int size = t.dim() == 0 ? 1 : t.size(d);
        for (long v : Indexing.hostLongs(index))
            if (v < 0 || v >= size) throw new IndexOutOfBoundsException("index_copy_(): index " + v + " is out of bounds for dimension " + d + " with size " + size);
        Tensor out = Kernels.copy(t);
        if (n > 0) {
            Tensor dst = out.dim() == 0 ? out.view(1) : out, src = source.dim() == 0 ? source.view(1) : source;
            write(dst, d, index, src);
        }
        return Autograd.record("IndexCopyBackward0", out, new Tensor[] {t, source}, new Tensor[] {index}, c -> new Tensor[] {
                !c.needs(0) ? null : c.grad().indexFill(d, c.saved(0), 0.0),
                !c.needs(1) ? null : source.dim() > 0 ? c.grad().indexSelect(d, c.saved(0)) : c.grad().reshape(-1).indexSelect(0, c.saved(0).reshape(-1)).reshape()});
    }

    /** {@code index_fill(dim, index, value)} with a number, converted to self's dtype (IndexFillBackward0). */
    static Tensor indexFill(Tensor t, int dim, Tensor index, Scalar value, boolean inplace) {
        if (inplace) Autograd.checkInplace(t);
        int d = checkFill(t, dim, index, value, inplace);
        if (inplace) return InPlace.written(t, s -> indexFill(s, dim, index, value, false), self -> fillInto(self, d, index, value));
        Tensor out = Kernels.copyPreserving(t); // the out-of-place form fills a clone, which keeps t's strides
        fillInto(out, d, index, value);
        return Autograd.record("IndexFillBackward0", out, new Tensor[] {t}, new Tensor[] {index}, c -> new Tensor[] {c.grad().indexFill(d, c.saved(0), 0.0)});
    }

    /** {@code index_fill(dim, index, value)} with a 0-dim tensor, whose gradient is the sum over the filled positions (IndexFillBackward1). */
    static Tensor indexFill(Tensor t, int dim, Tensor index, Tensor value, boolean inplace) {
        if (inplace) Autograd.checkInplace(t, value);
        if (value.dim() != 0)
            throw new IllegalArgumentException("index_fill_ only supports a 0-dimensional value tensor, but got tensor with " + value.dim() + " dimension(s).");
        Scalar number = Scalar.of(value); // PyTorch fills value.item(): an int tensor's value converts as an int
        int d = checkFill(t, dim, index, number, inplace);
        if (inplace) return InPlace.written(t, s -> indexFill(s, dim, index, value, false), self -> fillInto(self, d, index, number));
        Tensor out = Kernels.copyPreserving(t);
        fillInto(out, d, index, number);
        return Autograd.record("IndexFillBackward1", out, new Tensor[] {t, value}, new Tensor[] {index}, c -> {
            Tensor g = c.grad().dim() == 0 ? c.grad().view(1) : c.grad();
            // each filled position counts once, however often the index names it (PyTorch selects by unique(index));
            // a negative index fails here as in PyTorch 1.13, whose index_select does not wrap it
            return new Tensor[] {!c.needs(0) ? null : c.grad().indexFill(d, c.saved(0), 0.0),
                    !c.needs(1) ? null : g.indexSelect(d, c.saved(0).reshape(-1).unique(false, false, false).values()).sum()};
        });
    }

    /**
     * index_fill_'s checks in PyTorch 1.13's order; returns the wrapped dim. A self that overlaps itself is allowed
     * (PyTorch only warns), an index sharing self's memory is not; the kernel converts the value before it checks any
     * index, even with none to fill.
     */
    private static int checkFill(Tensor t, int dim, Tensor index, Scalar value, boolean inplace) {
        if (index.dtype() != DType.INT64) throw new IndexOutOfBoundsException("index_fill_(): Expected dtype int64 for index.");
        if (inplace) MemoryOverlap.assertNoOverlap(t, index);
        int d = Shape.wrapDim(dim, Math.max(t.dim(), 1));
        if (index.dim() > 1) throw new IllegalArgumentException("Index has to be a vector/scalar");
        Kernels.checkSameDevice(t, index);
        value.checkedFor(t.dtype());
        int size = t.dim() == 0 ? 1 : t.size(d);
        // the kernel checks each index as its loop reaches it: a self with no other elements checks none
        if (size > 0 && t.numel() == 0) return d;
        for (long v : Indexing.hostLongs(index))
            if (v < -size || v >= size) throw new IndexOutOfBoundsException("index " + v + " is out of bounds for dimension " + d + " with size " + size);
        return d;
    }

    /** The kernel: the slices of dst at the (checked) indices set to value. */
    private static void fillInto(Tensor dst, int d, Tensor index, Scalar value) {
        if (index.numel() == 0 || dst.numel() == 0) return;
        Tensor target = dst.dim() == 0 ? dst.view(1) : dst;
        int[] shape = target.shape();
        shape[d] = index.numel();
        write(target, d, wrapped(index, target.size(d)), Creation.full(new int[0], value, dst.dtype(), dst.device()).expand(shape));
    }

    /** Negative indices counted from the end. */
    private static Tensor wrapped(Tensor index, int size) {
        long[] v = Indexing.hostLongs(index).clone();
        for (int i = 0; i < v.length; i++) if (v[i] < 0) v[i] += size;
        return Tensor.fromArray(v, v.length).to(index.device());
    }

    /** dst[..., index[i], ...] = src[..., i, ...] along d, in order. */
    private static void write(Tensor dst, int d, Tensor index, Tensor src) {
        int[] along = new int[src.dim()];
        Arrays.fill(along, 1);
        along[d] = index.numel();
        Tensor idx = index.reshape(along).expand(src.layout().shape());
        try (var g = GradMode.noGrad()) {
            Tensor s = src.storage() == dst.storage() ? Kernels.copy(src) : src;
            dst.backend().scatter(dst.strided(), d, idx.strided(), s.strided(), false);
        }
    }

    /** The shape without dim d (a 0-dim shape stays empty), as PyTorch compares slices. */
    private static int[] sliceShape(int[] shape, int d) {
        if (shape.length == 0) return shape;
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return out;
    }

    /** A C++ std::vector<int64_t> as c10 prints it in these messages: elements separated by spaces. */
    private static String spaced(int[] v) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < v.length; i++) b.append(i == 0 ? "" : " ").append(v[i]);
        return b.toString();
    }
}
