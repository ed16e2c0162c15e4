package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.HostStorage;

import java.util.Arrays;
import java.util.List;

/**
 * Boolean masks: masked_fill, masked_select and nonzero. Where the output size depends on the data
 * (masked_select, nonzero) the true positions are counted on the host; the values then move on the device
 * through an {@link IndexPlan}.
 */
final class Masking {
    private Masking() {}

    /** {@code masked_fill(mask, value)} with a number ({@code MaskedFillBackward0}). */
    static Tensor maskedFill(Tensor t, Tensor mask, double value, boolean inplace) {
        return fill(t, mask, Creation.full(new int[0], value, t.dtype(), t.device()), true, inplace);
    }

    /** {@code masked_fill(mask, value)} with a Python int, kept exact for int64. */
    static Tensor maskedFill(Tensor t, Tensor mask, long value, boolean inplace) {
        return fill(t, mask, Creation.fullLong(new int[0], value, t.dtype(), t.device()), true, inplace);
    }

    /** {@code masked_fill(mask, value)} with a 0-dim tensor, differentiable in it too ({@code MaskedFillBackward1}). */
    static Tensor maskedFill(Tensor t, Tensor mask, Tensor value, boolean inplace) {
        return fill(t, mask, value, false, inplace);
    }

    private static Tensor fill(Tensor t, Tensor mask, Tensor value, boolean number, boolean inplace) {
        if (inplace) Autograd.checkInplace(t, value);
        // PyTorch 1.13 quietly accepts other mask dtypes with unreliable results; 2.x rejects them, and so do we.
        if (mask.dtype() != DType.BOOL && mask.dtype() != DType.UINT8)
            throw new IllegalArgumentException("masked_fill_ only supports boolean masks, but got mask with dtype " + mask.dtype().pyName());
        if (value.dim() != 0)
            throw new IllegalArgumentException("masked_fill_ only supports a 0-dimensional value tensor, but got tensor with " + value.dim() + " dimension(s).");
        // PyTorch fills with value.item(), checked against self's dtype even when nothing is filled
        if (!number) Scalar.of(value).checkedFor(t.dtype());
        Kernels.checkSameDevice(t, mask);
        Tensor v = Kernels.cast(value.detach(), t.dtype());
        int[] shape = t.layout().shape();
        if (inplace) {
            // the in-place kernel broadcasts self against the mask (self first in a size error), recorded or not
            int[] b = Shape.broadcast(shape, mask.layout().shape());
            if (!Arrays.equals(b, shape))
                throw new IllegalArgumentException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape " + Shape.str(b));
        }
        if (inplace && !Autograd.isRecording(t, value)) {
            fillKernel(t, mask, v);
            t.bumpVersion();
            return t;
        }
        if (inplace) return InPlace.commit(t, fill(t, mask, value, number, false), self -> fillKernel(self, mask, v));
        Tensor out = Kernels.where(mask, v, t, t.dtype(), true); // PyTorch fills a row-major clone
        Tensor[] inputs = number ? new Tensor[] {t} : new Tensor[] {t, value};
        return Autograd.record(number ? "MaskedFillBackward0" : "MaskedFillBackward1", out, inputs, new Tensor[] {mask}, c -> {
            Tensor m = c.saved(0), g = c.grad();
            Tensor gself = c.needs(0) ? Tensor.where(m, 0.0, g) : null;
            if (number) return new Tensor[] {gself};
            return new Tensor[] {gself, c.needs(1) ? Tensor.where(m, g, 0.0).sum() : null};
        });
    }

    private static void fillKernel(Tensor t, Tensor mask, Tensor value) {
        int[] shape = t.layout().shape();
        Tensor m = Kernels.cast(mask, DType.BOOL);
        t.backend().where(m.strided().expand(shape), value.strided().expand(shape), t.strided(), t.strided());
    }

