package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.Strided;

import java.util.Arrays;

/**
 * Indexing in PyTorch's forms, with PyTorch's checks, error texts and grad_fn names: {@code x[...]} and
 * {@code x[...] = v} (parsed by {@link Subscript}, advanced indices planned by {@link IndexPlan}), gather /
 * scatter / scatter_add, index_select / index_add and take. Masks live in {@link Masking}.
 */
final class Indexing {
    private Indexing() {}

    private static final Tensor[] NONE = new Tensor[0];

    // ------------------------------------------------------------ x[...]

    static Tensor index(Tensor t, Object[] indices) { return Subscript.get(t, indices); }

    static Tensor indexPut(Tensor t, Object[] indices, Tensor value, boolean accumulate) { return Subscript.set(t, indices, value, accumulate); }

    /** Advanced indexing by a plan: a copy ({@code IndexBackward0}). */
    static Tensor index(Tensor src, IndexPlan plan) {
        plan.checkBounds();
        Tensor out = plan.gather(src);
        int[] in = src.layout().shape();
        Tensor[] saved = plan.indexTensors();
        return Autograd.record("IndexBackward0", out, new Tensor[] {src}, saved, c -> {
            for (int i = 0; i < saved.length; i++) c.saved(i); // the plan holds the positions; unpacking checks the indices are unchanged
            return new Tensor[] {indexPut(Kernels.zeros(in, c.grad().dtype(), c.grad().device()), plan, c.grad(), true)};
        });
    }

    /**
     * {@code torch.index_put(self, indices, values, accumulate)}: index_put_ on a clone of self (its strides
     * preserved), recorded as one {@code IndexPutBackward0}. A null index is Python's None (the whole dim).
     */
    static Tensor indexPut(Tensor self, Tensor[] indices, Tensor values, boolean accumulate) {
        IndexPlan plan = IndexPlan.of(self, Arrays.asList(indices));
        if (!accumulate && Subscript.fillsThroughMask(Arrays.asList(indices), values, self)) values = values.reshape().to(self.dtype());
        checkPut(self, plan, values);
        return indexPut(self, plan, values, accumulate);
    }

    /** {@code self.index_put(indices, values, accumulate)} out of place ({@code IndexPutBackward0}). */
    static Tensor indexPut(Tensor self, IndexPlan plan, Tensor values, boolean accumulate) {
        Tensor out = Kernels.copyPreserving(self);
        plan.put(out, values, accumulate);
        int[] vshape = values.layout().shape();
        Tensor[] saved = plan.indexTensors();
        return Autograd.record("IndexPutBackward0", out, new Tensor[] {self, values}, saved, c -> {
            for (int i = 0; i < saved.length; i++) c.saved(i); // as IndexBackward0: the indices must be unchanged
            return new Tensor[] {
                    !c.needs(0) ? null : accumulate ? c.grad() : indexPut(c.grad(), plan, Kernels.zeros(new int[0], c.grad().dtype(), c.grad().device()), false),
                    !c.needs(1) ? null : index(c.grad(), plan).sumTo(vshape)};
        });
    }

    /** {@code target[indices] = values} in place, with index_put_'s checks in PyTorch's order. */
    static void indexPutInPlace(Tensor target, IndexPlan plan, Tensor values, boolean accumulate) {
        Autograd.checkInplace(target, values);
        checkPut(target, plan, values);
        if (Autograd.isRecording(target, values)) {
            InPlace.commit(target, indexPut(target, plan, values, accumulate), self -> plan.put(self, values.detach(), accumulate));
            return;
        }
        plan.put(target, values, accumulate);
        target.bumpVersion();
    }

    /** index_put_'s checks of the values against the indexed target, in PyTorch's order. */
    private static void checkPut(Tensor target, IndexPlan plan, Tensor values) {
        int[] rs = plan.resultShape(), vs = values.layout().shape();
        if (!expandable(vs, rs))
            throw new IllegalArgumentException("shape mismatch: value tensor of shape " + Shape.str(vs) + " cannot be broadcast to indexing result of shape " + Shape.str(rs));
        if (values.dtype() != target.dtype())
            throw new IllegalArgumentException("Index put requires the source and destination dtypes match, got " + TypePromotion.typeName(target.dtype())
                    + " for the destination and " + TypePromotion.typeName(values.dtype()) + " for the source.");
        Kernels.checkSameDevice(target, values);
        plan.checkBounds();
    }

