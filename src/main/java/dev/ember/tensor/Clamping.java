package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.BinaryOp;

/**
 * {@code clamp}, {@code clamp_min} and {@code clamp_max} with number or tensor bounds, with backward rules. PyTorch
 * clamps in one kernel; Ember runs a min step then a max step, laying the second out as that one kernel would.
 */
final class Clamping {
    private Clamping() {}

    static Tensor clamp(Tensor t, Double min, Double max) {
        return clamp(t, min, max, "ClampBackward1");
    }

    /** clamp with integer bounds keeps an integer tensor's dtype. */
    static Tensor clamp(Tensor t, long min, long max) {
        Scalar.of(min).checkedFor(TypePromotion.resultType(t, Pointwise.wrapScalar(t, min)));
        Scalar.of(max).checkedFor(TypePromotion.resultType(t, Pointwise.wrapScalar(t, max)));
        DType rt = TypePromotion.resultType(t, Pointwise.wrapScalar(t, min));
        Tensor out = Kernels.unaryWithScalar(BinaryOp.CLAMP_MIN, t, Pointwise.wrapScalar(t, min), rt);
        // PyTorch clamps in one kernel over t: the second step is laid out from t, not from the first step's result
        out = Kernels.unaryWithScalar(BinaryOp.CLAMP_MAX, out, Pointwise.wrapScalar(t, max), rt, Kernels.following(t.layout().shape(), rt, t));
        return Autograd.record("ClampBackward1", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {Tensor.where(c.saved(0).ge((double) min).logicalAnd(c.saved(0).le((double) max)), c.grad(), 0.0)});
    }

    static Tensor clampMin(Tensor t, double min) { return clamp(t, min, null, "ClampMinBackward0"); }

    static Tensor clampMax(Tensor t, double max) { return clamp(t, null, max, "ClampMaxBackward0"); }

    private static Tensor clamp(Tensor t, Double min, Double max, String name) {
        if (min == null && max == null) throw new IllegalArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        Tensor out = t;
        if (min != null) Scalar.of(min).checkedFor(TypePromotion.resultType(t, Pointwise.wrapScalar(t, min)));
        if (max != null) Scalar.of(max).checkedFor(TypePromotion.resultType(t, Pointwise.wrapScalar(t, max)));
        if (min != null) out = Kernels.unaryWithScalar(BinaryOp.CLAMP_MIN, out, Pointwise.wrapScalar(t, min), TypePromotion.resultType(t, Pointwise.wrapScalar(t, min)));
        if (max != null) {
            DType rt = TypePromotion.resultType(out, Pointwise.wrapScalar(t, max));
            // PyTorch clamps in one kernel over t: the second step is laid out from t, not from the first step's result
            out = Kernels.unaryWithScalar(BinaryOp.CLAMP_MAX, out, Pointwise.wrapScalar(t, max), rt, min == null ? null : Kernels.following(t.layout().shape(), rt, t));
        }
        // NaN inputs and NaN bounds give NaN, a tie keeps the input's zero sign, and min > max gives max, as in PyTorch.
        return Autograd.record(name, out, new Tensor[] {t}, new Tensor[] {t}, c -> {
            Tensor x = c.saved(0);
            Tensor keep = min != null ? x.ge(min) : null;
            if (max != null) keep = keep == null ? x.le(max) : keep.logicalAnd(x.le(max));
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
        Tensor out = t;
        if (min != null) out = Kernels.binary(BinaryOp.CLAMP_MIN, out, min);
        if (max != null) {
            DType rt = TypePromotion.resultType(out, max);
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
