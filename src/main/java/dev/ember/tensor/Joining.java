package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Joining tensors along a dim and splitting one into pieces: cat, stack and their h/v/d/column variants, split,
 * chunk, tensor_split and its h/v/d variants, unbind; with their backward rules and PyTorch's grad_fn names.
 */
final class Joining {
    private Joining() {}

    private static final Tensor[] NONE = new Tensor[0];


    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        // PyTorch skips 1-D empty tensors in the shape checks and the copy (legacy behaviour) when other inputs have
        // more dims, but they still take part in type promotion and autograd (their gradient is empty)
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) if (!skipped(tensors.get(i))) kept.add(i);
        if (kept.isEmpty()) kept.add(0);
        Tensor first = tensors.get(kept.getFirst());
        if (first.dim() == 0) throw new IllegalArgumentException("zero-dimensional tensor (at position " + kept.getFirst() + ") cannot be concatenated");
        int d = Shape.wrapDim(dim, first.dim());
        int[] shape = first.layout().shape().clone();
        DType dt = first.dtype();
        for (Tensor t : tensors) {
            Kernels.checkSameDevice(first, t);
            dt = DType.promote(dt, t.dtype());
        }
        int total = 0;
        for (int i : kept) {
            Tensor t = tensors.get(i);
            if (t.dim() != first.dim())
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + first.dim() + " and " + t.dim());
            for (int k = 0; k < shape.length; k++)
                if (k != d && t.layout().shape()[k] != shape[k])
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d + ". Expected size " + shape[k] + " but got size "
                            + t.layout().shape()[k] + " for tensor number " + i + " in the list.");
            total += t.layout().shape()[d];
        }
        shape[d] = total;
        // ATen's cat lays out its result in the memory format every input suggests (else row-major)
        boolean channelsLast = true;
        for (Tensor t : tensors) channelsLast &= t.layout().isStridesLikeChannelsLast();
        Tensor out = Kernels.empty(channelsLast ? Layout.channelsLast(shape) : Layout.contiguous(shape), dt, first.device());
        int[] sizes = new int[tensors.size()];
        int at = 0;
        for (int i : kept) {
            Tensor t = tensors.get(i);
            sizes[i] = t.layout().shape()[d];
            Layout region = out.layout().slice(d, at, at + sizes[i], 1);
            out.backend().copy(t.strided(), new dev.ember.tensor.spi.Strided(out.storage(), region));
            at += sizes[i];
        }
        Tensor[] inputs = tensors.toArray(new Tensor[0]);
        // PyTorch's cat_tensors_backward narrows the gradient for each input (SliceBackward0 in a double-backward graph);
        // a skipped legacy empty input gets an empty gradient
        return Autograd.record("CatBackward0", out, inputs, NONE, c -> {
            Tensor[] grads = new Tensor[inputs.length];
            int from = 0;
            for (int i : kept) {
                if (c.needs(i)) grads[i] = c.grad().narrow(d, from, sizes[i]);
                from += sizes[i];
            }
            for (int i = 0; i < grads.length; i++) if (grads[i] == null && c.needs(i) && !kept.contains(i)) grads[i] = Tensor.zeros(new int[] {0}, c.grad().dtype());
            return grads;
        });
    }

    /** A legacy empty 1-D input that cat leaves out of the shape checks. */
    private static boolean skipped(Tensor t) { return t.dim() == 1 && t.numel() == 0; }

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
            out.add(Movement.slice(t, d, at, at + len, 1));
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
            out.add(Movement.slice(t, d, start, index, 1));
            start = index;
        }
        out.add(Movement.slice(t, d, start, null, 1));
        return out;
    }

    static List<Tensor> split(Tensor t, int splitSize, int dim) { return split(t, splitSize, dim, false); }

    /**
     * {@code unsafe_split}: split's parts, but each with a version counter of its own as ATen gives them, so autograd
     * does not know them as views: writing one in place is not refused as a multi-output view's write and leaves the
     * input's history alone (the caller promises not to need it).
     */
    static List<Tensor> unsafeSplit(Tensor t, int splitSize, int dim) { return split(t, splitSize, dim, true); }

    private static List<Tensor> split(Tensor t, int splitSize, int dim, boolean unsafe) {
        if (t.dim() == 0) throw new IllegalArgumentException("split expects at least a 1-dimensional tensor");
        if (splitSize < 0) throw new IllegalArgumentException("split expects split_size be non-negative, but got split_size=" + splitSize);
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        if (splitSize == 0 && size != 0) throw new IllegalArgumentException("split_size can only be 0 if dimension size is 0, but got dimension size of " + size);
        int n = splitSize == 0 ? 1 : Math.max((size + splitSize - 1) / splitSize, 1);
        int[] sizes = new int[n];
        for (int i = 0; i < n; i++) sizes[i] = Math.min(splitSize, size - i * splitSize);
        return splitViews(t, sizes, d, unsafe ? "UnsafeSplitBackward0" : "SplitBackward0", unsafe);
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
                    + dim + "), but got split_sizes=" + Shape.str(sizes)); // the dim as given, as PyTorch prints it
        return splitViews(t, sizes, d, "SplitWithSizesBackward0", false);
    }

    static List<Tensor> chunk(Tensor t, int chunks, int dim) { return chunk(t, chunks, dim, false); }

    /** {@code unsafe_chunk}: chunk through {@link #unsafeSplit}'s parts. */
    static List<Tensor> unsafeChunk(Tensor t, int chunks, int dim) { return chunk(t, chunks, dim, true); }

    private static List<Tensor> chunk(Tensor t, int chunks, int dim, boolean unsafe) {
        if (t.dim() == 0) throw new IllegalArgumentException("chunk expects at least a 1-dimensional tensor");
        if (chunks <= 0) throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.layout().shape()[d];
        int each = (size + chunks - 1) / chunks;
        if (each == 0) {
            // PyTorch keeps the chunk count of an empty dim through split_with_sizes, and records that node
            int[] sizes = new int[chunks];
            return splitViews(t, sizes, d, unsafe ? "UnsafeSplitWithSizesBackward0" : "SplitWithSizesBackward0", unsafe);
        }
        return split(t, each, d, unsafe);
    }

    private static List<Tensor> splitViews(Tensor t, int[] sizes, int d, String name, boolean unsafe) {
        Tensor[] outs = new Tensor[sizes.length];
        int at = 0;
        for (int i = 0; i < sizes.length; i++) {
            Layout part = t.layout().slice(d, at, at + sizes[i], 1);
            if (unsafe) {
                outs[i] = t.data();
                outs[i].setLayout(part);
            } else {
                outs[i] = Tensor.viewOf(t, part);
            }
            at += sizes[i];
        }
        int[] in = t.layout().shape();
        Autograd.recordMulti(name, outs, new Tensor[] {t}, NONE, c -> {
            List<Tensor> grads = new ArrayList<>();
            for (int i = 0; i < sizes.length; i++) grads.add(c.grad(i));
            return new Tensor[] {cat(grads, d)};
        });
        if (!unsafe) for (Tensor o : outs) o.meta().markMultiOutputView();
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
}
