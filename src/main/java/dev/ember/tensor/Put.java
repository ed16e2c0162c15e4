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
        Tensor out = Kernels.copyPreserving(t);
        IndexPlan.ofCoordinates(shape, new int[] {flat.length}, Indexing.unravel(flat, shape)).put(out, source.detach().reshape(-1), accumulate);
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
