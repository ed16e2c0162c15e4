package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

/**
 * The ops that take floating-point numbers apart: frexp (mantissa in [0.5, 1) and int32 exponent) and nextafter (the
 * neighbouring representable value). Both compute in float64, where every float32 value and every power of two they
 * need is exact, and scale by powers of two in two halves so that subnormal inputs do not overflow 2^-e.
 */
final class FloatParts {
    private FloatParts() {}

    static Tensor.MantissaExponent frexp(Tensor self) {
        if (!self.isFloatingPoint()) throw new IllegalArgumentException("torch.frexp() only supports floating-point dtypes");
        Tensor mantissa = Kernels.empty(Layout.preserving(self.layout()), self.dtype(), self.device());
        Tensor exponent = Kernels.empty(Layout.preserving(self.layout()), DType.INT32, self.device());
        try (var g = GradMode.noGrad()) {
            Tensor x = self.to(DType.FLOAT64), e = exponentOf(x.abs());
            Kernels.write(timesPowerOfTwo(x, e.neg()), mantissa);
            Kernels.write(e, exponent);
        }
        Tensor m = Autograd.record("FrexpBackward0", mantissa, new Tensor[] {self}, new Tensor[] {exponent},
                c -> new Tensor[] {c.grad().div(c.saved(0).exp2())});
        return new Tensor.MantissaExponent(m, exponent);
    }

    /**
     * e with |x| = m 2^e, m in [0.5, 1), for float64 |x|; 0 for 0, inf and NaN (as C's frexp). log2 gives it up to one
     * either way near powers of two, which the mantissa's range then corrects.
     */
    private static Tensor exponentOf(Tensor ax) {
        Tensor regular = ax.isfinite().logicalAnd(ax.ne(0L));
        Tensor e = Tensor.where(regular, Tensor.where(regular, ax, 1.0).log2().floor().add(1.0), 0.0);
        Tensor m = timesPowerOfTwo(ax, e.neg());
        return Tensor.where(regular, Tensor.where(m.ge(1.0), e.add(1.0), Tensor.where(m.lt(0.5), e.sub(1.0), e)), 0.0);
    }

    /** t * 2^k for float64 t and whole k, in two factors so that 2^k of a subnormal's exponent stays finite. */
    private static Tensor timesPowerOfTwo(Tensor t, Tensor k) {
        Tensor half = k.div(2.0).trunc();
        return t.mul(Tensor.pow(2.0, half)).mul(Tensor.pow(2.0, k.sub(half)));
    }

    /**
     * The next value after self towards other in their promoted floating dtype: self one spacing up or down (the
     * spacing below a power of two being half that above), the smallest subnormal from zero, the largest finite value
     * from an infinity, other itself when they are equal, NaN with a NaN. No derivative in PyTorch 1.13.
     */
    static Tensor nextafter(Tensor self, Tensor other) {
        DType rt = PairwiseMath.floatingOnly("nextafter", self, other);
        int[] shape = Shape.broadcast(self.layout().shape(), other.layout().shape());
        Tensor out = Kernels.empty(Kernels.following(shape, rt, self, other), rt, self.device());
        // PyTorch 1.13's CPU kernel has no float16 instance
        if (rt == DType.FLOAT16) throw new IllegalArgumentException("\"nextafter_cpu\" not implemented for 'Half'");
        // significand digits and the exponent of the smallest subnormal
        int digits = rt == DType.FLOAT64 ? 53 : rt == DType.FLOAT32 ? 24 : 8;
        int minExponent = rt == DType.FLOAT64 ? -1074 : rt == DType.FLOAT32 ? -149 : -133;
        try (var g = GradMode.noGrad()) {
            Tensor x = self.to(DType.FLOAT64).expand(shape), y = other.to(rt).to(DType.FLOAT64).expand(shape), ax = x.abs();
            Tensor e = exponentOf(ax), atPowerOfTwo = timesPowerOfTwo(ax, e.neg()).eq(0.5);
            Tensor up = Tensor.pow(2.0, e.sub((double) digits).clampMin(minExponent));
            Tensor down = Tensor.where(atPowerOfTwo, Tensor.pow(2.0, e.sub(digits + 1.0).clampMin(minExponent)), up);
            Tensor rising = y.gt(x), away = rising.eq(x.gt(0L));
            Tensor step = Tensor.where(away, up, down);
            Tensor r = x.add(Tensor.where(rising, step, step.neg()));
            r = Tensor.where(x.eq(0L), Tensor.full(shape, Math.pow(2, minExponent), DType.FLOAT64).copysign(y), r);
            r = Tensor.where(x.isinf(), Tensor.fullLike(x, Scalar.maxFinite(rt)).copysign(x), r);
            r = Tensor.where(x.eq(y).logicalOr(y.isnan()), y, r);
            Kernels.write(r, out);
        }
        return Autograd.record("NextafterBackward0", out, new Tensor[] {self, other}, new Tensor[0], c -> {
            throw new IllegalStateException("the derivative for 'nextafter' is not implemented.");
        });
    }
}