    /** {@code masked_select(mask)}: the elements where the (mutually broadcast) mask holds, as a 1-D copy. */
    static Tensor maskedSelect(Tensor t, Tensor mask) {
        if (mask.dtype() != DType.BOOL && mask.dtype() != DType.UINT8)
            throw new IllegalArgumentException("masked_select: expected BoolTensor or ByteTensor for mask");
        Kernels.checkSameDevice(t, mask);
        int[] b = Shape.broadcast(mask.layout().shape(), t.layout().shape());
        Tensor m = new Tensor(mask.storage(), mask.layout().expand(b));
        long[] flat = nonzeroFlat(m);
        IndexPlan plan = IndexPlan.ofCoordinates(b, new int[] {flat.length}, Indexing.unravel(flat, b));
        Tensor out = plan.gather(new Tensor(t.storage(), t.layout().expand(b)));
        int[] in = t.layout().shape();
        return Autograd.record("MaskedSelectBackward0", out, new Tensor[] {t}, new Tensor[] {t, mask}, c -> {
            // the rule reads the plan, but PyTorch's node unpacks self, then the mask: changed in place, either fails backward
            c.saved(0);
            c.saved(1);
            return new Tensor[] {Indexing.indexPut(Kernels.zeros(b, c.grad().dtype(), c.grad().device()), plan, c.grad(), true).sumTo(in)};
        });
    }

    /**
     * {@code masked_scatter(mask, source)}: source's leading elements, in order, written where the mask holds. Out of
     * place, self and mask broadcast together (the result has their shape, row-major); in place, the mask expands to
     * self. Like masked_fill, masks other than bool and uint8 are refused.
     */
    static Tensor maskedScatter(Tensor t, Tensor mask, Tensor source, boolean inplace) {
        if (inplace) {
            Autograd.checkInplace(t, source);
            MemoryOverlap.assertNoInternalOverlap(t);
            checkScatter(t, mask, source);
            mask.layout().expand(t.layout().shape(), mask.dtype());
            return InPlace.result(t, s -> scatter(s, mask, source, true), source);
        }
        // out of place, self and mask broadcast before the in-place op's checks
        Shape.broadcast(mask.layout().shape(), t.layout().shape());
        checkScatter(t, mask, source);
        return scatter(t, mask, source, false);
    }

    /**
     * The kernel and its node. In place ({@code memoryOrder}), PyTorch's loop walks self in memory order, so a
     * transposed self takes source's elements column by column; out of place it fills a row-major clone.
     */
    private static Tensor scatter(Tensor t, Tensor mask, Tensor source, boolean memoryOrder) {
        int[] b = Shape.broadcast(mask.layout().shape(), t.layout().shape());
        long[] flat = nonzeroFlat(new Tensor(mask.storage(), mask.layout().expand(b)));
        if (flat.length > source.numel()) throw new IllegalArgumentException("Number of elements of source < number of ones in mask");
        if (memoryOrder) flat = inMemoryOrder(flat, t.layout());
        Tensor out = Kernels.copy(new Tensor(t.storage(), t.layout().expand(b)));
        if (flat.length > 0) {
            Tensor taken = source.detach().reshape(-1).narrow(0, 0, flat.length);
            IndexPlan.ofCoordinates(b, new int[] {flat.length}, Indexing.unravel(flat, b)).put(out, taken, false);
        }
        int[] sourceShape = source.layout().shape();
        return Autograd.record("MaskedScatterBackward0", out, new Tensor[] {t, source}, new Tensor[] {mask}, c -> {
            Tensor m = c.saved(0), g = c.grad();
            Tensor gsource = null;
            if (c.needs(1)) {
                // the selected gradient, padded with zeros to source's size
                Tensor picked = g.maskedSelect(m);
                int missing = Shape.numel(sourceShape) - picked.numel();
                if (missing > 0) picked = Tensor.cat(List.of(picked, Kernels.zeros(new int[] {missing}, g.dtype(), g.device())), 0);
                gsource = picked.view(sourceShape);
            }
            return new Tensor[] {!c.needs(0) ? null : g.maskedFill(m, 0.0), gsource};
        });
    }

