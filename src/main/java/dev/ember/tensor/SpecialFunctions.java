package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.UnaryOp;

/**
 * The one-input math beyond issue #3's core list, each with its derivatives.yaml backward: inverse hyperbolics,
 * erfc/erfinv, the gamma family (lgamma, digamma, polygamma), sinc, logit, deg2rad/rad2deg, nan_to_num and signbit.
 * Integer and bool inputs compute in float32, as PyTorch promotes them.
 */
final class SpecialFunctions {
    private SpecialFunctions() {}

    private static Tensor floatUnary(UnaryOp op, Tensor t) { return Pointwise.floatUnary(op, t); }

    /** The input as the floating dtype it computes in: itself when floating, float32 for integers and bool. */
    private static Tensor floating(Tensor t) { return t.to(TypePromotion.toFloating(t.dtype())); }

    static Tensor asinh(Tensor t) {
        return Autograd.record("AsinhBackward0", floatUnary(UnaryOp.ASINH, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(c.saved(0).pow(2.0).add(1.0).rsqrt())});
    }

    static Tensor acosh(Tensor t) {
        return Autograd.record("AcoshBackward0", floatUnary(UnaryOp.ACOSH, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(c.saved(0).pow(2.0).sub(1.0).rsqrt())});
    }

    static Tensor atanh(Tensor t) {
        return Autograd.record("AtanhBackward0", floatUnary(UnaryOp.ATANH, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().div(c.saved(0).pow(2.0).neg().add(1.0))});
    }

    static Tensor erfc(Tensor t) {
        return Autograd.record("ErfcBackward0", floatUnary(UnaryOp.ERFC, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.saved(0).pow(2.0).neg().exp().mul(-2 / Math.sqrt(Math.PI)).mul(c.grad())});
    }

    static Tensor erfinv(Tensor t) {
        return Autograd.record("ErfinvBackward0", floatUnary(UnaryOp.ERFINV, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.saved(0).erfinv().pow(2.0).exp().mul(0.5 * Math.sqrt(Math.PI)).mul(c.grad())});
    }

    static Tensor lgamma(Tensor t) {
        return Autograd.record("LgammaBackward0", floatUnary(UnaryOp.LGAMMA, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(c.saved(0).digamma())});
    }

    static Tensor digamma(Tensor t) {
        return Autograd.record("DigammaBackward0", floatUnary(UnaryOp.DIGAMMA, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(polygamma(1, c.saved(0)))});
    }

    /**
     * The n-th derivative of digamma: digamma itself for n = 0, else (-1)^(n+1) n! zeta(n + 1, x) as PyTorch's
     * calc_polygamma, the zeta summed in double and the product rounded to the input's dtype once.
     */
    static Tensor polygamma(int n, Tensor t) { return polygamma(n, t, "PolygammaBackward0"); }

