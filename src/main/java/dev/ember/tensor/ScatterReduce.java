package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.ReduceOp;

import java.util.function.Function;

/**
 * {@code scatter_reduce(dim, index, src, reduce, include_self)} ("sum", "prod", "mean", "amax", "amin") with PyTorch
 * 1.13's backward, and the older {@code scatter(dim, index, src, reduce)} ("add", "multiply"), which 1.13 cannot
 * differentiate. Both run the backend's scatterReduce in index order; checks are {@link Indexing#checkScatter}'s.
 */
final class ScatterReduce {
    private ScatterReduce() {}

    static Tensor scatterReduce(Tensor t, int dim, Tensor index, Tensor src, String reduce, boolean includeSelf, boolean inplace) {
        if (inplace) {
            Autograd.checkInplace(t, src);
            Indexing.checkScatterShapes(t, Shape.wrapDim(dim, t.dim()), index, src, true);
            // the backward needs self as it was (PyTorch saves original_self), so a recorded op computes from a copy
            // standing in self's place in the graph (its node then takes self first, as CopySlices wants), also when
            // only src requires grad
            Tensor self = Autograd.isRecording(t, src) ? InPlace.oldValues(t) : t;
            int d = Shape.wrapDim(dim, t.dim());
            // an unfolded self is written by ATen's steps themselves, each reading the slots as the last write left them
            return InPlace.commit(t, scatterReduce(self, dim, index, src, reduce, includeSelf, false), target -> reduceInto(target, d, index, src, reduce, includeSelf));
        }
        int d = Shape.wrapDim(dim, t.dim());
        Indexing.checkScatterShapes(t, d, index, src, false);
        twoArgumentOp(reduce);
        // bool has no mean kernel; with nothing to scatter that kernel is skipped and the division refuses bool. Without
        // self, the identity is first scattered in, whose kernel checks the index bounds before the mean kernel's dtype
        boolean boolMean = reduce.equals("mean") && t.dtype() == DType.BOOL;
        if (boolMean && !includeSelf) Indexing.checkScatterBounds(t, d, index);
        if (boolMean)
            throw new IllegalArgumentException(index.numel() > 0 ? "\"scatter_gather_tensor_cpu_reduce_mean\" not implemented for 'Bool'"
                    : "\"div_floor_cpu\" not implemented for 'Bool'");
        Indexing.checkScatterBounds(t, d, index);
        Tensor r;
        try (var g = GradMode.noGrad()) {
            r = reduceInto(Kernels.copy(t), d, index, src, reduce, includeSelf);
        }
        return Autograd.record("ScatterReduceBackward0", r, new Tensor[] {t, src}, new Tensor[] {t, index, src, r},
                c -> backward(c.grad(), c.saved(0), d, c.saved(1), c.saved(2), reduce, includeSelf, c.saved(3)));
    }

    private static ReduceOp twoArgumentOp(String reduce) {
        return switch (reduce) {
            case "sum", "mean" -> ReduceOp.SUM;
            case "prod" -> ReduceOp.PROD;
            case "amax" -> ReduceOp.MAX;
            case "amin" -> ReduceOp.MIN;
            default -> throw new IllegalArgumentException("reduce argument must be either sum, prod, mean, amax or amin.");
        };
    }

    /**
     * ATen's scatter_reduce_two steps, written into {@code r} (its checks done). The mean's division returns a new
     * tensor (a fresh result keeps version 0), except into an unfolded r, which it writes as PyTorch's div_ does.
     */
    private static Tensor reduceInto(Tensor r, int d, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        ReduceOp op = twoArgumentOp(reduce);
        // without self, the written positions start from the reduction's identity, and a mean counts only src
        if (!includeSelf) kernel(r, d, index, identity(op, r.dtype(), r.device()).expand(index.layout().shape()), null);
        kernel(r, d, index, src, op);
        if (!reduce.equals("mean")) return r;
        Tensor count = (includeSelf ? Tensor.onesLike(r) : Tensor.zerosLike(r)).scatterAdd(d, index, Tensor.onesLike(src));
        count = count.maskedFill(count.eq(0L), 1.0);
        Function<Tensor[], Tensor> divide = x -> x[0].isFloatingPoint() ? x[0].div(x[1]) : x[0].div(x[1], "floor");
        if (!MemoryOverlap.mayOverlapItself(r)) return divide.apply(new Tensor[] {r, count});
        InPlace.loop(divide, count).accept(r);
        return r;
    }