    private static boolean expandable(int[] shape, int[] target) {
        if (shape.length > target.length) return false;
        for (int i = 1; i <= shape.length; i++) {
            int s = shape[shape.length - i], t = target[target.length - i];
            if (s != t && s != 1) return false;
        }
        return true;
    }

    // ------------------------------------------------------------ gather / scatter

    /**
     * {@code torch.take_along_dim(t, indices, dim)}: gather after broadcasting t and indices against each other in
     * every dim but {@code dim} (both through expand, as PyTorch's broadcast_to). Without a dim it gathers from
     * the flattened tensor, e.g. {@code take_along_dim(t, t.argmax())}.
     */
    static Tensor takeAlongDim(Tensor t, Tensor indices, Integer dim) {
        if (dim == null) return gather(t.view(-1), 0, indices.view(-1));
        if (t.dim() != indices.dim())
            throw new IllegalArgumentException("torch.take_along_dim(): input and indices should have the same number of dimensions, but got "
                    + t.dim() + " dimensions for input, and " + indices.dim() + " dimensions for indices");
        if (indices.dtype() != DType.INT64)
            throw new IllegalArgumentException("torch.take_along_dim(): dtype of indices should be Long but got " + TypePromotion.typeName(indices.dtype()));
        int d = Shape.wrapDim(dim, t.dim());
        int[] selfSizes = t.shape();
        selfSizes[d] = indices.size(d);
        Tensor idx = indices.expand(Shape.broadcast(selfSizes, indices.shape()));
        int[] indexSizes = indices.shape();
        indexSizes[d] = t.size(d);
        return gather(t.expand(Shape.broadcast(indexSizes, t.shape())), d, idx);
    }

    static Tensor gather(Tensor t, int dim, Tensor index) {
        int d = Shape.wrapDim(dim, t.dim());
        Kernels.checkSameDevice(t, index);
        if (index.numel() != 0) {
            if (index.dtype() != DType.INT64) throw new IllegalArgumentException("gather(): Expected dtype int64 for index");
            int dims = Math.max(t.dim(), 1);
            if (Math.max(index.dim(), 1) != dims) throw new IllegalArgumentException("Index tensor must have the same number of dimensions as input tensor");
            for (int i = 0; i < dims; i++)
                if (i != d && size(index, i) > size(t, i))
                    throw new IllegalArgumentException("Size does not match at dimension " + i + " expected index " + Shape.str(index.layout().shape())
                            + " to be smaller than self " + Shape.str(t.layout().shape()) + " apart from dimension " + d);
        }
        Tensor out = Kernels.zeros(index.layout().shape(), t.dtype(), t.device());
        if (out.numel() > 0) {
            checkRange(index, size(t, d), v -> "index " + v + " is out of bounds for dimension " + d + " with size " + size(t, d));
            t.backend().gather(atLeast1d(t), d, atLeast1d(index), atLeast1d(out));
        }
        int[] in = t.layout().shape();
        // self is saved (PyTorch's gather_backward takes it), so that writing it in place before backward fails as there
        return Autograd.record("GatherBackward0", out, new Tensor[] {t}, new Tensor[] {t, index}, c -> {
            c.saved(0);
            return new Tensor[] {scatter(Kernels.zeros(in, c.grad().dtype(), c.grad().device()), d, c.saved(1), c.grad(), true, false)};
        });
    }

