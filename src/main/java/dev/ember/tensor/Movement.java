package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Views (layout arithmetic over shared storage) and data movement (cat, stack, split, flip, tile, roll),
 * with their backward rules and PyTorch's grad_fn names.
 */
final class Movement {
    private Movement() {}

    private static final Tensor[] NONE = new Tensor[0];

    /** {@code clone()}: a copy laid out like {@code t} (PyTorch's preserve_format), so a transposed tensor stays transposed. */
    static Tensor clone(Tensor t) {
        return Autograd.record("CloneBackward0", Kernels.copyPreserving(t), t, c -> new Tensor[] {c.grad()});
    }

    /** {@code contiguous()} of a tensor that is not: a row-major copy, recorded as PyTorch records it. */
    static Tensor contiguousCopy(Tensor t) {
        return Autograd.record("CloneBackward0", Kernels.copy(t), t, c -> new Tensor[] {c.grad()});
    }

    // ------------------------------------------------------------ reshaping views

    static Tensor view(Tensor t, int[] shape) {
        int[] target = Shape.inferSize(shape, t.numel());
        Layout l = t.layout().view(target);
        if (l == null)
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). "
                    + "Use .reshape(...) instead.");
        return reshapeView(t, l, "ViewBackward0");
    }

    static Tensor reshape(Tensor t, int[] shape) {
        int[] target = Shape.inferSize(shape, t.numel());
        Layout l = t.layout().view(target);
        if (l != null) return reshapeView(t, l, "ReshapeAliasBackward0");
        Tensor copy = contiguousCopy(t);
        return reshapeView(copy, copy.layout().view(target), "UnsafeViewBackward0");
    }

    private static Tensor reshapeView(Tensor t, Layout l, String name) {
        int[] in = t.layout().shape();
        return Autograd.record(name, Tensor.viewOf(t, l), t, c -> new Tensor[] {c.grad().reshape(in)});
    }

    static Tensor flatten(Tensor t, int start, int end) {
        int n = t.dim();
        if (n == 0) return reshape(t, new int[] {1});
        int s = Shape.wrapDim(start, n), e = Shape.wrapDim(end, n);
        if (s > e) throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (s == e) return t;
        int[] shape = t.layout().shape();
        int[] out = new int[n - (e - s)];
        int k = 0;
        for (int i = 0; i < s; i++) out[k++] = shape[i];
        int prod = 1;
        for (int i = s; i <= e; i++) prod *= shape[i];
        out[k++] = prod;
        for (int i = e + 1; i < n; i++) out[k++] = shape[i];
        return reshape(t, out);
    }

    static Tensor unflatten(Tensor t, int dim, int[] sizes) {
        int d = Shape.wrapDim(dim, t.dim());
        int[] shape = t.layout().shape();
        int[] inner;
        try {
            inner = Shape.inferSize(sizes, shape[d]);
        } catch (Shape.SizeMismatch e) {
            // PyTorch rewords only the size mismatch, in terms of the unflattened dim
            throw new IllegalArgumentException("unflatten: Provided sizes " + Shape.str(sizes) + " don't multiply up to the size of dim " + d
                    + " (" + shape[d] + ") in the input tensor");
        }
        int[] out = new int[shape.length - 1 + inner.length];
        System.arraycopy(shape, 0, out, 0, d);
        System.arraycopy(inner, 0, out, d, inner.length);
        System.arraycopy(shape, d + 1, out, d + inner.length, shape.length - d - 1);
        return view(t, out);
    }

    static Tensor permute(Tensor t, int[] dims) {
        Layout l = t.layout().permute(dims);
        int n = dims.length;
        int[] inverse = new int[n];
        for (int i = 0; i < n; i++) inverse[Shape.wrapDim(dims[i], n)] = i;
        return Autograd.record("PermuteBackward0", Tensor.viewOf(t, l), t, c -> new Tensor[] {c.grad().permute(inverse)});
    }

    /** {@code movedim(source, destination)}: PyTorch builds it from permute, so its node is PermuteBackward0 too. */
    static Tensor movedim(Tensor t, int source, int destination) {
        int n = t.dim();
        int src = Shape.wrapDim(source, n), dst = Shape.wrapDim(destination, n);
        int[] perm = new int[n];
        for (int i = 0, rest = 0; i < n; i++) {
            if (i == dst) perm[i] = src;
            else {
                if (rest == src) rest++;
                perm[i] = rest++;
            }
        }
        return permute(t, perm);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        return Autograd.record("TransposeBackward0", Tensor.viewOf(t, t.layout().transpose(d0, d1)), t,
                c -> new Tensor[] {c.grad().transpose(d0, d1)});
    }

    static Tensor t(Tensor t) {
        if (t.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + t.dim() + "D");
        if (t.dim() < 2) return Autograd.record("TBackward0", Tensor.viewOf(t, t.layout()), t, c -> new Tensor[] {c.grad()});
        return Autograd.record("TBackward0", Tensor.viewOf(t, t.layout().transpose(0, 1)), t, c -> new Tensor[] {c.grad().t()});
    }

    static Tensor squeeze(Tensor t, int[] dims) {
        int n = t.dim();
        boolean[] drop = new boolean[n];
        if (dims == null) Arrays.fill(drop, true);
        else for (int d : dims) {
            int w = Shape.wrapDim(d, n);
            if (n > 0) drop[w] = true; // a 0-dim tensor takes dim 0 or -1, as in PyTorch, and stays as it is
        }
        int[] in = t.layout().shape();
        String name = dims == null ? "SqueezeBackward0" : dims.length == 1 ? "SqueezeBackward1" : "SqueezeBackward2";
        return Autograd.record(name, Tensor.viewOf(t, t.layout().squeeze(drop)), t, c -> new Tensor[] {c.grad().reshape(in)});
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim() + 1);
        return Autograd.record("UnsqueezeBackward0", Tensor.viewOf(t, t.layout().unsqueeze(d)), t, c -> new Tensor[] {c.grad().squeeze(d)});
    }

    static Tensor expand(Tensor t, int[] shape) {
        // a new view even when nothing expands: PyTorch's result is never the input itself (it is no leaf, and
        // requires_grad_ or .grad on it must not reach the input)
        Layout l = t.layout().expand(shape);
        int[] in = t.layout().shape();
        return Autograd.record("ExpandBackward0", Tensor.viewOf(t, l), t, c -> new Tensor[] {c.grad().sumTo(in)});
    }

    // ------------------------------------------------------------ slicing views

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        if (t.dim() == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        if (start < -size || start > size)
            throw new IndexOutOfBoundsException("start out of range (expected to be in range of [" + (-size) + ", " + size + "], but got " + start + ")");
        if (start < 0) start += size;
        if (length < 0 || start > size - length)
            throw new IllegalArgumentException("start (" + start + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        return sliceView(t, d, start, start + length, 1);
    }

    /** Python slicing {@code [start:end:step]}: bounds are clamped, negatives count from the end. */
    static Tensor slice(Tensor t, int dim, Integer start, Integer end, int step) {
        if (t.dim() == 0) throw new IllegalArgumentException("slice() cannot be applied to a 0-dim tensor.");
        if (step <= 0) throw new IllegalArgumentException("slice step must be positive");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        int s = start == null ? 0 : start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        int e = end == null ? size : end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        if (e < s) e = s;
        return sliceView(t, d, s, e, step);
    }

    private static Tensor sliceView(Tensor t, int d, int start, int end, int step) {
        int[] in = t.layout().shape();
        Tensor out = Tensor.viewOf(t, t.layout().slice(d, start, end, step));
        return Autograd.record("SliceBackward0", out, t,
                c -> new Tensor[] {embed("SliceBackwardBackward0", c.grad(), in, g -> sliceView(g, d, start, end, step))});
    }

    static Tensor select(Tensor t, int dim, int index) {
        if (t.dim() == 0) throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size " + Shape.str(t.layout().shape()) + " at dimension " + d);
        int i = index < 0 ? index + size : index;
        int[] in = t.layout().shape();
        return Autograd.record("SelectBackward0", Tensor.viewOf(t, t.layout().select(d, i)), t,
                c -> new Tensor[] {embed("SelectBackwardBackward0", c.grad(), in, g -> select(g, d, i))});
    }

    /**
     * The gradient of a view op: zeros of the input's shape with {@code grad} written where the view
     * looked. Differentiable (its backward applies the same view), so double backward works; {@code node} is
     * PyTorch's name for it (the grad_fn of {@code slice_backward} is {@code SliceBackwardBackward0}).
     */
    static Tensor embed(String node, Tensor grad, int[] inputShape, java.util.function.UnaryOperator<Tensor> viewFn) {
        Tensor out = Kernels.zeros(inputShape, grad.dtype(), grad.device());
        Tensor region;
        try (var g = GradMode.noGrad()) {
            region = viewFn.apply(out);
        }
        grad.backend().copy(grad.strided(), region.strided());
        return Autograd.record(node, out, grad, c -> new Tensor[] {viewFn.apply(c.grad())});
    }

    static Tensor asStrided(Tensor t, int[] size, int[] stride, int offset) {
        Layout l = new Layout(size.clone(), stride.clone(), offset);
        for (int s : stride) if (s < 0) throw new IllegalArgumentException("as_strided: Negative strides are not supported at the moment, got strides: " + Shape.str(stride));
        if (l.extent() > t.storage().size())
            throw new IllegalArgumentException("setStorage: sizes " + Shape.str(size) + ", strides " + Shape.str(stride) + ", storage offset " + offset
                    + " requiring a storage size of " + l.extent() + " are out of bounds for storage of size " + t.storage().size());
        Layout inLayout = t.layout();
        return Autograd.record("AsStridedBackward0", Tensor.viewOf(t, l), t,
                c -> new Tensor[] {asStridedBackward(c.grad(), inLayout, l)});
    }

    /**
     * Scatters a gradient of an as_strided view back onto the input's elements: every view element is added
     * at the input position that owns its storage slot (overlapping views accumulate).
     */
    private static Tensor asStridedBackward(Tensor grad, Layout input, Layout view) {
        long lo = input.offset(), hi = input.extent();
        int span = (int) Math.max(hi - lo, 0);
        int[] owner = new int[span];
        Arrays.fill(owner, -1);
        int[] ipos = storageIndices(input);
        for (int k = 0; k < ipos.length; k++) owner[ipos[k] - (int) lo] = k;
        int[] vpos = storageIndices(view);
        long[] target = new long[vpos.length];
        for (int k = 0; k < vpos.length; k++) {
            int rel = vpos[k] - (int) lo;
            if (rel < 0 || rel >= span || owner[rel] < 0)
                throw new IllegalStateException("as_strided backward: the view reaches storage the input does not own");
            target[k] = owner[rel];
        }
        Tensor idx = Tensor.fromArray(target, target.length);
        Tensor flat = Tensor.zeros(new int[] {Shape.numel(input.shape())}, grad.dtype());
        return flat.indexAdd(0, idx, grad.reshape(-1)).view(input.shape());
    }

    /** Storage index of every element of a layout, in row-major order. */
    static int[] storageIndices(Layout l) {
        int n = l.numel();
        int[] out = new int[n];
        int[] shape = l.shape(), st = l.strides();
        int[] idx = new int[shape.length];
        int off = l.offset();
        for (int k = 0; k < n; k++) {
            out[k] = off;
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) {
                    off += st[d];
                    break;
                }
                off -= st[d] * (shape[d] - 1);
                idx[d] = 0;
            }
        }
        return out;
    }

    /**
     * After an in-place write of {@code value} into {@code view} (data already written): the base's history
     * becomes a CopySlices node and the view is re-derived from the base, as in PyTorch.
     */
    static void copySlices(Tensor base, Tensor view, Tensor value) {
        Layout bl = base.layout(), vl = view.layout();
        if (!bl.isContiguous())
            throw new IllegalStateException("in-place operation on a view of a non-contiguous tensor is not supported by autograd");
        Layout rel = new Layout(vl.shape(), vl.strides(), vl.offset() - bl.offset());
        Tensor keep = Tensor.ones(bl.shape(), DType.BOOL);
        try (var g = GradMode.noGrad()) {
            Tensor region = new Tensor(keep.storage(), rel);
            keep.backend().fill(region.strided(), 0L);
        }
        Autograd.record("CopySlices", base, new Tensor[] {base, value}, new Tensor[] {keep}, c -> new Tensor[] {
                c.needs(0) ? Tensor.where(c.saved(0), c.grad(), 0.0) : null,
                c.needs(1) ? asStrided(c.grad().contiguous(), rel.shape(), rel.strides(), rel.offset()).clone() : null});
        rederiveView(base, view);
    }

    /** The view's history as PyTorch regenerates it after an in-place write: an as_strided of the base's current node. */
    static void rederiveView(Tensor base, Tensor view) {
        Layout bl = base.layout(), vl = view.layout();
        Layout rel = new Layout(vl.shape(), vl.strides(), vl.offset() - bl.offset());
        Layout baseRel = new Layout(bl.shape(), bl.strides(), 0);
        Node oldFn = view.meta().gradFn();
        int oldOutputNr = view.meta().outputNr();
        view.meta().setGradFn(null, 0);
        view.meta().setViewVersion(view.version());
        try (var g = GradMode.enableGrad()) { // a grad_fn read under no_grad regenerates too
            Autograd.record("AsStridedBackward0", view, new Tensor[] {base}, NONE,
                    c -> new Tensor[] {asStridedBackward(c.grad(), baseRel, rel)});
        }
        Autograd.moveRetainedGrad(view, oldFn, oldOutputNr);
    }

    // ------------------------------------------------------------ joining and splitting

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // PyTorch skips 1-D empty tensors (legacy behaviour) when other inputs have more dims.
        List<Tensor> parts = new ArrayList<>();
        for (Tensor t : tensors) if (!(t.dim() == 1 && t.numel() == 0)) parts.add(t);
        if (parts.isEmpty()) parts.add(tensors.getFirst());
        Tensor first = parts.getFirst();
        if (first.dim() == 0) throw new IllegalArgumentException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shape.wrapDim(dim, first.dim());
        int[] shape = first.layout().shape().clone();
        DType dt = first.dtype();
        int total = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            if (t.dim() != first.dim())
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + first.dim() + " and " + t.dim());
            for (int k = 0; k < shape.length; k++)
                if (k != d && t.layout().shape()[k] != shape[k])
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size " + shape[k] + " but got size "
                            + t.layout().shape()[k] + " for tensor number " + i + " in the list.");
            Kernels.checkSameDevice(first, t);
            dt = DType.promote(dt, t.dtype());
            total += t.layout().shape()[d];
        }
        shape[d] = total;
        Tensor out = Kernels.empty(shape, dt, first.device());
        int[] sizes = new int[parts.size()];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            sizes[i] = t.layout().shape()[d];
            Layout region = out.layout().slice(d, at, at + sizes[i], 1);
            out.backend().copy(t.strided(), new dev.ember.tensor.spi.Strided(out.storage(), region));
            at += sizes[i];
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return Autograd.record("CatBackward0", out, inputs, NONE, c -> {
            List<Tensor> pieces = splitWithSizes(c.grad(), sizes, d);
            return pieces.toArray(new Tensor[0]);
        });
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("stack expects a non-empty TensorList");
        int[] shape = tensors.getFirst().layout().shape();
        int d = Shape.wrapDim(dim, shape.length + 1);
        for (int i = 1; i < tensors.size(); i++)
            if (!Arrays.equals(tensors.get(i).layout().shape(), shape))
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got " + Shape.str(shape) + " at entry 0 and "
                        + Shape.str(tensors.get(i).layout().shape()) + " at entry " + i);
        List<Tensor> parts = new ArrayList<>();
        try (var g = GradMode.noGrad()) {
            for (Tensor t : tensors) parts.add(t.unsqueeze(d));
        }
        Tensor out = cat(parts, d).detach();
        return Autograd.record("StackBackward0", out, tensors.toArray(new Tensor[0]), NONE, c -> c.grad().unbind(d).toArray(new Tensor[0]));
    }

    /**
     * {@code torch.diag(t, k)}: a vector becomes a square matrix with it on diagonal k, a matrix gives a new vector
     * holding its diagonal k. Each direction's gradient is the other direction applied to the incoming gradient.
     */
    static Tensor diag(Tensor t, int k) {
        if (t.dim() != 1 && t.dim() != 2) throw new IllegalArgumentException("matrix or a vector expected");
        int[] in = t.shape();
        Tensor out;
        try (var g = GradMode.noGrad()) {
            if (t.dim() == 1) out = onDiagonal(t, new int[] {in[0] + Math.abs(k), in[0] + Math.abs(k)}, k);
            else out = diagonal(t, k).clone();
        }
        return Autograd.record("DiagBackward0", out, t, c -> new Tensor[] {in.length == 1 ? diag(c.grad(), k) : onDiagonal(c.grad(), in, k)});
    }

    /** Zeros of {@code shape} with {@code v} copied onto diagonal k (a recorded copy_, so it differentiates). */
    private static Tensor onDiagonal(Tensor v, int[] shape, int k) {
        Tensor z = Creation.zeros(shape, v.dtype(), v.device());
        diagonal(z, k).copy_(v);
        return z;
    }

    /** The view of diagonal k of a matrix: stride row + column, starting k columns right (or -k rows down). */
    private static Tensor diagonal(Tensor m, int k) {
        int r = m.size(0), c = m.size(1);
        int len = Math.max(0, k >= 0 ? Math.min(r, c - k) : Math.min(r + k, c));
        int start = m.storageOffset() + (k >= 0 ? k * m.stride(1) : -k * m.stride(0));
        return m.asStrided(new int[] {len}, new int[] {m.stride(0) + m.stride(1)}, len == 0 ? m.storageOffset() : start);
    }

    /** {@code torch.hstack}: cat along dim 1, or dim 0 when the inputs are 1-D (0-dim inputs count as 1-D). */
    static Tensor hstack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("hstack expects a non-empty TensorList");
        List<Tensor> parts = tensors.stream().map(t -> t.dim() == 0 ? t.reshape(1) : t).toList();
        return cat(parts, parts.getFirst().dim() == 1 ? 0 : 1);
    }

    /** {@code torch.vstack}: cat along dim 0 of the inputs made at least 2-D ({@code atleast_2d} unsqueezes a 1-D input). */
    static Tensor vstack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("vstack expects a non-empty TensorList");
        return cat(tensors.stream().map(t -> t.dim() == 0 ? t.reshape(1, 1) : t.dim() == 1 ? t.unsqueeze(0) : t).toList(), 0);
    }

    /** {@code torch.hsplit}: tensor_split along dim 1, or dim 0 of a 1-D tensor; equal sections must divide that dim. */
    static List<Tensor> hsplit(Tensor t, int sections) { return evenSplit("hsplit", t, sections, stackDim(t, "hsplit", 1)); }

    static List<Tensor> hsplit(Tensor t, int[] indices) { return tensorSplit(t, indices, stackDim(t, "hsplit", 1)); }

    /** {@code torch.vsplit}: tensor_split along dim 0 of a tensor of at least 2 dims. */
    static List<Tensor> vsplit(Tensor t, int sections) { return evenSplit("vsplit", t, sections, stackDim(t, "vsplit", 2)); }

    static List<Tensor> vsplit(Tensor t, int[] indices) { return tensorSplit(t, indices, stackDim(t, "vsplit", 2)); }

    /** The dim h/v/dsplit cut: vsplit needs 2 dims and cuts dim 0, dsplit needs 3 and cuts dim 2, hsplit needs 1 and cuts dim 1 (dim 0 when 1-D). */
    private static int stackDim(Tensor t, String op, int minDims) {
        if (t.dim() < minDims)
            throw new IllegalArgumentException("torch." + op + " requires a tensor with at least " + minDims + " dimension, but got a tensor with "
                    + t.dim() + " dimensions!");
        return op.equals("dsplit") ? 2 : op.equals("hsplit") && t.dim() > 1 ? 1 : 0;
    }

    private static List<Tensor> evenSplit(String op, Tensor t, int sections, int dim) {
        int size = t.size(dim);
        if (sections == 0 || size % sections != 0)
            throw new IllegalArgumentException("torch." + op + " attempted to split along dimension " + dim + ", but the size of the dimension " + size
                    + " is not divisible by the split_size " + sections + "!");
        return tensorSplit(t, sections, dim);
    }

    /** {@code torch.dstack}: cat along dim 2 of the inputs made at least 3-D ({@code atleast_3d}: (n) to (1, n, 1), (m, n) to (m, n, 1)). */
    static Tensor dstack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("dstack expects a non-empty TensorList");
        return cat(tensors.stream().map(t -> switch (t.dim()) {
            case 0 -> t.reshape(1, 1, 1);
            case 1 -> t.unsqueeze(0).unsqueeze(-1);
            case 2 -> t.unsqueeze(-1);
            default -> t;
        }).toList(), 2);
    }

    /** {@code torch.column_stack}: 0-D and 1-D inputs become columns (reshape to (n, 1)), then cat along dim 1. */
    static Tensor columnStack(List<Tensor> tensors) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("column_stack expects a non-empty TensorList");
        return cat(tensors.stream().map(t -> t.dim() <= 1 ? t.reshape(t.numel(), 1) : t).toList(), 1);
    }

    /** {@code torch.dsplit}: tensor_split along dim 2 of a tensor of at least 3 dims. */
    static List<Tensor> dsplit(Tensor t, int sections) { return evenSplit("dsplit", t, sections, stackDim(t, "dsplit", 3)); }

    static List<Tensor> dsplit(Tensor t, int[] indices) { return tensorSplit(t, indices, stackDim(t, "dsplit", 3)); }

    /** {@code tensor_split(sections)}: the first {@code size % sections} parts are one longer, as numpy.array_split. */
    static List<Tensor> tensorSplit(Tensor t, int sections, int dim) {
        if (t.dim() == 0) throw new IllegalArgumentException("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
        if (sections <= 0) throw new IllegalArgumentException("number of sections must be larger than 0, got " + sections);
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d], base = size / sections, extra = size % sections;
        List<Tensor> out = new ArrayList<>(sections);
        for (int i = 0, at = 0; i < sections; i++) {
            int len = base + (i < extra ? 1 : 0);
            out.add(slice(t, d, at, at + len, 1));
            at += len;
        }
        return out;
    }

    /** {@code tensor_split(indices)}: {@code t[:i0], t[i0:i1], ..., t[in:]} along dim, each a slice (SliceBackward0). */
    static List<Tensor> tensorSplit(Tensor t, int[] indices, int dim) {
        if (t.dim() == 0) throw new IllegalArgumentException("tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims");
        int d = Shape.wrapDim(dim, t.dim());
        List<Tensor> out = new ArrayList<>(indices.length + 1);
        Integer start = 0;
        for (int index : indices) {
            out.add(slice(t, d, start, index, 1));
            start = index;
        }
        out.add(slice(t, d, start, null, 1));
        return out;
    }

    static List<Tensor> split(Tensor t, int splitSize, int dim) {
        if (t.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        if (splitSize == 0 && size != 0) throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + size);
        int n = splitSize == 0 ? 1 : Math.max((size + splitSize - 1) / splitSize, 1);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) sizes[i] = Math.min(splitSize, size - i * splitSize);
        return splitViews(t, sizes, d, "SplitBackward0");
    }

    static List<Tensor> splitWithSizes(Tensor t, int[] sizes, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        int sum = 0;
        for (int s : sizes) {
            if (s < 0) throw new IllegalArgumentException("split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=" + Shape.str(sizes));
            sum += s;
        }
        if (sum != t.layout().shape()[d])
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + t.layout().shape()[d] + " (input tensor's size at dimension "
                    + d + "), but got split_sizes=" + Shape.str(sizes));
        return splitViews(t, sizes, d, "SplitWithSizesBackward0");
    }

    static List<Tensor> chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        int each = (size + chunks - 1) / chunks;
        if (each == 0) {
            int[] sizes = new int[chunks];
            return splitViews(t, sizes, d, "SplitBackward0");
        }
        return split(t, each, d);
    }

    private static List<Tensor> splitViews(Tensor t, int[] sizes, int d, String name) {
        Tensor[] outs = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            outs[i] = Tensor.viewOf(t, t.layout().slice(d, at, at + sizes[i], 1));
            at += sizes[i];
        }
        int[] in = t.layout().shape();
        Autograd.recordMulti(name, outs, new Tensor[] {t}, NONE, c -> {
            List<Tensor> grads = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) grads.add(c.grad(i));
            return new Tensor[] {cat(grads, d)};
        });
        for (Tensor o : outs) o.meta().markMultiOutputView();
        return List.of(outs);
    }

    static List<Tensor> unbind(Tensor t, int dim) {
        if (t.dim() == 0) throw new IllegalArgumentException("Dimension specified as 0 but tensor has no dimensions");
        int d = Shape.wrapDim(dim, t.dim());
        int n = t.layout().shape()[d];
        Tensor[] outs = new Tensor[n];
        for (int i = 0; i < n; i++) outs[i] = Tensor.viewOf(t, t.layout().select(d, i));
        Autograd.recordMulti("UnbindBackward0", outs, new Tensor[] {t}, NONE, c -> {
            List<Tensor> grads = new ArrayList<>();
            for (int i = 0; i < n; i++) grads.add(c.grad(i));
            return new Tensor[] {stack(grads, d)};
        });
        for (Tensor o : outs) o.meta().markMultiOutputView();
        return List.of(outs);
    }

    // ------------------------------------------------------------ copies

    static Tensor flip(Tensor t, int[] dims) {
        int n = t.dim();
        int[] shape = t.layout().shape(), st = t.layout().strides().clone();
        int off = t.layout().offset();
        // a 0-dim tensor accepts dim 0 (or -1), as every PyTorch dim argument does, and has nothing to reverse
        boolean[] seen = new boolean[Math.max(n, 1)];
        for (int dim : dims) {
            int d = Shape.wrapDim(dim, n);
            if (seen[d]) throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
            seen[d] = true;
            if (n == 0) continue;
            if (shape[d] > 0) off += (shape[d] - 1) * st[d];
            st[d] = -st[d];
        }
        // A negative-stride layout is only ever read by the copy kernel, never handed out.
        Tensor out = Kernels.empty(Layout.preserving(t.layout()), t.dtype(), t.device());
        t.backend().copy(new dev.ember.tensor.spi.Strided(t.storage(), new Layout(shape, st, off)), out.strided());
        return Autograd.record("FlipBackward0", out, t, c -> new Tensor[] {c.grad().flip(dims)});
    }

    static Tensor repeat(Tensor t, int[] repeats) {
        if (repeats.length < t.dim())
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        int n = repeats.length;
        int[] padded = new int[n];
        Arrays.fill(padded, 1);
        System.arraycopy(t.layout().shape(), 0, padded, n - t.dim(), t.dim());
        int[] interleaved = new int[2 * n], expanded = new int[2 * n], result = new int[n];
        for (int i = 0; i < n; i++) result[i] = repeats[i] * padded[i];
        // PyTorch allocates the repeated shape first, so the error names that shape, and a repeat of a size-0 dim
        // by a negative count is no error
        for (int r : result)
            if (r < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + r + ": " + Shape.str(result));
        for (int i = 0; i < n; i++) {
            interleaved[2 * i] = 1;
            interleaved[2 * i + 1] = padded[i];
            expanded[2 * i] = Math.max(repeats[i], 0);
            expanded[2 * i + 1] = padded[i];
        }
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Kernels.copy(t.reshape(interleaved).expand(expanded)).view(result);
        }
        int[] in = t.layout().shape();
        return Autograd.record("RepeatBackward0", out.detach(), t, c -> {
            int[] sumDims = new int[n];
            for (int i = 0; i < n; i++) sumDims[i] = 2 * i;
            return new Tensor[] {c.grad().reshape(expanded).sum(sumDims, false).reshape(in)};
        });
    }

    static Tensor tile(Tensor t, int[] reps) {
        int n = Math.max(reps.length, t.dim());
        int[] full = new int[n];
        Arrays.fill(full, 1);
        System.arraycopy(reps, 0, full, n - reps.length, reps.length);
        return repeat(t, full);
    }

    static Tensor roll(Tensor t, int shifts, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        if (size == 0) return clone(t);
        int s = ((shifts % size) + size) % size;
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = s == 0 ? Kernels.copy(t) : cat(List.of(t.narrow(d, size - s, s), t.narrow(d, 0, size - s)), d);
        }
        return Autograd.record("RollBackward0", out.detach(), t, c -> new Tensor[] {c.grad().roll(-shifts, d)});
    }

    /** Sums {@code t} down to {@code shape}, which it must broadcast from (the reverse of expand). */
    static Tensor sumTo(Tensor t, int[] shape) {
        int[] in = t.layout().shape();
        if (Arrays.equals(in, shape)) return t;
        int lead = in.length - shape.length;
        if (lead < 0) throw new IllegalArgumentException("size " + Shape.str(shape) + " is not expandable to size " + Shape.str(in));
        int[] dims = new int[in.length];
        int k = 0;
        for (int i = 0; i < in.length; i++) {
            if (i < lead) dims[k++] = i;
            else if (shape[i - lead] == 1 && in[i] != 1) dims[k++] = i;
            else if (shape[i - lead] != in[i]) throw new IllegalArgumentException("size " + Shape.str(shape) + " is not expandable to size " + Shape.str(in));
        }
        Tensor s = k == 0 ? t : t.sum(Arrays.copyOf(dims, k), true);
        return s.dim() == shape.length && Arrays.equals(s.layout().shape(), shape) ? s : s.view(shape);
    }
}
