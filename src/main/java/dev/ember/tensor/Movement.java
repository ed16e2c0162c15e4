package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Views (layout arithmetic over shared storage) and copies that move data (flip, repeat, tile, roll), with their
 * backward rules and PyTorch's grad_fn names. Joining and splitting along a dim is {@link Joining}.
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
        if (l == null) throw notViewable();
        return reshapeView(t, l, "ViewBackward0");
    }

    static IllegalArgumentException notViewable() {
        return new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). "
                + "Use .reshape(...) instead.");
    }

    static Tensor reshape(Tensor t, int[] shape) {
        int[] target = Shape.inferSize(shape, t.numel());
        Layout l = t.layout().view(target);
        if (l != null) return reshapeView(t, l, "ReshapeAliasBackward0");
        // PyTorch's _unsafe_view of a private copy: no view (an in-place op on it then needs no CopySlices)
        Tensor copy = contiguousCopy(t);
        int[] in = copy.layout().shape();
        return Autograd.record("UnsafeViewBackward0", new Tensor(copy.storage(), copy.layout().view(target)), copy, c -> new Tensor[] {c.grad().reshape(in)});
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
        if (sizes.length == 0) throw new IllegalArgumentException("unflatten: sizes must be non-empty");
        if (t.dim() == 0) throw new IndexOutOfBoundsException("Dimension specified as " + d + " but tensor has no dimensions");
        int[] shape = t.layout().shape();
        int[] inner;
        try {
            inner = Shape.inferSize(sizes, shape[d]);
        } catch (Shape.SizeMismatch e) {
            // PyTorch rewords the size mismatch in terms of the unflattened dim, and prefixes infer_size's other
            // std::runtime_error (two -1s); its c10 errors pass unchanged
            throw new IllegalArgumentException("unflatten: Provided sizes " + Shape.str(sizes) + " don't multiply up to the size of dim " + d
                    + " (" + shape[d] + ") in the input tensor");
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().equals("only one dimension can be inferred")) throw e;
            throw new IllegalArgumentException("unflatten got an unexpected error:\n" + e.getMessage());
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
    /**
     * {@code torch.movedim(x, source, destination)}: the dims in source move to the places in destination, the others
     * keep their order in the places left. ATen checks the lengths, wraps every dim, then looks for repeats (naming the
     * list as given).
     */
    static Tensor movedim(Tensor t, int[] source, int[] destination) {
        if (source.length != destination.length)
            throw new IllegalArgumentException("movedim: Invalid source or destination dims: source (" + Shape.str(source)
                    + " dims) should contain the same number of dims as destination (" + Shape.str(destination) + " dims)");
        int n = t.dim();
        int[] src = new int[source.length], dst = new int[destination.length];
        for (int i = 0; i < src.length; i++) src[i] = Shape.wrapDim(source[i], n);
        for (int i = 0; i < dst.length; i++) dst[i] = Shape.wrapDim(destination[i], n);
        if (Arrays.stream(src).distinct().count() != src.length)
            throw new IllegalArgumentException("movedim: repeated dim in `source` (" + Shape.str(source) + ")");
        if (Arrays.stream(dst).distinct().count() != dst.length)
            throw new IllegalArgumentException("movedim: repeated dim in `destination` (" + Shape.str(destination) + ")");
        if (n == 0) return Subscript.alias(t);
        int[] perm = new int[n];
        boolean[] moved = new boolean[n], filled = new boolean[n];
        for (int i = 0; i < src.length; i++) {
            perm[dst[i]] = src[i];
            moved[src[i]] = true;
            filled[dst[i]] = true;
        }
        for (int d = 0, rest = 0; d < n; d++) {
            if (filled[d]) continue;
            while (moved[rest]) rest++;
            perm[d] = rest++;
        }
        return permute(t, perm);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        return Autograd.record("TransposeBackward0", Tensor.viewOf(t, t.layout().transpose(d0, d1)), t,
                c -> new Tensor[] {c.grad().transpose(d0, d1)});
    }

    static Tensor t(Tensor t) {
        if (t.dim() > 2) throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + t.dim() + "D");
        if (t.dim() < 2) return Autograd.record("TBackward0", Tensor.viewOf(t, t.layout()), t, c -> new Tensor[] {c.grad().t()});
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
        return Autograd.record(name, Tensor.viewOf(t, t.layout().squeeze(drop)), t, c -> new Tensor[] {unsqueezeTo(c.grad(), in, drop)});
    }

    /**
     * The backward of a squeeze of a tensor of shape {@code in}: PyTorch's unsqueeze_to, one unsqueeze per dropped dim
     * of size 1 in increasing order (none when no dim had size 1), so a double-backward graph shows its nodes.
     */
    static Tensor unsqueezeTo(Tensor grad, int[] in, boolean[] drop) {
        for (int d = 0; d < in.length; d++) if (drop[d] && in[d] == 1) grad = grad.unsqueeze(d);
        return grad;
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim() + 1);
        return Autograd.record("UnsqueezeBackward0", Tensor.viewOf(t, t.layout().unsqueeze(d)), t, c -> new Tensor[] {c.grad().squeeze(d)});
    }

    static Tensor expand(Tensor t, int[] shape) {
        // a new view even when nothing expands: PyTorch's result is never the input itself (it is no leaf, and
        // requires_grad_ or .grad on it must not reach the input)
        Layout l = t.layout().expand(shape, t.dtype());
        int[] in = t.layout().shape();
        return Autograd.record("ExpandBackward0", Tensor.viewOf(t, l), t, c -> new Tensor[] {c.grad().sumTo(in)});
    }

    // ------------------------------------------------------------ slicing views

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        if (t.dim() == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        // 1.13 wraps start as a dim of a tensor with `size` dims, so its error speaks of dims; start == size is the end
        if (start != size) start = Shape.wrapDim(start, size);
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
        Layout l = stridedLayout(t, size, stride, offset);
        Layout inLayout = t.layout();
        return Autograd.record("AsStridedBackward0", Tensor.viewOf(t, l), t,
                c -> new Tensor[] {AsStridedBackward.apply(c.grad(), inLayout, l)});
    }

    /** The layout {@code as_strided}/{@code as_strided_} give {@code t}, with PyTorch's setStrided checks in its order. */
    static Layout stridedLayout(Tensor t, int[] size, int[] stride, int offset) {
        if (size.length != stride.length) throw new IllegalArgumentException("mismatch in length of strides and shape");
        for (int s : stride) if (s < 0) throw new IllegalArgumentException("as_strided: Negative strides are not supported at the moment, got strides: " + Shape.str(stride));
        for (int s : size)
            if (s < 0) throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + Shape.str(size) + " and strides=" + Shape.str(stride));
        if (offset < 0) throw new IllegalArgumentException("Tensor: invalid storage offset " + offset);
        Layout l = new Layout(size.clone(), stride.clone(), offset);
        int item = t.dtype().itemSize();
        // PyTorch counts the storage in bytes here
        if (l.extent() > t.storage().size())
            throw new IllegalArgumentException("setStorage: sizes " + Shape.str(size) + ", strides " + Shape.str(stride) + ", storage offset " + offset
                    + ", and itemsize " + item + " requiring a storage size of " + l.extent() * item + " are out of bounds for storage of size "
                    + (long) t.storage().size() * item);
        return l;
    }

    /**
     * {@code Tensor.unfold(dim, size, step)}: the view of every window of {@code size} elements, {@code step}
     * apart along dim, as a new last dim. Windows may overlap, so the backward accumulates (UnfoldBackward0).
     */
    static Tensor unfold(Tensor t, int dim, int size, int step) {
        int n = t.dim();
        int d = Shape.wrapDim(dim, n);
        int max = n == 0 ? 1 : t.layout().shape()[d];
        if (size > max) throw new IllegalArgumentException("maximum size for tensor at dimension " + d + " is " + max + " but size is " + size);
        if (step <= 0) throw new IllegalArgumentException("step is " + step + " but must be > 0");
        Layout dense = Layout.contiguous(t.layout().shape());
        Layout view = unfolded(t.layout(), d, size, step), denseView = unfolded(dense, d, size, step);
        return Autograd.record("UnfoldBackward0", Tensor.viewOf(t, view), t, c -> new Tensor[] {unfoldBackward(c.grad(), dense, denseView, d, size, step)});
    }

    /**
     * {@code unfold_backward}, an op of its own in PyTorch: the windows' gradients summed into a fresh tensor of the
     * input's shape (at version 0), recorded as {@code UnfoldBackwardBackward0}, whose gradient unfolds again.
     */
    private static Tensor unfoldBackward(Tensor grad, Layout dense, Layout denseView, int d, int size, int step) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Kernels.copy(AsStridedBackward.apply(grad, dense, denseView));
        }
        return Autograd.record("UnfoldBackwardBackward0", out, grad, c -> new Tensor[] {unfold(c.grad(), d, size, step)});
    }

    private static Layout unfolded(Layout l, int d, int size, int step) {
        int n = l.dim();
        int[] shape = Arrays.copyOf(l.shape(), n + 1), strides = Arrays.copyOf(l.strides(), n + 1);
        shape[n] = size;
        strides[n] = n == 0 ? 1 : strides[d];
        if (d < n) {
            shape[d] = (shape[d] - size) / step + 1;
            strides[d] *= step;
        }
        return new Layout(shape, strides, l.offset());
    }

    /**
     * {@code torch.meshgrid(tensors, indexing)}: each 0-d or 1-d input viewed along its own dim and expanded to
     * the grid. "xy" indexing swaps the first two inputs, and then the first two grids back, as ATen does.
     */
    static List<Tensor> meshgrid(String indexing, List<Tensor> tensors) {
        // ATen's order: the list, the dtypes and devices, indexing, then the ranks (of the swapped list for "xy"),
        // printing the offending tensor as C++ does
        if (tensors.isEmpty()) throw new IllegalArgumentException("meshgrid expects a non-empty TensorList");
        for (int i = 1; i < tensors.size(); i++) {
            if (tensors.get(i).dtype() != tensors.get(0).dtype()) throw new IllegalArgumentException("meshgrid expects all tensors to have the same dtype");
            if (!tensors.get(i).device().equals(tensors.get(0).device())) throw new IllegalArgumentException("meshgrid expects all tensors to have the same device");
        }
        boolean xy = switch (indexing) {
            case "xy" -> true;
            case "ij" -> false;
            default -> throw new IllegalArgumentException("torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: " + indexing);
        };
        List<Tensor> in = new ArrayList<>(tensors);
        if (xy && in.size() >= 2) Collections.swap(in, 0, 1);
        for (Tensor t : in)
            if (t.dim() > 1) throw new IllegalArgumentException("torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: " + CppTensorPrinter.print(t));
        int k = in.size();
        int[] grid = new int[k];
        for (int i = 0; i < k; i++) grid[i] = in.get(i).numel();
        List<Tensor> out = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            int[] shape = new int[k];
            Arrays.fill(shape, 1);
            shape[i] = grid[i];
            out.add(in.get(i).view(shape).expand(grid));
        }
        if (xy && k >= 2) Collections.swap(out, 0, 1);
        return out;
    }

    /**
     * After {@code value} was written through {@code view}: the base's history becomes a {@code CopySlices} wrapping
     * value's node, and the view's is re-derived from it.
     */
    static void copySlices(Tensor base, Tensor view, Tensor value) {
        Autograd.copySlices(base, view, value);
        rederiveView(base, view);
    }

    /** The view's history as PyTorch regenerates it after an in-place write: an as_strided of the base's current node. */
    static void rederiveView(Tensor base, Tensor view) {
        Layout bl = base.layout(), vl = view.layout();
        Layout rel = new Layout(vl.shape(), vl.strides(), vl.offset() - bl.offset());
        Layout baseRel = new Layout(bl.shape(), bl.strides(), 0);
        view.meta().setGradFn(null, 0);
        view.meta().setViewVersion(view.versionCounter());
        // in either grad mode, as a grad_fn read under no_grad regenerates too
        Autograd.attach("AsStridedBackward0", view, new Tensor[] {base}, NONE, c -> new Tensor[] {AsStridedBackward.apply(c.grad(), baseRel, rel)});
        Autograd.moveRetainedGrad(view);
    }

    // ------------------------------------------------------------ copies

    /**
     * {@code torch.rot90(x, k, dims)}: k quarter turns from dims[0] towards dims[1]. ATen flips one or both dims (and
     * transposes in place for odd k) into a fresh tensor, k = 0 being a contiguous clone; its own node turns back.
     */
    static Tensor rot90(Tensor t, int k, int[] dims) {
        int n = t.dim();
        if (dims.length != 2) throw new IllegalArgumentException("expected total rotation dims == 2, but got dims = " + dims.length);
        if (n < 2) throw new IllegalArgumentException("expected total dims >= 2, but got total dims = " + n);
        if (dims[0] == dims[1] || Math.abs(dims[0] - dims[1]) == n)
            throw new IllegalArgumentException("expected rotation dims to be different, but got dim0 = " + dims[0] + " and dim1 = " + dims[1]);
        if (dims[0] >= n || dims[0] < -n) throw new IllegalArgumentException("Rotation dim0 out of range, dim0 = " + dims[0]);
        if (dims[1] >= n || dims[1] < -n) throw new IllegalArgumentException("Rotation dim1 out of range, dim1 = " + dims[1]);
        int turns = Math.floorMod(k, 4);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = switch (turns) {
                case 1 -> Kernels.copyPreserving(flip(t, new int[] {dims[1]}).transpose(dims[0], dims[1]));
                case 2 -> flip(t, dims);
                case 3 -> Kernels.copyPreserving(flip(t, new int[] {dims[0]}).transpose(dims[0], dims[1]));
                default -> Kernels.copy(t);
            };
        }
        return Autograd.record("Rot90Backward0", out, t, c -> new Tensor[] {c.grad().rot90(-k, dims)});
    }

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
        return Autograd.record("RepeatBackward0", out.detach(), t, c -> new Tensor[] {repeatBackward(c.grad(), repeats, in)});
    }

    /**
     * PyTorch's repeat_backward: the leading dims the repeat added are summed away one at a time, then the repeats of
     * the input's own dims in one sum. Each sum rounds to the gradient's dtype, which a 16-bit gradient shows.
     */
    private static Tensor repeatBackward(Tensor grad, int[] repeats, int[] in) {
        for (int r : repeats) if (r == 0) return Tensor.zeros(in, grad.dtype()).to(grad.device());
        int added = grad.dim() - in.length;
        for (int i = 0; i < added; i++) grad = grad.sum(new int[] {0}, false);
        int[] size = new int[2 * in.length], sumDims = new int[in.length];
        int k = 0, s = 0;
        for (int d = 0; d < in.length; d++) {
            int repeat = repeats[d + added];
            if (repeat != 1) {
                size[k++] = repeat;
                sumDims[s++] = k - 1;
            }
            size[k++] = in[d];
        }
        return s == 0 ? grad : grad.reshape(Arrays.copyOf(size, k)).sum(Arrays.copyOf(sumDims, s), false);
    }

    static Tensor tile(Tensor t, int[] reps) {
        int n = Math.max(reps.length, t.dim());
        int[] full = new int[n];
        Arrays.fill(full, 1);
        System.arraycopy(reps, 0, full, n - reps.length, reps.length);
        return repeat(t, full);
    }

    static Tensor roll(Tensor t, int shifts, int dim) {
        Tensor out;
        // like PyTorch, an empty tensor is cloned (keeping its layout) before dim is even checked
        if (t.numel() == 0) {
            try (var g = GradMode.noGrad()) {
                out = clone(t);
            }
            return Autograd.record("RollBackward0", out.detach(), t, c -> new Tensor[] {c.grad()});
        }
        if (t.dim() == 0) throw new IndexOutOfBoundsException("Dimension specified as " + dim + " but tensor has no dimensions");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        int start = (size - ((shifts % size) + size) % size) % size;
        try (var g = GradMode.noGrad()) {
            // ATen's roll_cpu is this cat also for a whole turn, so the result takes cat's memory format (channels_last too)
            out = Joining.cat(List.of(t.narrow(d, start, size - start), t.narrow(d, 0, start)), d);
        }
        return Autograd.record("RollBackward0", out.detach(), t, c -> new Tensor[] {c.grad().roll(-shifts, d)});
    }

    /**
     * {@code roll(shifts, dims)} over several dims (each rolled in turn), or with no dims over the flattened tensor,
     * as ATen's roll_common; it runs under one {@code RollBackward0}, whose backward rolls back in reverse order.
     */
    static Tensor roll(Tensor t, int[] shifts, int[] dims) {
        if (shifts.length == 1 && dims.length == 1) return roll(t, shifts[0], dims[0]);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = rolled(t, shifts, dims);
        }
        int[] back = new int[shifts.length], backDims = new int[dims.length];
        for (int i = 0; i < shifts.length; i++) back[i] = -shifts[shifts.length - 1 - i];
        for (int i = 0; i < dims.length; i++) backDims[i] = dims[dims.length - 1 - i];
        return Autograd.record("RollBackward0", out.detach(), t, c -> new Tensor[] {c.grad().roll(back, backDims)});
    }

    private static Tensor rolled(Tensor t, int[] shifts, int[] dims) {
        if (shifts.length == 0) throw new IllegalArgumentException("`shifts` required");
        if (dims.length == 0 && shifts.length == 1) return roll(t.contiguous().view(t.numel()), shifts[0], 0).view(t.layout().shape());
        if (shifts.length != dims.length)
            throw new IllegalArgumentException("shifts and dimensions must align. shifts: " + shifts.length + ", dims:" + dims.length);
        Tensor r = t;
        for (int i = 0; i < shifts.length; i++) r = roll(r, shifts[i], dims[i]);
        return r;
    }

    /** Sums {@code t} down to {@code shape}, which it must broadcast from (the reverse of expand). */
    static Tensor sumTo(Tensor t, int[] shape) {
        int[] in = t.layout().shape();
        if (Arrays.equals(in, shape)) return t;
        if (shape.length == 0) return t.sum(); // at::sum_to's full sum (SumBackward0), no sum over dims and view
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

    static Tensor fliplr(Tensor t) {
        if (t.dim() < 2) throw new IllegalArgumentException("Input must be >= 2-d.");
        return flip(t, new int[] {1});
    }

    static Tensor flipud(Tensor t) {
        if (t.dim() < 1) throw new IllegalArgumentException("Input must be >= 1-d.");
        return flip(t, new int[] {0});
    }

    /** atleast_1d/2d/3d: a reshape of a 0-dim tensor, unsqueezes of a smaller one (a 1-d one in the middle for 3d). */
    static Tensor atleast(Tensor t, int n) {
        if (t.dim() >= n) return t;
        if (t.dim() == 0) {
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            return t.reshape(ones);
        }
        if (n == 2) return t.unsqueeze(0);
        return t.dim() == 1 ? t.unsqueeze(0).unsqueeze(-1) : t.unsqueeze(-1);
    }
}