    /** scatter / scatter_add with a src tensor (ScatterBackward0 / ScatterAddBackward0). */
    static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src, boolean add, boolean inplace) {
        if (inplace) Autograd.checkInplace(t, src);
        int d = Shape.wrapDim(dim, t.dim());
        checkScatter(t, d, index, src, inplace);
        if (inplace && !Autograd.isRecording(t, src)) {
            scatterKernel(t, d, index, src, add);
            t.bumpVersion();
            return t;
        }
        if (inplace) return InPlace.commit(t, scatter(t, d, index, src, add, false), self -> scatterKernel(self, d, index, src, add));
        Tensor out = Kernels.copy(t);
        scatterKernel(out, d, index, src, add);
        return Autograd.record(add ? "ScatterAddBackward0" : "ScatterBackward0", out, new Tensor[] {t, src}, new Tensor[] {index}, c -> new Tensor[] {
                !c.needs(0) ? null : add ? c.grad() : scatterValue(c.grad(), d, c.saved(0), Scalar.of(0.0), false),
                !c.needs(1) ? null : gather(c.grad(), d, c.saved(0))});
    }

    /** {@code scatter(dim, index, value)} with a Python number (an int converts as an int: -1 fits uint8). */
    static Tensor scatterValue(Tensor t, int dim, Tensor index, Scalar value, boolean inplace) {
        if (inplace) Autograd.checkInplace(t);
        int d = Shape.wrapDim(dim, t.dim());
        checkScatter(t, d, index, null, inplace);
        Tensor src = Creation.full(new int[0], value, t.dtype(), t.device()).expand(index.layout().shape());
        if (inplace && !Autograd.isRecording(t)) {
            scatterKernel(t, d, index, src, false);
            t.bumpVersion();
            return t;
        }
        if (inplace) return InPlace.commit(t, scatterValue(t, d, index, value, false), self -> scatterKernel(self, d, index, src, false));
        Tensor out = Kernels.copy(t);
        scatterKernel(out, d, index, src, false);
        return Autograd.record("ScatterBackward1", out, new Tensor[] {t}, new Tensor[] {index},
                c -> new Tensor[] {scatterValue(c.grad(), d, c.saved(0), Scalar.of(0.0), false)});
    }

    /** PyTorch's scatter_gather_dtype_check and scatter_shape_check, then the bounds of every index. */
    static void checkScatter(Tensor t, int d, Tensor index, Tensor src, boolean inplace) {
        checkScatterShapes(t, d, index, src, inplace);
        checkScatterBounds(t, d, index);
    }

    /**
     * The meta function's checks: scatter_gather_dtype_check, scatter_shape_check, then, in place, that self does not
     * overlap itself (as far as the layout tells) nor share memory with the index or src.
     */
    static void checkScatterShapes(Tensor t, int d, Tensor index, Tensor src, boolean inplace) {
        checkScatterShapes(t, d, index, src);
        if (!inplace) return;
        MemoryOverlap.assertNoInternalOverlap(t);
        MemoryOverlap.assertNoOverlap(t, index);
        if (src != null) MemoryOverlap.assertNoOverlap(t, src);
    }

    private static void checkScatterShapes(Tensor t, int d, Tensor index, Tensor src) {
        Kernels.checkSameDevice(t, index);
        if (index.numel() != 0 && index.dtype() != DType.INT64) throw new IllegalArgumentException("scatter(): Expected dtype int64 for index");
        if (src != null && src.dtype() != t.dtype()) throw new IllegalArgumentException("scatter(): Expected self.dtype to be equal to src.dtype");
        if (index.numel() == 0) return;
        int dims = Math.max(t.dim(), 1);
        if (Math.max(index.dim(), 1) != dims) throw new IllegalArgumentException("Index tensor must have the same number of dimensions as self tensor");
        boolean wrong = false;
        for (int i = 0; i < dims && !wrong; i++) wrong = i != d && size(index, i) > size(t, i);
        if (src != null) for (int i = 0; i < dims && !wrong; i++) wrong = size(index, i) > size(src, i);
        if (wrong) {
            String msg = "Expected index " + Shape.str(index.layout().shape()) + " to be smaller than self " + Shape.str(t.layout().shape()) + " apart from dimension " + d;
            throw new IllegalArgumentException(src == null ? msg : msg + " and to be smaller size than src " + Shape.str(src.layout().shape()));
        }
    }

    /** The kernel's check: every index within dim d (negative ones too are out of bounds). */
    static void checkScatterBounds(Tensor t, int d, Tensor index) {
        if (index.numel() == 0) return;
        checkRange(index, size(t, d), v -> "index " + v + " is out of bounds for dimension " + d + " with size " + size(t, d));
    }

    private static void scatterKernel(Tensor dst, int d, Tensor index, Tensor src, boolean add) {
        if (index.numel() == 0) return;
        Tensor s = src.storage() == dst.storage() ? Kernels.copy(src) : src;
        dst.backend().scatter(atLeast1d(dst), d, atLeast1d(index), atLeast1d(s), add);
    }

    // ------------------------------------------------------------ index_select / index_add / take

    /**
     * {@code t.repeat_interleave(repeats, dim)}: each slice along dim repeated its count of times (all of t,
     * flattened, when dim is null). As in ATen, an index_select with the indices {@link #repeatInterleave(Tensor)}
     * makes, so its gradient is IndexSelectBackward0's.
     */
    static Tensor repeatInterleave(Tensor t, Tensor repeats, Integer dim) {
        Tensor in = dim == null ? t.flatten() : t;
        if (in.dim() == 0) throw new IndexOutOfBoundsException("Dimension specified as " + dim + " but tensor has no dimensions");
        int d = dim == null ? 0 : Shape.wrapDim(dim, in.dim());
        int size = in.dim() == 0 ? 1 : in.size(d);
        Tensor counts = repeats;
        if (repeats.dim() == 0 || (repeats.dim() == 1 && repeats.size(0) == 1)) counts = repeats.reshape(1).expand(size);
        else if (repeats.dim() == 1) {
            if (repeats.size(0) != size) throw new IllegalArgumentException("repeats must have the same size as input along dim");
        } else throw new IllegalArgumentException("repeats must be 0-dim or 1-dim tensor");
        return in.indexSelect(d, repeatInterleave(counts));
    }

    /** {@code torch.repeat_interleave(repeats)}: index i repeated repeats[i] times, in the repeats' integer dtype. */
    static Tensor repeatInterleave(Tensor repeats) {
        if (repeats.dtype() != DType.INT64 && repeats.dtype() != DType.INT32)
            throw new UnsupportedOperationException("\"repeat_interleave_cpu\" not implemented for '" + TypePromotion.typeName(repeats.dtype()) + "'");
        if (repeats.dim() != 1) throw new IllegalArgumentException("repeats has to be 1D tensor");
        long[] r = repeats.toLongArray();
        long total = 0;
        for (long v : r) {
            if (v < 0) throw new IllegalArgumentException("repeats can not be negative");
            total += v;
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("repeat_interleave: " + total + " elements is more than a tensor holds");
        long[] idx = new long[(int) total];
        for (int i = 0, k = 0; i < r.length; i++) for (long j = 0; j < r[i]; j++) idx[k++] = i;
        return Creation.adopt(idx, idx.length).to(repeats.dtype()).to(repeats.device());
    }

    static Tensor indexSelect(Tensor t, int dim, Tensor index) {
        int d = Shape.wrapDim(dim, t.dim());
        Kernels.checkSameDevice(t, index);
        if (index.dim() > 1) throw new IndexOutOfBoundsException("index_select(): Index is supposed to be a vector");
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32)
            throw new IllegalArgumentException("index_select(): Expected dtype int32 or int64 for index");
        int n = index.numel(), size = size(t, d);
        // PyTorch's dim-1 fast path (and its empty-self path) words the error differently from the general one.
        boolean caffe2Message = t.dim() > 1 && (d == 1 || t.numel() == 0);
        if (t.dim() > 1 && n > 0 && size == 0) throw new IndexOutOfBoundsException("index_select(): self indexing axis dim should be positive");
        checkRange(index, size, v -> caffe2Message ? "INDICES element is out of DATA bounds, id=" + v + " axis_dim=" + size : "index out of range in self");
        Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
        Tensor out;
        if (t.dim() == 0) {
            out = Kernels.copy(t);
        } else {
            int[] shape = t.layout().shape().clone();
            shape[d] = n;
            out = Kernels.zeros(shape, t.dtype(), t.device());
            if (out.numel() > 0) t.backend().indexSelect(t.strided(), d, idx.strided(), out.strided());
        }
        int[] in = t.layout().shape();
        return Autograd.record("IndexSelectBackward0", out, new Tensor[] {t}, new Tensor[] {idx},
                c -> new Tensor[] {indexAdd(Kernels.zeros(in, c.grad().dtype(), c.grad().device()), d, c.saved(0), c.grad(), false)});
    }

    /** {@code index_add(dim, index, source)}: slices of source added at the given positions; duplicates accumulate. */
    static Tensor indexAdd(Tensor t, int dim, Tensor index, Tensor source, boolean inplace) {
        if (inplace) Autograd.checkInplace(t, source);
        int d = Shape.wrapDim(dim, t.dim());
        Kernels.checkSameDevice(t, index);
        Kernels.checkSameDevice(t, source);
        int n = index.numel();
        if (index.dim() > 1)
            throw new IndexOutOfBoundsException("index_add_(): Index is supposed to be a vector, but got dim: " + index.dim() + " with type: "
                    + TypePromotion.typeName(index.dtype()) + " and size: " + Shape.str(index.layout().shape()));
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32)
            throw new IllegalArgumentException("index_add_(): Expected dtype int32/int64 for index but got: " + TypePromotion.typeName(index.dtype()));
        if (t.dtype() != source.dtype())
            throw new IllegalArgumentException("index_add_(): self (" + TypePromotion.typeName(t.dtype()) + ") and source (" + TypePromotion.typeName(source.dtype())
                    + ") must have the same scalar type");
        if (!(d == 0 || d < source.dim()))
            throw new IllegalArgumentException("index_add_(): Indexing dim " + d + " is out of bounds of the source tensor with dim " + source.dim());
        if (n != (source.dim() == 0 ? 1 : source.layout().shape()[d])) {
            if (source.dim() == 0) throw new IndexOutOfBoundsException("Dimension specified as 0 but tensor has no dimensions");
            throw new IllegalArgumentException("index_add_(): Number of indices (" + n + ") should be equal to source.size(dim): (" + source.layout().shape()[d] + "), for dim: " + d);
        }
        // PyTorch's kernel checks what it writes after the argument checks, before the slices broadcast
        if (inplace) MemoryOverlap.assertNoInternalOverlap(t);
        int[] full = t.dim() == 0 ? new int[] {1} : t.layout().shape().clone();
        full[d] = n;
        if (t.dim() > 1) {
            int[] selfSlice = without(t.layout().shape(), d), sourceSlice = without(source.layout().shape(), d);
            int[] b = Shape.broadcast(selfSlice, sourceSlice);
            if (!Arrays.equals(b, selfSlice))
                throw new IllegalArgumentException("output with shape " + Shape.str(selfSlice) + " doesn't match the broadcast shape " + Shape.str(b));
        } else if (source.dim() > 1) {
            throw new IllegalArgumentException("source.dim() (" + source.dim() + ") must one or zero for given self.dim() (" + t.dim() + ")");
        }
        checkRange(index, size(t, d), v -> "index out of range in self");
        Tensor idx = index.dim() == 0 ? index.reshape(1) : index;
        if (inplace && !Autograd.isRecording(t, source)) {
            indexAddKernel(t, d, idx, source, full);
            t.bumpVersion();
            return t;
        }
        if (inplace) return InPlace.commit(t, indexAdd(t, d, index, source, false), self -> indexAddKernel(self, d, idx, source.detach(), full));
        Tensor out = Kernels.copy(t);
        indexAddKernel(out, d, idx, source, full);
        int[] sshape = source.layout().shape();
        return Autograd.record("IndexAddBackward0", out, new Tensor[] {t, source}, new Tensor[] {idx}, c -> new Tensor[] {
                c.grad(),
                c.needs(1) ? fitTo(c.grad().indexSelect(d, c.saved(0)), sshape) : null});
    }

    private static void indexAddKernel(Tensor dst, int d, Tensor idx, Tensor source, int[] full) {
        if (Shape.numel(full) == 0) return;
        Tensor src = source.storage() == dst.storage() ? Kernels.copy(source) : source;
        Layout sl = src.layout();
        Layout walk;
        if (dst.dim() <= 1) {
            walk = sl.view(new int[] {full[d]});
        } else {
            // each source slice broadcasts to the self slice it is added to, as in PyTorch's TensorIterator
            Layout slice = new Layout(without(sl.shape(), d), without(sl.strides(), d), sl.offset()).expand(without(full, d));
            int[] shape = new int[full.length], strides = new int[full.length];
            for (int i = 0, j = 0; i < full.length; i++) {
                shape[i] = i == d ? full[d] : slice.shape()[j];
                strides[i] = i == d ? sl.strides()[d] : slice.strides()[j++];
            }
            walk = new Layout(shape, strides, sl.offset());
        }
        dst.backend().indexAdd(atLeast1d(dst), d, idx.strided(), new Strided(src.storage(), walk));
    }

    private static Tensor fitTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.layout().shape(), shape)) return g;
        return g.numel() == Shape.numel(shape) ? g.reshape(shape) : g.sumTo(shape);
    }

    /** take's and put's flat indices, each checked against {@code numel} and wrapped when negative. */
    static long[] flatIndices(Tensor index, int numel) {
        long[] flat = index.toLongArray();
        for (int i = 0; i < flat.length; i++) {
            if (flat[i] < -numel || flat[i] >= numel)
                throw new IndexOutOfBoundsException("out of range: tried to access index " + flat[i] + " on a tensor of " + numel + " elements.");
            if (flat[i] < 0) flat[i] += numel;
        }
        return flat;
    }

    /** {@code take(index)}: elements of the row-major flattened tensor ({@code TakeBackward0}). */
    static Tensor take(Tensor t, Tensor index) {
        if (index.dtype() != DType.INT64)
            throw new IllegalArgumentException("take(): Expected a long tensor for index, but got " + TypePromotion.typeName(index.dtype()));
        Kernels.checkSameDevice(t, index);
        int numel = t.numel();
        if (numel == 0 && index.numel() != 0) throw new IndexOutOfBoundsException("take(): tried to take from an empty tensor");
        long[] flat = flatIndices(index, numel);
        IndexPlan plan = IndexPlan.ofCoordinates(t.layout().shape(), index.layout().shape(), unravel(flat, t.layout().shape()));
        Tensor out = plan.gather(t);
        int[] in = t.layout().shape();
        return Autograd.record("TakeBackward0", out, new Tensor[] {t}, new Tensor[] {t, index}, c -> {
            // the rule reads the plan, but PyTorch's node unpacks self, then the index: changed in place, either fails backward
            c.saved(0);
            c.saved(1);
            return new Tensor[] {indexPut(Kernels.zeros(in, c.grad().dtype(), c.grad().device()), plan, c.grad(), true)};
        });
    }

    /** Coordinates (one array per dim) of row-major flat positions in {@code shape}. */
    static int[][] unravel(long[] flat, int[] shape) {
        int[][] coords = new int[shape.length][flat.length];
        for (int p = 0; p < flat.length; p++) {
            long rest = flat[p];
            for (int d = shape.length - 1; d >= 0; d--) {
                coords[d][p] = (int) (rest % shape[d]);
                rest /= shape[d];
            }
        }
        return coords;
    }

    // ------------------------------------------------------------ helpers

    /** PyTorch's ensure_nonempty_size: a 0-dim tensor has size 1 along dim 0. */
    private static int size(Tensor t, int d) {
        return t.dim() == 0 ? 1 : t.layout().shape()[Shape.wrapDim(d, t.dim())];
    }

    private static int[] without(int[] shape, int d) {
        int[] out = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != d) out[j++] = shape[i];
        return out;
    }

    /** Kernels work on dims; a 0-dim operand is handed over as one element of a 1-D layout. */
    static Strided atLeast1d(Tensor t) {
        if (t.dim() > 0) return t.strided();
        return new Strided(t.storage(), new Layout(new int[] {1}, new int[] {1}, t.layout().offset()));
    }

    /** Checks every index against {@code [0, size)} before anything is written, with the op's own message. */
    private static void checkRange(Tensor index, int size, java.util.function.LongFunction<String> message) {
        if (index.numel() == 0) return;
        for (long v : hostLongs(index)) if (v < 0 || v >= size) throw new IndexOutOfBoundsException(message.apply(v));
    }

    /** An integer tensor's values in row-major order, read-only: an int64 host tensor hands over its own array. */
    static long[] hostLongs(Tensor t) {
        var h = t.toHost();
        if (h.dtype() == DType.INT64) return h.longs();
        long[] out = new long[t.numel()];
        for (int i = 0; i < out.length; i++) out[i] = h.getLong(i);
        return out;
    }
}
