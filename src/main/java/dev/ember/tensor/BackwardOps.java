package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

/**
 * PyTorch's {@code tanh_backward}, {@code sigmoid_backward} and {@code threshold_backward}: the backward rules of
 * tanh, sigmoid and relu are ops of their own there, with their own derivatives, so a gradient built with
 * {@code createGraph} has a {@code TanhBackwardBackward0} (etc.) node where a composed rule would show its parts,
 * and relu's gradient still requires grad through its saved result. Values use PyTorch's kernel formulas (in float for
 * float16/bfloat16, rounded once).
 */
final class BackwardOps {
    private BackwardOps() {}

    /** {@code grad * (1 - y * y)} for {@code y = tanh(x)}. */
    static Tensor tanhBackward(Tensor grad, Tensor y) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Opmath.inFloat(grad, y, (g, t) -> g.mul(t.mul(t).rsub(1.0)));
        }
        return Autograd.record("TanhBackwardBackward0", out, new Tensor[] {grad, y}, new Tensor[] {grad, y}, c -> new Tensor[] {
                c.needs(0) ? tanhBackward(c.grad(), c.saved(1)) : null,
                c.needs(1) ? c.grad().mul(c.saved(1).mul(-2.0).mul(c.saved(0))) : null});
    }

    /** {@code grad * (1 - y) * y} for {@code y = sigmoid(x)}. */
    static Tensor sigmoidBackward(Tensor grad, Tensor y) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Opmath.inFloat(grad, y, (g, t) -> g.mul(t.rsub(1.0)).mul(t));
        }
        return Autograd.record("SigmoidBackwardBackward0", out, new Tensor[] {grad, y}, new Tensor[] {grad, y}, c -> new Tensor[] {
                c.needs(0) ? sigmoidBackward(c.grad(), c.saved(1)) : null,
                c.needs(1) ? c.grad().mul(c.saved(0)).mul(c.saved(1).mul(-2.0).add(1.0)) : null});
    }

    /** {@code grad} where {@code self > threshold}, else 0 (a NaN self passes the gradient through, as PyTorch's). */
    static Tensor thresholdBackward(Tensor grad, Tensor self, double threshold) {
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            out = Tensor.where(self.le(threshold), 0.0, grad);
        }
        return Autograd.record("ThresholdBackwardBackward0", out, new Tensor[] {grad, self}, new Tensor[] {self}, c -> new Tensor[] {
                c.needs(0) ? thresholdBackward(c.grad(), c.saved(0), threshold) : null,
                c.needs(1) ? Tensor.zerosLike(c.grad()) : null});
    }
}
