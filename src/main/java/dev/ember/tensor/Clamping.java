package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.BinaryOp;

/**
 * {@code clamp}, {@code clamp_min} and {@code clamp_max} with number or tensor bounds, with backward rules. PyTorch
 * clamps in one kernel; Ember runs a min step then a max step, laying the second out as that one kernel would.
 */
final class Clamping {
    private Clamping() {}

    /** {@code clamp(min, max)} with numbers; either may be null. An int bound keeps an integer tensor integral. */
    static Tensor clamp(Tensor t, Scalar min, Scalar max) { return clamp(t, min, max, "ClampBackward1"); }

    static Tensor clampMin(Tensor t, Scalar min) { return clamp(t, min, null, "ClampMinBackward0"); }

    static Tensor clampMax(Tensor t, Scalar max) { return clamp(t, null, max, "ClampMaxBackward0"); }

    /** A nullable Python float bound. */
    static Scalar bound(Double v) { return v == null ? null : Scalar.of(v); }

    private static Tensor clamp(Tensor t, Scalar min, Scalar max, String name) {
        if (min == null && max == null) throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        // the kernel converts both bounds to the result type before clamping (checked_convert)
        Tensor lo = min == null ? null : Pointwise.wrapScalar(t, min), hi = max == null ? null : Pointwise.wrapScalar(t, max);
        if (lo != null) min.checkedFor(TypePromotion.resultType(t, lo));
        if (hi != null) max.checkedFor(TypePromotion.resultType(t, hi));
        Tensor out = t;
        if (lo != null) out = Kernels.unaryWithScalar(BinaryOp.CLAMP_MIN, out, lo, TypePromotion.resultType(t, lo));
        if (hi != null) {
            DType rt = TypePromotion.resultType(out, hi);
            // PyTorch clamps in one kernel over t: the second step is laid out from t, not from the first step's result
            out = Kernels.unaryWithScalar(BinaryOp.CLAMP_MAX, out, hi, rt, lo == null ? null : Kernels.following(t.layout().shape(), rt, t));
        }
        // NaN inputs and NaN bounds give NaN, a tie keeps the input's zero sign, and min > max gives max, as in PyTorch.
        return Autograd.record(name, out, new Tensor[] {t}, new Tensor[] {t}, c -> {
            Tensor x = c.saved(0);
            Tensor keep = min != null ? x.ge(min.toDouble()) : null;
            if (max != null) keep = keep == null ? x.le(max.toDouble()) : keep.logicalAnd(x.le(max.toDouble()));
            return new Tensor[] {Tensor.where(keep, c.grad(), 0.0)};
        });
    }

    static Tensor clamp(Tensor t, Tensor min, Tensor max) {
        if (min == null && max == null) throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        // with both bounds PyTorch runs one ternary kernel, which has no bool version (one bound takes max/min's)
        if (min != null && max != null) {
            Shape.broadcast(t.layout().shape(), min.layout().shape(), max.layout().shape()); // its shape error comes first
            if (TypePromotion.resultType(t, min, max) == DType.BOOL) throw new IllegalArgumentException("\"clamp_cpu\" not implemented for 'Bool'");
        }
        // the ternary kernel promotes the three together: uint8 t, a 0-dim float64 min and a float32 max give float32
        DType both = min != null && max != null ? TypePromotion.resultType(t, min, max) : null;
        Tensor out = t;
        if (min != null) out = both == null ? Kernels.binary(BinaryOp.CLAMP_MIN, out, min) : Kernels.binary(BinaryOp.CLAMP_MIN, out, min, both);
        if (max != null) {
            DType rt = both != null ? both : TypePromotion.resultType(out, max);
            // one ternary kernel over t, min and max in PyTorch, so the result is laid out from all three
            Layout l = min == null ? null : Kernels.following(Shape.broadcast(t.layout().shape(), min.layout().shape(), max.layout().shape()), rt, t, min, max);
            out = Kernels.binary(BinaryOp.CLAMP_MAX, out, max, rt, l);
        }
        return Autograd.record("ClampBackward0", out, new Tensor[] {t, min, max}, new Tensor[] {t, min, max}, c -> {
            Tensor x = c.saved(0), lo = c.saved(1), hi = c.saved(2), g = c.grad();
            Tensor keep = lo != null ? x.ge(lo) : null;
            if (hi != null) keep = keep == null ? x.le(hi) : keep.logicalAnd(x.le(hi));
            Tensor gx = Tensor.where(keep, g, 0.0);
            // PyTorch's clamp_backward_min_max: when min > max the result is max, so min gets nothing
            Tensor gmin = lo == null || !c.needs(1) ? null
                    : Tensor.where(hi == null ? x.lt(lo) : x.lt(lo).logicalAnd(lo.lt(hi)), g, 0.0);
            Tensor gmax = hi == null || !c.needs(2) ? null
                    : Tensor.where(lo == null ? x.gt(hi) : x.gt(hi).logicalOr(hi.lt(lo)), g, 0.0);
            return new Tensor[] {gx, gmin, gmax};
        });
    }
}