    /** {@code scatter(dim, index, src, reduce)}: "add" or "multiply" into a copy of self. */
    static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src, String reduce, boolean inplace) {
        return scatter(t, dim, index, src, false, reduce, inplace);
    }

    /** {@code scatter(dim, index, value, reduce)}: the value cast to self's dtype (2.5 multiplies an int64 tensor by 2). */
    static Tensor scatterValue(Tensor t, int dim, Tensor index, double value, String reduce, boolean inplace) {
        Tensor src = Creation.full(new int[0], value, t.dtype(), t.device()).expand(index.layout().shape());
        return scatter(t, dim, index, src, true, reduce, inplace);
    }

    /** With a Python int the value converts unchecked, as C++ casts do: -2 multiplies a uint8 self by 254. */
    static Tensor scatterValue(Tensor t, int dim, Tensor index, long value, String reduce, boolean inplace) {
        Tensor src = Kernels.cast(Creation.full(new int[0], value, DType.INT64, t.device()), t.dtype()).expand(index.layout().shape());
        return scatter(t, dim, index, src, true, reduce, inplace);
    }

    private static Tensor scatter(Tensor t, int dim, Tensor index, Tensor src, boolean isValue, String reduce, boolean inplace) {
        if (!inplace) return scattered(t, dim, index, src, isValue, reduce, "scatter");
        Autograd.checkInplace(t, isValue ? new Tensor[0] : new Tensor[] {src});
        int d = Shape.wrapDim(dim, t.dim());
        Indexing.checkScatterShapes(t, d, index, isValue ? null : src, true);
        ReduceOp op = reduceOp(reduce);
        return InPlace.written(t, s -> scattered(s, dim, index, src, isValue, reduce, "scatter_"), self -> kernel(self, d, index, src, op));
    }

    private static ReduceOp reduceOp(String reduce) {
        return switch (reduce) {
            case "add" -> ReduceOp.SUM;
            case "multiply" -> ReduceOp.PROD;
            default -> throw new IllegalArgumentException("reduce argument must be either add or multiply.");
        };
    }

    /** The out-of-place scatter with reduce; {@code aten} names the op the user called, as its backward error does. */
    private static Tensor scattered(Tensor t, int dim, Tensor index, Tensor src, boolean isValue, String reduce, String aten) {
        int d = Shape.wrapDim(dim, t.dim());
        Indexing.checkScatterShapes(t, d, index, isValue ? null : src, false);
        ReduceOp op = reduceOp(reduce);
        Indexing.checkScatterBounds(t, d, index);
        Tensor r;
        try (var g = GradMode.noGrad()) {
            r = Kernels.copy(t);
            kernel(r, d, index, src, op);
        }
        // PyTorch 1.13 has no derivative for scatter with reduce: it records a NotImplemented node that fails in backward
        return isValue ? Autograd.notImplemented(aten, r, t) : Autograd.notImplemented(aten, r, t, src);
    }

    /** The backend scatter: a plain write for op null (what scatter_(dim, index, value) does). */
    private static void kernel(Tensor dst, int d, Tensor index, Tensor src, ReduceOp op) {
        if (index.numel() == 0) return;
        Tensor s = src.storage() == dst.storage() ? Kernels.copy(src) : src;
        if (op == null) dst.backend().scatter(Indexing.atLeast1d(dst), d, Indexing.atLeast1d(index), Indexing.atLeast1d(s), false);
        else dst.backend().scatterReduce(Indexing.atLeast1d(dst), d, Indexing.atLeast1d(index), Indexing.atLeast1d(s), op);
    }

    /** PyTorch's init value for include_self=False: 0, 1, or the lowest/highest value of the dtype (-inf/inf when it has them). */
    private static Tensor identity(ReduceOp op, DType dtype, Device device) {
        if (op == ReduceOp.SUM || op == ReduceOp.PROD) return Creation.full(new int[0], op == ReduceOp.SUM ? 0 : 1, dtype, device);
        boolean max = op == ReduceOp.MAX;
        if (dtype.isFloatingPoint()) return Creation.full(new int[0], max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, dtype, device);
        long[] range = switch (dtype) {
            case INT8 -> new long[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case UINT8 -> new long[] {0, 255};
            case INT16 -> new long[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case INT32 -> new long[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case BOOL -> new long[] {0, 1};
            default -> new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        };
        return Creation.fullLong(new int[0], max ? range[0] : range[1], dtype, device);
    }

    /** PyTorch 1.13's scatter_reduce_backward, in tensor ops (so it is differentiable again). */
    private static Tensor[] backward(Tensor grad, Tensor self, int d, Tensor index, Tensor src, String reduce, boolean includeSelf, Tensor result) {
        Tensor gSelf, gSrc;
        switch (reduce) {
            case "sum" -> {
                gSelf = grad;
                gSrc = grad.gather(d, index);
            }
            case "prod" -> {
                // exclusive products, computed again with the zeros masked so that a single zero still gets a gradient
                Tensor maskedSelf = self.maskedFill(self.eq(0L), 1.0);
                gSelf = grad.mul(maskedSelf.scatterReduce(d, index, src, "prod", includeSelf)).div(maskedSelf);
                Tensor srcZero = src.eq(0L);
                Tensor zerosThere = Tensor.zerosLike(self).scatterAdd(d, index, srcZero.to(self.dtype())).gather(d, index);
                Tensor singleZero = srcZero.logicalAnd(zerosThere.eq(1L));
                Tensor maskedSrcResult = self.scatterReduce(d, index, src.maskedFill(singleZero, 1.0), "prod", includeSelf);
                gSrc = Tensor.where(singleZero, grad.mul(maskedSrcResult).gather(d, index),
                        grad.mul(result).gather(d, index).div(src.maskedFill(srcZero, 1.0)));
            }
            case "mean" -> {
                Tensor n = (includeSelf ? Tensor.onesLike(grad) : Tensor.zerosLike(grad)).scatterAdd(d, index, Tensor.onesLike(src));
                n = n.maskedFill(n.eq(0L), 1.0);
                gSelf = grad.div(n);
                gSrc = grad.gather(d, index).div(n.gather(d, index));
            }
            default -> {
                // amax / amin: ties with the result share its gradient evenly
                Tensor value = result.gather(d, index);
                Tensor selfIs = self.eq(result), srcIs = src.eq(value);
                Tensor distributed = grad.div(selfIs.to(self.dtype()).scatterAdd(d, index, srcIs.to(self.dtype())));
                gSelf = selfIs.mul(distributed);
                gSrc = srcIs.mul(distributed.gather(d, index));
            }
        }
        if (!includeSelf) gSelf = gSelf.scatter(d, index, 0.0);
        return new Tensor[] {gSelf, gSrc};
    }
}
