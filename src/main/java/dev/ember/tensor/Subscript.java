package dev.ember.tensor;

import dev.ember.autograd.Autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Python's {@code x[...]} and {@code x[...] = v}, as torch/csrc/autograd/python_variable_indexing.cpp and
 * ATen's TensorIndexing.h do them: integers, slices and None become views (select, slice, unsqueeze); tensor
 * indices are collected, with their positions, for one advanced-indexing op on the resulting view.
 *
 * <p>PyTorch's quirks are kept on purpose: an index of one item takes the single-index fast paths (so
 * {@code x[:]} is a SliceBackward0 view while {@code x[0:n, 0:m]} is an alias), a bool mask counts all its dims
 * when sizing an ellipsis but moves the running dim on by one, and an out-of-range integer reports its
 * position in the index, not the dim it selects.
 */
final class Subscript {
    private Subscript() {}

    /** The view left after the basic indices, and the tensor indices by position (null where none). */
    private record Sliced(Tensor result, List<Tensor> indices) {}

    static Tensor get(Tensor self, Object[] indices) {
        Object[] items = expandStrings(indices);
        if (items.length == 1 && !(items[0] instanceof Tensor)) {
            switch (items[0]) {
                case Integer i -> { return applySelect(self, 0, i, 0); }
                case Long l -> { return applySelect(self, 0, l, 0); }
                case Idx.Slice s -> { return applySlice(self, 0, s, true); }
                case Idx.NewAxis n -> { return self.unsqueeze(0); }
                case Idx.Ellipsis e -> { return alias(self); }
                case Boolean b -> {
                    Tensor r = self.unsqueeze(0);
                    return Indexing.index(r, IndexPlan.of(r, List.of(boolIndex(b, r))));
                }
                default -> { }
            }
        }
        Sliced s = applySlicing(self, items);
        if (s.indices().isEmpty()) return s.result() == self ? alias(self) : s.result();
        return Indexing.index(s.result(), IndexPlan.of(s.result(), s.indices()));
    }

    /** {@code x[indices] = value}, or {@code index_put_(..., accumulate=True)} when {@code accumulate}. */
    static Tensor set(Tensor self, Object[] indices, Tensor value, boolean accumulate) {
        Object[] items = expandStrings(indices);
        if (items.length == 1 && !(items[0] instanceof Tensor)) {
            Tensor target = switch (items[0]) {
                case Boolean b when !b -> null;
                case Boolean b -> self.unsqueeze(0);
                case Idx.Ellipsis e -> self;
                case Idx.NewAxis n -> self.unsqueeze(0);
                case Integer i -> applySelect(self, 0, i, 0);
                case Long l -> applySelect(self, 0, l, 0);
                case Idx.Slice s -> applySlice(self, 0, s, false);
                default -> throw invalid(items[0]);
            };
            if (target != null) copyTo(target, value, accumulate);
            return self;
        }
        Sliced s = applySlicing(self, items);
        if (s.indices().isEmpty()) {
            copyTo(s.result(), value, accumulate);
            return self;
        }
        // setitem drops the value's leading 1-dims (slicePrefix1sSize); index_put_(accumulate=True) takes it as it is
        int[] vs = value.layout().shape();
        int lead = 0;
        while (!accumulate && lead < vs.length && vs[lead] == 1) lead++;
        Tensor v = lead == 0 ? value : value.view(Arrays.copyOfRange(vs, lead, vs.length));
        if (!accumulate && fillsThroughMask(s.indices(), v, self)) v = v.reshape().to(self.dtype());
        // index_put_'s autograd check (a leaf, a view of one) comes before the indices are validated
        Autograd.checkInplace(s.result(), v);
        Indexing.indexPutInPlace(s.result(), IndexPlan.of(s.result(), s.indices()), v, accumulate);
        return self;
    }

    /**
     * PyTorch's index_put_ hands one bool (or uint8) mask with a one-element CPU value to masked_fill_
     * ({@code canDispatchToMaskedFill}), which reads the value as a number: then its dtype need not match the
     * target's, and {@code x[mask] = torch.tensor([9.], dtype=torch.float64)} works on a float32 {@code x}.
     */
    static boolean fillsThroughMask(List<Tensor> indices, Tensor value, Tensor target) {
        if (value.numel() != 1 || !value.device().isCpu()) return false;
        Tensor mask = null;
        for (Tensor t : indices) {
            if (t == null) continue;
            if (mask != null || (t.dtype() != DType.BOOL && t.dtype() != DType.UINT8) || !t.device().equals(target.device())) return false;
            mask = t;
        }
        return mask != null;
    }

