package dev.ember.tensor;

import dev.ember.autograd.Autograd;

/**
 * {@code put(index, source, accumulate)} and {@code put_}: source's elements written (or added) at positions of the
 * row-major flattened self, negative ones counted from the end, take's inverse. Checks in PyTorch 1.13's order and
 * words; duplicates without accumulate keep the last write, as its loop does.
 */
final class Put {
    private Put() {}

    static Tensor put(Tensor t, Tensor index, Tensor source, boolean accumulate, boolean inplace) {
        if (inplace) {
            // autograd's check, then put_'s own checks, then the overlap checks (seed 369484)
            Autograd.checkInplace(t, source);
            check(t, index, source);
            return InPlace.result(t, s -> put(s, index, source, accumulate, false), source);
        }
        check(t, index, source);
        int numel = t.numel();
        long[] flat = Indexing.flatIndices(index, numel);
        int[] shape = t.layout().shape();
        int[] sourceShape = source.layout().shape();
        Tensor values = source.detach().reshape(-1);
        // PyTorch walks source and index (reshaped to source's shape) with a TensorIterator, whose dim order follows
        // their strides: the write that lands last on a duplicate index, or the order of the sums, is that order's
        long[] visit = visitOrder(sourceShape, Layout.iterationOrder(sourceShape, source.layout(), index.reshape(sourceShape).layout()));
        if (visit != null) {
            long[] inOrder = new long[flat.length];
            for (int i = 0; i < flat.length; i++) inOrder[i] = flat[(int) visit[i]];
            flat = inOrder;
            values = values.take(Tensor.tensor(visit));
        }
        Tensor out = Kernels.copyPreserving(t);
        IndexPlan.ofCoordinates(shape, new int[] {flat.length}, Indexing.unravel(flat, shape)).put(out, values, accumulate);
        // PyTorch's node saves index (both formulas read it) and source only for source's own gradient (self's formula
        // needs just its shape), unpacking both before the rule: a later write to source fails backward only then
        Tensor[] saved = {index, Autograd.savedFor(source, source)};
        return Autograd.record("PutBackward0", out, new Tensor[] {t, source}, saved, c -> {
            c.unpackAll();
            Tensor flatIndex = c.saved(0);
            return new Tensor[] {
                    !c.needs(0) ? null : accumulate ? c.grad() : c.grad().put(flatIndex, Kernels.zeros(sourceShape, c.grad().dtype(), c.grad().device()), false),
                    !c.needs(1) ? null : c.grad().take(flatIndex).reshape(sourceShape)};
        });
    }

    /** The row-major positions of {@code shape} as a walk with dim {@code fastest[0]} innermost visits them; null when row-major. */
    private static long[] visitOrder(int[] shape, int[] fastest) {
        int nd = shape.length, n = Shape.numel(shape);
        boolean rowMajor = true;
        for (int k = 0; k < nd; k++) rowMajor &= fastest[k] == nd - 1 - k;
        if (rowMajor) return null;
        int[] rowStride = new int[nd], idx = new int[nd];
        for (int d = nd - 1, st = 1; d >= 0; d--) {
            rowStride[d] = st;
            st *= shape[d];
        }
        long[] positions = new long[n];
        for (int i = 0; i < n; i++) {
            long p = 0;
            for (int d = 0; d < nd; d++) p += (long) idx[d] * rowStride[d];
            positions[i] = p;
            for (int k = 0; k < nd; k++) {
                int d = fastest[k];
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return positions;
    }

    private static void check(Tensor t, Tensor index, Tensor source) {
        if (index.dtype() != DType.INT64)
            throw new IllegalArgumentException("put_(): Expected a long tensor for index, but got " + TypePromotion.typeName(index.dtype()));
        if (t.dtype() != source.dtype())
            throw new IllegalArgumentException("put_(): self and source expected to have the same dtype, but got self.dtype = "
                    + TypePromotion.typeName(t.dtype()) + " and source.dtype = " + TypePromotion.typeName(source.dtype()));
        Kernels.checkSameDevice(t, index);
        Kernels.checkSameDevice(t, source);
        if (source.numel() != index.numel())
            throw new IndexOutOfBoundsException("put_(): Expected source and index to have the same number of elements, but got source.numel() = "
                    + source.numel() + ", index.numel() = " + index.numel());
        if (t.numel() == 0 && index.numel() != 0) throw new IndexOutOfBoundsException("put_(): Tried to put elements into an empty tensor");
    }
}
