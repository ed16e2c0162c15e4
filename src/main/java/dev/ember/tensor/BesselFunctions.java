package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.UnaryOp;

/**
 * The modified Bessel functions of the first kind: i0 and torch.special's i0e, i1 and i1e (the e forms scaled by
 * e^-|x|), integers and bool computing in float32, each with its derivatives.yaml backward. At 0 the I1 backwards
 * take their limit 0.5, as FunctionsManual's i1_backward does for |x| within one epsilon of it.
 */
final class BesselFunctions {
    private BesselFunctions() {}

    static Tensor i0(Tensor t) {
        if (t.dtype() == DType.FLOAT16) throw new IllegalArgumentException("\"i0_vml_cpu\" not implemented for 'Half'");
        return Autograd.record("I0Backward0", unscaled(UnaryOp.I0, t), new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(i1(c.saved(0)))});
    }

    static Tensor i0e(Tensor t) {
        Tensor out = Pointwise.floatUnary(UnaryOp.I0E, t);
        return Autograd.record("SpecialI0EBackward0", out, new Tensor[] {t}, new Tensor[] {t, out},
                c -> new Tensor[] {c.grad().mul(i1e(c.saved(0)).sub(c.saved(0).sgn().mul(c.saved(1))))});
    }

    static Tensor i1(Tensor t) {
        Tensor out = unscaled(UnaryOp.I1, t);
        return Autograd.record("SpecialI1Backward0", out, new Tensor[] {t}, new Tensor[] {t, out},
                c -> new Tensor[] {nearZero(c.grad(), c.saved(0), x -> i0(x).sub(c.saved(1).mul(x.reciprocal())))});
    }

    static Tensor i1e(Tensor t) {
        Tensor out = Pointwise.floatUnary(UnaryOp.I1E, t);
        return Autograd.record("SpecialI1EBackward0", out, new Tensor[] {t}, new Tensor[] {t, out},
                c -> new Tensor[] {nearZero(c.grad(), c.saved(0), x -> i0e(x).sub(c.saved(1).mul(x.sgn().add(x.reciprocal()))))});
    }

    /**
     * I0 or I1 as PyTorch's Cephes forms compute them, e^|x| times a series: in float32 e^|x| overflows past
     * ln(FLT_MAX), so the result is infinite there although the function itself is still finite.
     */
    private static Tensor unscaled(UnaryOp op, Tensor t) {
        Tensor out = Pointwise.floatUnary(op, t);
        if (out.dtype() == DType.FLOAT64) return out;
        Tensor x = t.to(out.dtype()), overflow = x.abs().gt(Math.log(Float.MAX_VALUE)).logicalAnd(x.isfinite());
        if (!overflow.any().itemBool()) return out;
        Tensor inf = Tensor.full(new int[0], Double.POSITIVE_INFINITY, out.dtype());
        return Tensor.where(overflow, op == UnaryOp.I1 ? inf.copysign(x) : inf, out);
    }

    /** grad * derivative(x), the derivative taken at eps instead of x where |x| <= eps and replaced there by 0.5. */
    private static Tensor nearZero(Tensor grad, Tensor x, java.util.function.UnaryOperator<Tensor> derivative) {
        double eps = Math.ulp(x.dtype() == DType.FLOAT64 ? 1.0 : 1.0f);
        Tensor notTiny = x.abs().gt(eps);
        Tensor safe = Tensor.where(notTiny, x, Tensor.full(new int[0], eps, x.dtype()));
        return grad.mul(Tensor.where(notTiny, derivative.apply(safe), Tensor.full(new int[0], 0.5, x.dtype())));
    }
}