    /** PyTorch's copy_to: equal shapes copy; otherwise leading 1-dims of the value drop and it expands. */
    /** PyTorch's copy_to: copy_ for equal shapes, fill_ from a 0-dim value (FillBackward3), else an expanded copy_. */
    private static void copyTo(Tensor dst, Tensor value, boolean accumulate) {
        int[] ds = dst.layout().shape(), vs = value.layout().shape();
        if (!accumulate && !Arrays.equals(ds, vs) && value.dim() == 0) {
            dst.fill_(value);
            return;
        }
        Tensor v = value;
        if (!Arrays.equals(ds, vs) && value.dim() > 0) {
            int lead = 0;
            while (lead < vs.length && vs[lead] == 1) lead++;
            v = value.view(Arrays.copyOfRange(vs, lead, vs.length)).expand(ds);
        }
        // Basic indices cannot repeat an element, so accumulating is plain addition into the view.
        if (accumulate) dst.add_(v);
        else dst.copy_(v);
    }

    private static Sliced applySlicing(Tensor self, Object[] items) {
        int specified = 0;
        for (Object o : items) specified += switch (o) {
            case Tensor t -> t.dtype() == DType.BOOL || t.dtype() == DType.UINT8 ? t.dim() : 1;
            case Idx.NewAxis n -> 0;
            case Idx.Ellipsis e -> 0;
            case Boolean b -> 0;
            case null, default -> 1;
        };
        if (specified > self.dim()) throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + self.dim());
        Tensor result = self;
        List<Tensor> out = new ArrayList<>();
        int dim = 0;
        for (int i = 0; i < items.length; i++) {
            switch (items[i]) {
                case Integer n -> result = applySelect(result, dim, n, i);
                case Long n -> result = applySelect(result, dim, n, i);
                case Idx.Slice s -> result = applySlice(result, dim++, s, false);
                case Idx.Ellipsis e -> dim += self.dim() - specified;
                case Idx.NewAxis n -> result = result.unsqueeze(dim++);
                case Boolean b -> {
                    result = result.unsqueeze(dim);
                    record(boolIndex(b, result), out, dim++);
                }
                case Tensor t when t.dim() == 0 && (t.dtype().isIntegral() || t.dtype() == DType.BOOL) -> {
                    if (t.dtype() != DType.UINT8 && t.dtype() != DType.BOOL) {
                        result = applySelect(result, dim, t.itemLong(), i);
                    } else {
                        result = result.unsqueeze(dim);
                        record(boolIndex(t.itemLong() != 0, result), out, dim++);
                    }
                }
                case Tensor t -> record(t, out, dim++);
                case null, default -> throw invalid(items[i]);
            }
        }
        return new Sliced(result, out);
    }

    private static void record(Tensor index, List<Tensor> out, int dim) {
        while (out.size() < dim) out.add(null);
        out.add(index);
    }

    /** {@code True} indexes a new size-1 dim with [0], {@code False} with an empty index. */
    private static Tensor boolIndex(boolean value, Tensor like) {
        Tensor t = Tensor.fromArray(value ? new long[] {0} : new long[0], value ? 1 : 0);
        return like.device().isCpu() ? t : t.to(like.device());
    }

    private static Tensor applySelect(Tensor t, int dim, long index, int realDim) {
        int[] sizes = t.layout().shape();
        if (index == 0 && dim == 0 && sizes.length == 0)
            throw new IndexOutOfBoundsException("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
        long size = sizes.length == 0 ? 0 : sizes[dim];
        // compared as index >= -size: negating Long.MIN_VALUE would overflow and let it through
        if (index < -size || index >= size)
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + realDim + " with size " + size);
        return t.select(dim, (int) index);
    }

    private static Tensor applySlice(Tensor t, int dim, Idx.Slice s, boolean disableSliceOptimization) {
        int step = s.step() == null ? 1 : s.step();
        if (step == 0) throw new IllegalArgumentException("slice step cannot be zero");
        if (t.dim() == 0) throw new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor.");
        long start = s.start() == null ? (step < 0 ? Long.MAX_VALUE : 0) : s.start();
        long stop = s.stop() == null ? (step < 0 ? Long.MIN_VALUE : Long.MAX_VALUE) : s.stop();
        if (!disableSliceOptimization && start == 0 && stop == t.layout().shape()[dim] && step == 1) return t;
        if (step < 0) throw new IllegalArgumentException("step must be greater than zero");
        return t.slice(dim, clamp(start), clamp(stop), step);
    }

    private static int clamp(long v) { return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)); }

    /** {@code x[...]} and {@code x.alias()}: a new view of the same data ({@code AliasBackward0}). */
    static Tensor alias(Tensor t) {
        return Autograd.record("AliasBackward0", Tensor.viewOf(t, t.layout()), t, c -> new Tensor[] {c.grad()});
    }

    private static Object[] expandStrings(Object[] indices) {
        if (indices == null) throw invalid(null);
        List<Object> out = new ArrayList<>(indices.length);
        for (Object o : indices) {
            if (o instanceof String s) out.addAll(Arrays.asList(Idx.parse(s)));
            else out.add(o);
        }
        return out.toArray();
    }

    private static IndexOutOfBoundsException invalid(Object o) {
        return new IndexOutOfBoundsException("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got "
                + (o == null ? "null" : o.getClass().getSimpleName()) + ")");
    }
}
