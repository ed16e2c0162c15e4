package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Opmath;
import dev.ember.tensor.Tensor;

/**
 * PyTorch's {@code gelu_backward}, {@code softplus_backward}, {@code elu_backward}, {@code leaky_relu_backward},
 * {@code hardtanh_backward} and {@code log_sigmoid_backward}:
 * the backward rules of these activations are ops of their own there, with their own derivatives, so a gradient
 * built with {@code createGraph} has one {@code GeluBackwardBackward0} (etc.) node, whose edges are the incoming
 * gradient and self, where a composed rule would show its parts. Values use PyTorch's kernel formulas, and the
 * second derivatives FunctionsManual's ({@code gelu_double_backward}, {@code softplus_double_backward}, ...).
 */
final class ActivationBackwards {
    private ActivationBackwards() {}

    private static final double SQRT_2 = Math.sqrt(2), SQRT_2_PI = Math.sqrt(2 * Math.PI), SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
    private static final double KAPPA = 0.044715;

    /** {@code grad * gelu'(self)}: Φ(x) + x φ(x), or the derivative of the tanh approximation. */
    static Tensor geluBackward(Tensor grad, Tensor self, boolean tanh) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = self.dtype() == DType.BFLOAT16 && grad.dtype() == DType.BFLOAT16 ? BFloat16Activations.geluBackward(grad, self, tanh)
                    : grad.mul(geluDerivative(self, tanh));
        }
        return Autograd.record("GeluBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {grad, self}, c -> new Tensor[] {
                c.needs(0) ? geluBackward(c.grad(), c.saved(1), tanh) : null,
                c.needs(1) ? c.grad().mul(c.saved(0)).mul(geluSecondDerivative(c.saved(1), tanh)) : null});
    }

    private static Tensor geluDerivative(Tensor x, boolean tanh) {
        if (!tanh) {
            Tensor cdf = x.div(SQRT_2).erf().add(1.0).mul(0.5);
            Tensor pdf = x.square().mul(-0.5).exp().div(SQRT_2_PI);
            return cdf.add(x.mul(pdf));
        }
        Tensor t = x.add(x.pow(3L).mul(KAPPA)).mul(SQRT_2_OVER_PI).tanh();
        Tensor dInner = x.square().mul(3 * KAPPA).add(1.0).mul(SQRT_2_OVER_PI);
        return t.add(1.0).mul(0.5).add(x.mul(0.5).mul(t.square().rsub(1.0)).mul(dInner));
    }

    /** φ(x)(2 - x²); for the tanh form, with u = √(2/π)(x + κx³) and t = tanh u: (1 - t²)(u' - x t u'² + x u''/2). */
    private static Tensor geluSecondDerivative(Tensor x, boolean tanh) {
        if (!tanh) {
            Tensor sq = x.square();
            return sq.mul(-0.5).exp().div(SQRT_2_PI).mul(sq.rsub(2.0));
        }
        Tensor t = x.add(x.pow(3L).mul(KAPPA)).mul(SQRT_2_OVER_PI).tanh();
        Tensor du = x.square().mul(3 * KAPPA).add(1.0).mul(SQRT_2_OVER_PI);
        Tensor ddu = x.mul(6 * KAPPA * SQRT_2_OVER_PI);
        return t.square().rsub(1.0).mul(du.sub(x.mul(t).mul(du.square())).add(x.mul(ddu).mul(0.5)));
    }

    /** {@code grad} where {@code beta * self > threshold}, else {@code grad * z / (z + 1)} with {@code z = exp(beta * self)}. */
    static Tensor softplusBackward(Tensor grad, Tensor self, double beta, double threshold) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Opmath.inFloat(grad, self, (g, s) -> {
                Tensor bx = s.mul(beta);
                Tensor z = bx.exp();
                return Tensor.where(bx.gt(threshold), g, g.mul(z).div(z.add(1.0)));
            });
        }
        return Autograd.record("SoftplusBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {grad, self}, c -> {
            Tensor bx = c.saved(1).mul(beta);
            Tensor s = bx.sigmoid();
            return new Tensor[] {
                    c.needs(0) ? softplusBackward(c.grad(), c.saved(1), beta, threshold) : null,
                    // softplus_double_backward: sigmoid(x) (1 - sigmoid(x)) grad beta, where x = beta * self is below the threshold
                    c.needs(1) ? Tensor.where(bx.lt(threshold), s.mul(s.rsub(1.0)).mul(c.grad().mul(c.saved(0))).mul(beta), 0.0) : null};
        });
    }

    /** elu_backward for a saved input: {@code grad * alpha * scale * inputScale * exp(self * inputScale)} where self <= 0, else {@code grad * scale}. */
    static Tensor eluBackward(Tensor grad, Tensor self, double alpha, double scale, double inputScale) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Opmath.inFloat(grad, self,
                    (g, s) -> Tensor.where(s.le(0.0), g.mul(s.mul(inputScale).exp()).mul(alpha * scale * inputScale), g.mul(scale)));
        }
        return Autograd.record("EluBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {grad, self}, c -> new Tensor[] {
                c.needs(0) ? eluBackward(c.grad(), c.saved(1), alpha, scale, inputScale) : null,
                // elu_double_backward: elu_backward(grad * grad_output * input_scale, ...) where self < 0, else 0
                c.needs(1) ? Tensor.where(c.saved(1).lt(0.0), eluBackward(c.grad().mul(c.saved(0)).mul(inputScale), c.saved(1), alpha, scale, inputScale), 0.0)
                        : null});
    }

    /** {@code grad} where self > 0, else {@code grad * slope}; its derivative in self is zero, but self is an edge. */
    static Tensor leakyReluBackward(Tensor grad, Tensor self, double slope) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Opmath.inFloat(grad, self, (g, s) -> Tensor.where(s.gt(0.0), g, g.mul(slope)));
        }
        return Autograd.record("LeakyReluBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {self}, c -> new Tensor[] {
                c.needs(0) ? leakyReluBackward(c.grad(), c.saved(0), slope) : null,
                c.needs(1) ? Tensor.zerosLike(c.grad()) : null});
    }

    /** {@code grad} strictly inside (min, max), else 0; its derivative in self is zero, but self is an edge. */
    static Tensor hardtanhBackward(Tensor grad, Tensor self, double min, double max) {
        // 1.13 computes it with hardshrink_backward's kernel, which has no bfloat16 instance
        if (grad.dtype() == DType.BFLOAT16) throw new IllegalArgumentException("\"hardshrink_backward_cpu\" not implemented for 'BFloat16'");
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Tensor.where(self.le(min).logicalOr(self.ge(max)), 0.0, grad);
        }
        return Autograd.record("HardtanhBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {self}, c -> new Tensor[] {
                c.needs(0) ? hardtanhBackward(c.grad(), c.saved(0), min, max) : null,
                c.needs(1) ? Tensor.zerosLike(c.grad()) : null});
    }

    /**
     * {@code grad * sigmoid(-self)} as log_sigmoid_backward's kernel writes it, from the forward's buffer b = exp(-|self|)
     * (stored in self's dtype): {@code (1 - b / (1 + b)) * grad} below zero, else {@code b / (1 + b) * grad}. The
     * derivative in self is log_sigmoid_double_backward: {@code g * (z - 1) * z}, z = sigmoid(self).
     */
    static Tensor logSigmoidBackward(Tensor grad, Tensor self) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            Tensor negative = self.lt(0.0);
            out = Opmath.inFloat(grad, self.abs().neg().exp(), (g, b) -> {
                Tensor q = b.div(b.add(1.0));
                return Tensor.where(negative, q.rsub(1.0), q).mul(g);
            });
        }
        return Autograd.record("LogSigmoidBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {grad, self}, c -> {
            Tensor z = c.saved(1).sigmoid();
            return new Tensor[] {c.needs(0) ? logSigmoidBackward(c.grad(), c.saved(1)) : null,
                    c.needs(1) ? c.grad().mul(c.saved(0)).mul(z.sub(1.0)).mul(z) : null};
        });
    }
}
