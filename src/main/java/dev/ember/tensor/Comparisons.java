package dev.ember.tensor;

import dev.ember.autograd.Autograd;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;

/**
 * Comparisons ({@code eq}, {@code lt}, ... computed in the promoted type, with bool results) and the tests built on
 * them: {@code equal}, {@code isclose}, {@code allclose}.
 */
final class Comparisons {
    private Comparisons() {}

    static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        return Kernels.binary(op, a, b, TypePromotion.resultType(a, b));
    }

    /**
     * {@code self.eq_(other)} and the other in-place comparisons: 1/0 written in self's own dtype. With autograd self
     * takes PyTorch's node, whose gradients are zeros ({@code EqBackward1}; {@code EqBackward0} against a number).
     */
    static Tensor compare_(BinaryOp op, Tensor self, Tensor other, boolean number) {
        String node = switch (op) {
            case EQ -> "Eq";
            case NE -> "Ne";
            case LT -> "Lt";
            case LE -> "Le";
            case GT -> "Gt";
            case GE -> "Ge";
            default -> throw new IllegalArgumentException(op + " is not a comparison");
        } + (number ? "Backward0" : "Backward1");
        return InPlace.pointwise(self, x -> {
            Tensor values = compare(op, x[0], x[1]).to(x[0].dtype());
            Tensor[] inputs = number ? new Tensor[] {x[0]} : new Tensor[] {x[0], x[1]};
            return Autograd.record(node, values, inputs, new Tensor[0], c -> number ? new Tensor[] {Tensor.zerosLike(x[0])}
                    : new Tensor[] {Tensor.zerosLike(x[0]), Tensor.zerosLike(x[1])});
        }, other);
    }

    /**
     * {@code self.logical_and_(other)} and its siblings: 1/0 in self's dtype. PyTorch 1.13 has no derivative for the
     * logical ops, so their in-place forms are not tracked at all: self keeps its grad_fn (a leaf that requires grad
     * may be written too) and only its version moves, which a saved self still notices.
     */
    static Tensor logical_(BinaryOp op, Tensor self, Tensor other) {
        try (var g = GradMode.noGrad()) {
            return InPlace.pointwise(self, x -> compare(op, x[0], x[1]), other);
        }
    }

    /** {@code self.logical_not_()}, untracked as {@link #logical_} is. */
    static Tensor logicalNot_(Tensor self) {
        try (var g = GradMode.noGrad()) {
            return InPlace.pointwise(self, Tensor::logicalNot);
        }
    }

    static boolean equal(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.layout().shape(), b.layout().shape())) return false;
        if (a.numel() == 0) return true;
        return compare(BinaryOp.EQ, a, b).all().itemBool();
    }

    /**
     * {@code torch.isclose}: {@code |a - b| <= atol + rtol * |b|} with a finite error, or equal (infinities of one
     * sign), or both NaN when {@code equalNan}. Integer and bool inputs are compared as float32, as in ATen.
     */
    static Tensor isclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        if (a.dtype() != b.dtype()) throw new IllegalArgumentException(TypePromotion.typeName(a.dtype()) + " did not match " + TypePromotion.typeName(b.dtype()));
        if (rtol < 0) throw new IllegalArgumentException("rtol must be greater than or equal to zero, but got " + NumberFormat.cpp(rtol));
        if (atol < 0) throw new IllegalArgumentException("atol must be greater than or equal to zero, but got " + NumberFormat.cpp(atol));
        try (var g = GradMode.noGrad()) {
            Tensor close = a.eq(b);
            if (equalNan && a.isFloatingPoint()) {
                // (self != self).__iand__(other != other): in place, so other may not broadcast self's shape wider
                int[] shape = a.layout().shape(), wide = Shape.broadcast(shape, b.layout().shape());
                if (!java.util.Arrays.equals(shape, wide))
                    throw new IllegalArgumentException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape " + Shape.str(wide));
                Tensor nans = a.isnan().logicalAnd(b.isnan());
                close = InPlace.result(close, s -> s.logicalOr(nans), nans);
            }
            if (rtol == 0 && atol == 0) return close;
            Tensor x = a.isFloatingPoint() ? a : a.to(DType.FLOAT32), y = b.isFloatingPoint() ? b : b.to(DType.FLOAT32);
            Tensor allowed = y.mul(rtol).abs().add(atol), actual = x.sub(y).abs();
            // |= in place, as ATen does: the result keeps the strides of self == other
            Tensor near = actual.isfinite().logicalAnd(actual.le(allowed));
            return InPlace.result(close, s -> s.logicalOr(near), near);
        }
    }

    static boolean allclose(Tensor a, Tensor b, double rtol, double atol, boolean equalNan) {
        return isclose(a, b, rtol, atol, equalNan).all().itemBool();
    }
}