    /** polygamma with its node named: {@code polygamma_} records PolygammaBackward1. */
    static Tensor polygamma(int n, Tensor t, String node) {
        if (n < 0) throw new IllegalArgumentException("polygamma(n, x) does not support negative n.");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            if (n == 0) out = floatUnary(UnaryOp.DIGAMMA, t);
            else if (n == 1) out = trigamma(floating(t));
            else {
                DType dtype = TypePromotion.toFloating(t.dtype());
                double factorial = 1;
                for (int k = 2; k <= n; k++) factorial *= k;
                Tensor x = t.to(DType.FLOAT64);
                Tensor zeta = Kernels.binary(dev.ember.tensor.spi.BinaryOp.ZETA, Tensor.fullLike(x, n + 1.0), x, DType.FLOAT64);
                out = zeta.mul((n % 2 == 1 ? 1 : -1) * factorial).to(dtype);
            }
        }
        return Autograd.record(node, out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(polygamma(n + 1, c.saved(0)))});
    }

    /**
     * PyTorch's calc_trigamma, in the input's dtype as it computes: the reflection -pi^2 / sin^2(pi x) below 1/2 (so
     * a negative integer gives the large finite value float rounding of sin(pi x) leaves, 1.29e15 at -1 in float32),
     * six recurrence steps, then the asymptotic series.
     */
    private static Tensor trigamma(Tensor x) {
        Tensor reflect = x.lt(0.5), sinPiX = x.mul(Math.PI).sin();
        Tensor result = Tensor.where(reflect, sinPiX.mul(sinPiX).reciprocal().mul(-Math.PI * Math.PI), Tensor.zerosLike(x));
        x = Tensor.where(reflect, x.neg().add(1.0), x);
        for (int i = 0; i < 6; i++) {
            result = result.add(x.mul(x).reciprocal());
            x = x.add(1.0);
        }
        Tensor ixx = x.mul(x).reciprocal();
        Tensor series = ixx.mul(ixx.mul(ixx.mul(-1.0 / 42).add(1.0 / 30)).neg().add(1.0 / 6));
        result = result.add(x.mul(2.0).reciprocal().add(1.0).add(series).div(x));
        return Tensor.where(reflect, result.neg(), result);
    }

    /**
     * sin(pi x) / (pi x), 1 at 0, in the input's dtype as PyTorch's kernel computes it: float32's pi * x rounds to
     * float first, so sinc(1.0f) is -2.78e-8, the sine of float pi over float pi.
     */
    static Tensor sinc(Tensor t) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor px = floating(t).mul(Math.PI);
            out = Tensor.where(t.eq(0L), 1.0, px.sin().div(px));
        }
        // FunctionsManual's sinc_backward: grad * (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 where that denominator is 0
        return Autograd.record("SincBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> {
            Tensor x = c.saved(0), selfPi = x.mul(Math.PI), selfSquaredPi = x.mul(x).mul(Math.PI);
            Tensor grad = c.grad().mul(selfPi.mul(selfPi.cos()).sub(selfPi.sin())).div(selfSquaredPi);
            return new Tensor[] {Tensor.where(selfSquaredPi.eq(0.0), Tensor.zeros(new int[0], grad.dtype()), grad)};
        });
    }

    /**
     * log(x / (1 - x)), x first clamped to [eps, 1 - eps] when {@code eps} is given and not negative. The gradient is
     * NaN outside [0, 1] without eps and 0 outside [eps, 1 - eps] with it, as logit_backward.
     */
    private static final double NEGATIVE_NAN = Double.longBitsToDouble(0xFFF8_0000_0000_0000L);

    static Tensor logit(Tensor t, Double eps) {
        boolean clamp = eps != null && eps >= 0;
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor x = floating(t);
            if (clamp) x = x.clamp(eps, 1 - eps);
            out = x.div(x.neg().add(1.0)).log();
            // outside [0, 1] the log of a negative ratio: +nan from the vectorized loop (Sleef), -nan from the
            // scalar one (std::log); written without a version bump, ATen's result being one kernel's fresh output
            Tensor outside = x.lt(0.0).logicalOr(x.gt(1.0)), vectorized = KernelLoops.vectorized(x);
            Kernels.write(out.maskedFill(vectorized == null ? outside : outside.logicalAnd(vectorized.logicalNot()), NEGATIVE_NAN), out);
        }
        return Autograd.record("LogitBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> {
            Tensor x = c.saved(0), grad = c.grad().div(x.mul(x.neg().add(1.0)));
            if (!clamp) return new Tensor[] {Tensor.where(x.lt(0.0).logicalOr(x.gt(1.0)), Double.NaN, grad)};
            return new Tensor[] {Tensor.where(x.lt(eps).logicalOr(x.gt(1 - eps)), 0.0, grad)};
        });
    }

    static Tensor deg2rad(Tensor t) { return scaleAngle(t, Math.PI / 180, "Deg2RadBackward0"); }

    static Tensor rad2deg(Tensor t) { return scaleAngle(t, 180 / Math.PI, "Rad2DegBackward0"); }

    /** deg2rad/rad2deg: one multiplication by the constant (a Python float, so float32 multiplies in float). */
    private static Tensor scaleAngle(Tensor t, double factor, String node) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = floating(t).mul(factor);
        }
        return Autograd.record(node, out, t, c -> new Tensor[] {c.grad().mul(factor)});
    }

    /**
     * NaN, +inf and -inf replaced by {@code nan} (0), {@code posinf} and {@code neginf} (null: the dtype's largest and
     * lowest finite values); integer and bool tensors come back as a copy.
     */
    static Tensor nanToNum(Tensor t, double nan, Double posinf, Double neginf) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            if (!t.dtype().isFloatingPoint()) out = t.clone();
            else {
                double max = Scalar.maxFinite(t.dtype());
                out = Tensor.where(t.isnan(), nan, Tensor.where(t.eq(Double.POSITIVE_INFINITY), posinf == null ? max : posinf,
                        Tensor.where(t.eq(Double.NEGATIVE_INFINITY), neginf == null ? -max : neginf, t)));
            }
        }
        return Autograd.record("NanToNumBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().mul(c.saved(0).isfinite())});
    }

    /**
     * PyTorch 1.13's asinh_/acosh_/atanh_: the values of {@code f}, but a node ({@code AsinhBackward1}, ...) whose
     * backward has no formula and fails.
     */
    static Tensor inPlaceWithoutDerivative(String op, Tensor t, java.util.function.UnaryOperator<Tensor> f) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = f.apply(t);
        }
        String node = Character.toUpperCase(op.charAt(0)) + op.substring(1) + "Backward1";
        return Autograd.record(node, out, t, c -> {
            throw new IllegalStateException("the derivative for 'inplace version of " + op + "' is not implemented.");
        });
    }

    /** True where the sign bit is set (-0.0 and -NaN included); no gradient, the result being bool. */
    static Tensor signbit(Tensor t) { return Kernels.unary(UnaryOp.SIGNBIT, t); }

    /**
     * The multivariate log-gamma of dimension p: sum_i lgamma(x - i / 2) over i < p, plus p (p - 1) / 4 log(pi), summed
     * in the input's floating dtype as ATen's composition (an arange of offsets added to x.unsqueeze(-1)). The constant
     * is added in place as ATen does: the result keeps the reduction's contiguous layout, where an out-of-place add
     * would give a zero-size result the strides TensorIterator picks for it ([0, 1] gets [1, 0]). That add_ runs below
     * autograd, so it leaves the result at version 0 (a tensor saved from it by a later op is at version 0, seed 327453).
     */
    static Tensor mvlgamma(Tensor t, int p) {
        if (t.dtype() == DType.BOOL) throw new IllegalArgumentException("The input tensor may not be a boolean tensor.");
        if (p < 1) throw new IllegalArgumentException("p has to be greater than or equal to 1");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = offsets(t, p).lgamma().sum(-1);
            Kernels.write(out.add(p * (p - 1.0) * Math.log(Math.PI) / 4), out);
        }
        return Autograd.record("MvlgammaBackward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(offsets(c.saved(0), p).digamma().sum(-1))});
    }

    /** x - i / 2 for i = p - 1 .. 0 along a new last dim. */
    private static Tensor offsets(Tensor t, int p) {
        return Tensor.arange(-p / 2.0 + 0.5, 0.5, 0.5, TypePromotion.toFloating(t.dtype())).add(t.unsqueeze(-1));
    }
}