    /** Row-major positions of a tensor laid out as {@code l}, sorted by where they sit in memory (ties keep their order). */
    private static long[] inMemoryOrder(long[] flat, Layout l) {
        int[] shape = l.shape(), strides = l.strides();
        int[][] coords = Indexing.unravel(flat, shape);
        long[] offset = new long[flat.length];
        for (int d = 0; d < shape.length; d++) for (int i = 0; i < flat.length; i++) offset[i] += (long) coords[d][i] * strides[d];
        return java.util.stream.IntStream.range(0, flat.length).boxed().sorted(java.util.Comparator.comparingLong(i -> offset[i]))
                .mapToLong(i -> flat[i]).toArray();
    }

    private static void checkScatter(Tensor t, Tensor mask, Tensor source) {
        if (t.dtype() != source.dtype())
            throw new IllegalArgumentException("masked_scatter: expected self and source to have same dtypes but got"
                    + TypePromotion.typeName(t.dtype()) + " and " + TypePromotion.typeName(source.dtype()));
        if (mask.dtype() != DType.BOOL && mask.dtype() != DType.UINT8)
            throw new IllegalArgumentException("masked_scatter: expected BoolTensor or ByteTensor for mask");
        Kernels.checkSameDevice(t, mask);
        Kernels.checkSameDevice(t, source);
    }

    /**
     * {@code nonzero()}: int64 {@code [n, dim]}, the coordinates of the non-zero elements in row-major order.
     * Like PyTorch's CPU kernel it stores them one dim after another, so the result has strides {@code (1, n)}
     * (not contiguous when there are several dims, and {@code view} refuses it as PyTorch does).
     */
    static Tensor nonzero(Tensor t) {
        int[] shape = t.layout().shape();
        long[] flat = nonzeroFlat(t);
        int k = shape.length, n = flat.length;
        long[] out = new long[n * k];
        for (int p = 0; p < n; p++) {
            long rest = flat[p];
            for (int d = k - 1; d >= 0; d--) {
                out[d * n + p] = rest % shape[d];
                rest /= shape[d];
            }
        }
        Tensor columns = Creation.adopt(out, out.length);
        return onDevice(new Tensor(columns.storage(), new Layout(new int[] {n, k}, new int[] {1, n}, 0)), t);
    }

    /**
     * {@code nonzero(as_tuple=True)}: one int64 index per dim (a 0-dim tensor counts as 1-D). As in PyTorch they
     * are the columns of {@link #nonzero}, so they share its storage at offsets {@code 0, n, 2n, ...}.
     */
    static List<Tensor> nonzeroTuple(Tensor t) {
        return nonzero(t.dim() == 0 ? t.unsqueeze(0) : t).unbind(1);
    }

    /** Per dim, the coordinates of the non-zero elements of {@code t} (masks expand into these). */
    static long[][] nonzeroCoordinates(Tensor t) {
        int[] shape = t.layout().shape();
        long[] flat = nonzeroFlat(t);
        int[][] c = Indexing.unravel(flat, shape);
        long[][] out = new long[shape.length][flat.length];
        for (int d = 0; d < shape.length; d++) for (int p = 0; p < flat.length; p++) out[d][p] = c[d][p];
        return out;
    }

    /** Row-major positions of the non-zero elements (NaN counts as non-zero, -0.0 as zero). */
    static long[] nonzeroFlat(Tensor t) {
        HostStorage h = t.toHost();
        int n = t.numel();
        if (t.dtype() == DType.BOOL || t.dtype() == DType.UINT8) {
            // branch-free: a random mask would mispredict half of the branches
            byte[] b = h.bytes();
            int count = 0;
            for (int i = 0; i < n; i++) count += b[i] != 0 ? 1 : 0;
            long[] out = new long[count + 1];
            for (int i = 0, k = 0; i < n; i++) {
                out[k] = i;
                k += b[i] != 0 ? 1 : 0;
            }
            return Arrays.copyOf(out, count);
        }
        int count = 0;
        for (int i = 0; i < n; i++) if (h.getDouble(i) != 0) count++;
        long[] out = new long[count];
        for (int i = 0, k = 0; k < count; i++) if (h.getDouble(i) != 0) out[k++] = i;
        return out;
    }

    private static Tensor onDevice(Tensor host, Tensor like) { return like.device().isCpu() ? host : host.to(like.device()); }
}
