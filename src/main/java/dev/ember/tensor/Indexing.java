package dev.ember.tensor;

import java.util.List;

/** Indexing in PyTorch's forms: basic and advanced {@code x[...]}, gather/scatter, index_select/add, masks. */
final class Indexing {
    private Indexing() {}

    static Tensor index(Tensor t, Object[] indices) { throw Reductions.notYet("index"); }

    static Tensor indexPut(Tensor t, Object[] indices, Tensor value, boolean accumulate) { throw Reductions.notYet("index_put_"); }

    static Tensor gather(Tensor t, int dim, Tensor index) { throw Reductions.notYet("gather"); }

    static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src, boolean add, boolean inplace) { throw Reductions.notYet("scatter"); }

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        checkIndexTensor(index, "index_select()");
        if (index.dim() > 1) throw new IllegalArgumentException("index_select(): Index is supposed to be a vector");
        int d = Shape.wrapDim(dim, t.dim());
        Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
        int[] shape = t.layout().shape().clone();
        if (shape.length == 0) shape = new int[] {1};
        shape[d] = idx.numel();
        Tensor out = Kernels.empty(t.dim() == 0 ? new int[] {idx.numel()} : shape, t.dtype(), t.device());
        Tensor src = t.dim() == 0 ? t.reshape(1) : t;
        t.backend().indexSelect(src.strided(), d, idx.strided(), out.strided());
        if (t.dim() == 0 || index.dim() == 0 && t.dim() == 0) out = out.reshape(index.dim() == 0 ? new int[0] : new int[] {idx.numel()});
        int[] in = t.layout().shape();
        return dev.ember.autograd.Autograd.record("IndexSelectBackward0", out, new Tensor[] {t}, new Tensor[] {idx},
                c -> new Tensor[] {Tensor.zeros(in, c.grad().dtype()).indexAdd(d, c.saved(0), c.grad())});
    }

    /** {@code index_add(dim, index, source)}: rows of source added at the given positions; duplicates accumulate. */
    static Tensor indexAdd(Tensor t, int dim, Tensor index, Tensor source, boolean inplace) {
        int d = Shape.wrapDim(dim, t.dim());
        checkIndexTensor(index, "index_add_()");
        if (index.dim() > 1) throw new IllegalArgumentException("index_add_(): Index is supposed to be a vector");
        int n = index.numel();
        int srcSize = source.dim() == 0 ? 1 : source.layout().shape()[Math.min(d, source.dim() - 1)];
        if (source.dim() != 0 && srcSize != n)
            throw new IllegalArgumentException("index_add_(): Number of indices (" + n + ") should be equal to source.size(dim) (" + srcSize + ")");
        Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
        Tensor src = Kernels.cast(source, t.dtype());
        if (inplace) {
            dev.ember.autograd.Autograd.checkInplace(t);
            if (dev.ember.autograd.Autograd.isRecording(t, source))
                return Pointwise.commit(t, indexAdd(t.clone(), d, index, source, false));
            t.backend().indexAdd(t.strided(), d, idx.strided(), src.strided());
            t.storage().bumpVersion();
            return t;
        }
        Tensor out = Kernels.copy(t);
        out.backend().indexAdd(out.strided(), d, idx.strided(), src.strided());
        return dev.ember.autograd.Autograd.record("IndexAddBackward0", out, new Tensor[] {t, source}, new Tensor[] {idx}, c -> new Tensor[] {
                c.grad(),
                c.needs(1) ? c.grad().indexSelect(d, c.saved(0)).reshape(source.shape()) : null});
    }

    static void checkIndexTensor(Tensor index, String op) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32)
            throw new IllegalArgumentException(op + ": Expected dtype int32/int64 for index but got: " + index.dtype());
    }

    static Tensor maskedSelect(Tensor t, Tensor mask) { throw Reductions.notYet("masked_select"); }

    /** {@code masked_fill(mask, value)}: value (a 0-dim tensor) where mask holds. */
    static Tensor maskedFill(Tensor t, Tensor mask, Tensor value, boolean inplace) {
        if (mask.dtype() != DType.BOOL)
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype " + mask.dtype().pyName());
        if (value.dim() != 0)
            throw new IllegalArgumentException("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with " + value.dim() + " dimension(s).");
        if (inplace) return Pointwise.inplaceResult(t, s -> maskedFill(s, mask, value, false));
        Tensor v = Kernels.cast(value.detach(), t.dtype());
        Tensor out = Kernels.where(mask, v, t, t.dtype());
        if (!java.util.Arrays.equals(out.layout().shape(), t.layout().shape()))
            throw new IllegalArgumentException("masked_fill: mask of shape " + Shape.str(mask.layout().shape()) + " does not broadcast to " + Shape.str(t.layout().shape()));
        return dev.ember.autograd.Autograd.record("MaskedFillBackward0", out, new Tensor[] {t, value.requiresGrad() ? value : null}, new Tensor[] {mask}, c -> new Tensor[] {
                Tensor.where(c.saved(0), 0.0, c.grad()),
                c.needs(1) ? Tensor.where(c.saved(0), c.grad(), 0.0).sum() : null});
    }

    static Tensor take(Tensor t, Tensor index) { throw Reductions.notYet("take"); }

    static Tensor nonzero(Tensor t) { throw Reductions.notYet("nonzero"); }

    static List<Tensor> nonzeroTuple(Tensor t) { throw Reductions.notYet("nonzero"); }
}
