package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.Tensor.ValuesIndices;
import dev.ember.tensor.spi.Strided;

/**
 * {@code median}, {@code nanmedian}, {@code kthvalue} and {@code mode}: reductions that pick one element per line,
 * returning it with its index as {@code max(dim)} does, with PyTorch 1.13's checks in PyTorch's order (dim, empty
 * reduction dim, k, then the kernel's dtype) and its backward rules.
 */
final class OrderStatistics {
    private OrderStatistics() {}

    /** A backend kernel writing one selected element per line along the op's dim (kept as size 1). */
    @FunctionalInterface
    interface LineKernel {
        void run(Strided src, Strided values, Strided indices);
    }

    /** {@code median()} / {@code nanmedian()}: an empty tensor gives NaN cast to its dtype, before any dtype check. */
    static Tensor medianAll(Tensor t, boolean ignoreNan) {
        Tensor r;
        if (t.numel() == 0) {
            r = Kernels.cast(Creation.full(new int[0], Double.NaN, DType.FLOAT32, t.device()), t.dtype());
        } else {
            checkKernel(t, "median_cpu");
            // PyTorch selects from a clone, whose memory order decides which of -0.0 and 0.0 is the median
            Tensor clone = Kernels.copyPreserving(t);
            Tensor line = Tensor.of(clone.storage(), Layout.contiguous(t.numel()));
            r = Kernels.empty(new int[0], t.dtype(), t.device());
            t.backend().medianAll(line.strided(), ignoreNan, r.strided());
        }
        return Autograd.record(ignoreNan ? "NanmedianBackward0" : "MedianBackward0", r, new Tensor[] {t}, new Tensor[] {t, r},
                c -> new Tensor[] {Reductions.evenlyDistribute(c.grad(), c.saved(0), c.saved(1))});
    }

    static ValuesIndices median(Tensor t, int dim, boolean keepdim, boolean ignoreNan) {
        int d = Shape.wrapDim(dim, t.dim());
        checkReductionDim(t, d, "median()");
        checkKernel(t, "median_out");
        return selectAlong(ignoreNan ? "NanmedianBackward1" : "MedianBackward1", t, d, keepdim,
                (s, v, i) -> t.backend().median(s, d, ignoreNan, v, i));
    }

    static ValuesIndices kthvalue(Tensor t, int k, int dim, boolean keepdim) {
        int d = Shape.wrapDim(dim, t.dim());
        checkReductionDim(t, d, "kthvalue()");
        if (k < 1 || k > (t.dim() == 0 ? 1 : t.layout().shape()[d]))
            throw new IllegalArgumentException("kthvalue(): selected number k out of range for dimension " + d);
        if (t.dim() > 0) checkKernel(t, "kthvalue_cpu"); // a 0-dim input is its own k-th value, no kernel runs
        return selectAlong("KthvalueBackward0", t, d, keepdim, (s, v, i) -> t.backend().kthvalue(s, k, d, v, i));
    }

    /** {@code mode(dim)}: every dtype, bool and float16 included. */
    static ValuesIndices mode(Tensor t, int dim, boolean keepdim) {
        int d = Shape.wrapDim(dim, t.dim());
        checkReductionDim(t, d, "mode()");
        return selectAlong("ModeBackward0", t, d, keepdim, (s, v, i) -> t.backend().mode(s, d, v, i));
    }

    /**
     * Runs a selecting kernel along {@code d} and records PyTorch's value_selecting_reduction_backward: the
     * gradient goes to the selected index. A 0-dim input selects itself at index 0.
     */
    static ValuesIndices selectAlong(String node, Tensor t, int d, boolean keepdim, LineKernel kernel) {
        int[] in = t.layout().shape();
        if (t.dim() == 0) {
            Tensor index = Kernels.zeros(new int[0], DType.INT64, t.device());
            // the index is saved here too, so an in-place change to it fails backward as in PyTorch
            Tensor[] outs = Autograd.recordMulti(node, new Tensor[] {Kernels.copy(t), index}, new Tensor[] {t}, new Tensor[] {index}, c -> {
                c.saved(0);
                return new Tensor[] {c.grad(0)};
            });
            return new ValuesIndices(outs[0], outs[1]);
        }
        int[] shape = in.clone();
        shape[d] = 1;
        Tensor values = Kernels.empty(shape, t.dtype(), t.device()), indices = Kernels.empty(shape, DType.INT64, t.device());
        kernel.run(t.strided(), values.strided(), indices.strided());
        int[] rd = {d};
        Tensor v = Reductions.squeezeReduced(values, rd, keepdim), i = Reductions.squeezeReduced(indices, rd, keepdim);
        // the returned indices are what is saved, as in PyTorch, so writing to them in place fails backward as there
        Autograd.recordMulti(node, new Tensor[] {v, i}, new Tensor[] {t}, new Tensor[] {i}, c -> new Tensor[] {Sorting.scatterAlong(
                Reductions.unsqueezeReduced(c.grad(0), rd, keepdim), d, Reductions.unsqueezeReduced(c.saved(0), rd, keepdim), in)});
        return new ValuesIndices(v, i);
    }

    /** PyTorch's zero_numel_check_dims: a reduction dim of size 0 has nothing to select (an IndexError there). */
    static void checkReductionDim(Tensor t, int d, String op) {
        if (t.dim() > 0 && t.layout().shape()[d] == 0)
            throw new IndexOutOfBoundsException(op + ": Expected reduction dim " + d + " to have non-zero size.");
    }

    /** These CPU kernels of PyTorch 1.13 dispatch over the integer types, float32/64 and bfloat16: not bool, not float16. */
    private static void checkKernel(Tensor t, String kernel) {
        if (t.dtype() == DType.BOOL || (t.dtype() == DType.FLOAT16 && t.device().isCpu()))
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
    }
}
