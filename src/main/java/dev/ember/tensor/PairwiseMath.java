package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.BinaryOp;

/**
 * The two-input math beyond issue #3's core list: hypot, logaddexp/logaddexp2, copysign, heaviside, float_power and
 * ldexp, broadcasting and promoting as the core binary ops, each with its derivatives.yaml backward.
 */
final class PairwiseMath {
    private PairwiseMath() {}

    /**
     * The promoted dtype of a kernel PyTorch has only for floating types ({@code "hypot_cpu" not implemented for 'Long'}).
     * The shapes are checked first: TensorIterator broadcasts before the kernel's dtype dispatch refuses.
     */
    static DType floatingOnly(String kernel, Tensor a, Tensor b) {
        Shape.broadcast(a.layout().shape(), b.layout().shape());
        DType rt = TypePromotion.resultType(a, b);
        if (!rt.isFloatingPoint()) throw new IllegalArgumentException("\"" + kernel + "_cpu\" not implemented for '" + TypePromotion.typeName(rt) + "'");
        return rt;
    }

    static Tensor hypot(Tensor a, Tensor b) {
        Tensor out = Kernels.binary(BinaryOp.HYPOT, a, b, floatingOnly("hypot", a, b));
        return Autograd.record("HypotBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b, out}, c -> new Tensor[] {
                c.needs(0) ? c.grad().mul(c.saved(0)).div(c.saved(2)) : null,
                c.needs(1) ? c.grad().mul(c.saved(1)).div(c.saved(2)) : null});
    }

    static Tensor logaddexp(Tensor a, Tensor b) {
        Tensor out = Kernels.binary(BinaryOp.LOGADDEXP, a, b, floatingOnly("logaddexp", a, b));
        return Autograd.record("LogaddexpBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> new Tensor[] {
                c.needs(0) ? c.grad().div(c.saved(1).sub(c.saved(0)).exp().add(1.0)) : null,
                c.needs(1) ? c.grad().div(c.saved(0).sub(c.saved(1)).exp().add(1.0)) : null});
    }

    static Tensor logaddexp2(Tensor a, Tensor b) {
        Tensor out = Kernels.binary(BinaryOp.LOGADDEXP2, a, b, floatingOnly("logaddexp2", a, b));
        return Autograd.record("Logaddexp2Backward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> new Tensor[] {
                c.needs(0) ? c.grad().div(Tensor.pow(2.0, c.saved(1).sub(c.saved(0))).add(1.0)) : null,
                c.needs(1) ? c.grad().div(Tensor.pow(2.0, c.saved(0).sub(c.saved(1))).add(1.0)) : null});
    }

    /**
     * {@code fmax}/{@code fmin}: max/min that ignore a NaN on one side (NaN only where both are), promoted as the
     * core binary ops; the gradient goes to a where it was picked ({@code a >= b}, or b is NaN), else to b.
     */
    static Tensor fmax(Tensor a, Tensor b) { return nanIgnoringExtremum(a, b, true); }

    static Tensor fmin(Tensor a, Tensor b) { return nanIgnoringExtremum(a, b, false); }

    private static Tensor nanIgnoringExtremum(Tensor a, Tensor b, boolean max) {
        DType rt = TypePromotion.resultType(a, b);
        Tensor out;
        try (var ng = dev.ember.autograd.GradMode.noGrad()) {
            Tensor x = a.to(rt), y = b.to(rt);
            // both NaN, b's NaN, as std::fmax and PyTorch's vector kernel give it (the gradient's mask still picks a)
            out = Tensor.where(picksFirst(x, y, max).logicalAnd(x.isnan().logicalNot().logicalOr(y.isnan().logicalNot())), x, y);
        }
        return Autograd.record(max ? "FmaxBackward0" : "FminBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> {
            Tensor first = picksFirst(c.saved(0), c.saved(1), max);
            return new Tensor[] {c.needs(0) ? c.grad().maskedFill(first.logicalNot(), 0.0) : null, c.needs(1) ? c.grad().maskedFill(first, 0.0) : null};
        });
    }

    private static Tensor picksFirst(Tensor a, Tensor b, boolean max) { return (max ? a.ge(b) : a.le(b)).logicalOr(b.isnan()); }

    /** |a| with the sign of b (its sign bit: -0.0 and -NaN count as negative); integers compute in float32. */
    static Tensor copysign(Tensor a, Tensor b) {
        Tensor out = Kernels.binary(BinaryOp.COPYSIGN, a, b, TypePromotion.toFloating(TypePromotion.resultType(a, b)));
        return Autograd.record("CopysignBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, out}, c -> new Tensor[] {
                c.needs(0) ? selfGrad(c.grad(), c.saved(0), c.saved(1)) : null,
                c.needs(1) ? Tensor.zerosLike(b) : null});
    }

    static Tensor copysign(Tensor a, double sign) {
        Tensor out = Kernels.binary(BinaryOp.COPYSIGN, a, a.wrap(sign), TypePromotion.toFloating(a.dtype()));
        return Autograd.record("CopysignBackward1", out, new Tensor[] {a}, new Tensor[] {a, out}, c -> new Tensor[] {selfGrad(c.grad(), c.saved(0), c.saved(1))});
    }

    /** copysign_tensor_self_backward: grad * result / self, 0 where self is 0. */
    private static Tensor selfGrad(Tensor grad, Tensor self, Tensor result) { return grad.mul(result.div(self).maskedFill(self.eq(0.0), 0.0)); }

    /** 0 below zero, 1 above, {@code values} at zero; both tensors of one dtype, and no derivative ({@code aten} names the op). */
    static Tensor heaviside(Tensor a, Tensor values, String aten) {
        if (a.dtype() != values.dtype()) throw new IllegalArgumentException("heaviside is not yet implemented for tensors with different dtypes.");
        return Autograd.notImplemented(aten, Kernels.binary(BinaryOp.HEAVISIDE, a, values, a.dtype()), a, values);
    }

    /** pow in float64 whatever the operands: both cast first, so the graph is PowBackward1 over two ToCopyBackward0. */
    static Tensor floatPower(Tensor a, Tensor exponent) { return a.to(DType.FLOAT64).pow(exponent.to(DType.FLOAT64)); }

    static Tensor floatPower(Tensor a, double exponent) { return a.to(DType.FLOAT64).pow(exponent); }

    static Tensor floatPower(double base, Tensor exponent) { return Tensor.pow(base, exponent.to(DType.FLOAT64)); }

    /** float_power_ writes float64 results, so self must already be float64. */
    static void checkFloatPowerSelf(Tensor self) {
        if (self.dtype() != DType.FLOAT64)
            throw new IllegalArgumentException("the base given to float_power_ has dtype " + TypePromotion.typeName(self.dtype())
                    + " but the operation's result requires dtype Double");
    }

    /** self * 2^other, as PyTorch composes it. */
    static Tensor ldexp(Tensor a, Tensor other) { return a.mul(Tensor.pow(2.0, other)); }

    /** {@code mul_out(self, self, 2 ** other)}, as PyTorch writes ldexp_: its out= rules, its refusal of autograd. */
    static Tensor ldexp_(Tensor self, Tensor other) { return InPlace.binaryOut(BinaryOp.MUL, self, Tensor.pow(2.0, other), self); }

    /**
     * The regularized incomplete gammas P(a, x) ({@code igamma}, torch.special.gammainc) and Q(a, x) ({@code igammac},
     * gammaincc), computed in double and rounded once. PyTorch 1.13 differentiates them in x only: the derivative in a
     * fails when asked for.
     */
    static Tensor igamma(Tensor a, Tensor x, boolean upper) {
        String name = upper ? "igammac" : "igamma";
        Tensor out = Kernels.binary(upper ? BinaryOp.IGAMMAC : BinaryOp.IGAMMA, a, x, floatingOnly(name, a, x));
        return Autograd.record(upper ? "IgammacBackward0" : "IgammaBackward0", out, new Tensor[] {a, x}, new Tensor[] {a, x}, c -> {
            if (c.needs(0)) throw new IllegalStateException("the derivative for '" + name + ": input' is not implemented.");
            // d/dx P(a, x) = x^(a-1) e^-x / Gamma(a)
            Tensor density = c.saved(0).sub(1L).mul(c.saved(1).log()).sub(c.saved(1)).sub(c.saved(0).lgamma()).exp();
            return new Tensor[] {null, upper ? c.grad().neg().mul(density) : c.grad().mul(density)};
        });
    }
}
