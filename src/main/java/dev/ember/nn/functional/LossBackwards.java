package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.function.BiFunction;

/**
 * PyTorch's {@code mse_loss_backward}, {@code smooth_l1_loss_backward}, {@code huber_loss_backward} and
 * {@code binary_cross_entropy_backward}: ops of their own there, so a gradient built with createGraph carries one
 * {@code MseLossBackwardBackward0} (etc.) node whose edges are the incoming gradient, self and target, and the
 * second derivatives are FunctionsManual's ({@code mse_loss_double_backward}, ...).
 */
final class LossBackwards {
    private LossBackwards() {}

    /**
     * A native pointwise loss: its value, its slope in the input and the slope's own derivative, all elementwise in
     * (input, target); a slope with the arguments swapped is the target's, as derivatives.yaml writes it.
     */
    record Pointwise(String node, BiFunction<Tensor, Tensor, Tensor> value, BiFunction<Tensor, Tensor, Tensor> slope,
                     BiFunction<Tensor, Tensor, Tensor> curvature) {
        String backwardNode() { return node.replace("Backward0", "BackwardBackward0"); }
    }

    /** {@code grad * slope(self, target)}, the reduced gradient brought back to the elementwise shape first. */
    static Tensor pointwise(Pointwise loss, Tensor grad, Tensor self, Tensor target, int reduction) {
        int[] shape = self.shape();
        long n = self.numel();
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = LossReduction.expandGrad(grad, reduction, shape, n).mul(loss.slope().apply(self, target));
        }
        return Autograd.record(loss.backwardNode(), out, new Tensor[] {grad, self, target}, new Tensor[] {grad, self, target}, c -> {
            Tensor go = c.saved(0), x = c.saved(1), t = c.saved(2), gg = c.grad();
            // d/dgrad is the backward itself applied to gg, reduced as the loss was (the adjoint of expandGrad)
            Tensor gGrad = c.needs(0) ? LossReduction.apply(pointwise(loss, gg, x, t, LossReduction.NONE), reduction) : null;
            Tensor gSelf = c.needs(1) || c.needs(2) ? gg.mul(LossReduction.expandGrad(go, reduction, shape, n)).mul(loss.curvature().apply(x, t)) : null;
            return new Tensor[] {gGrad, c.needs(1) ? gSelf : null, c.needs(2) ? gSelf.neg() : null};
        });
    }

    private static final double BCE_EPS = 1e-12;

    /** binary_cross_entropy_backward: {@code grad * w * (x - t) / max(x (1 - x), 1e-12)}, divided by numel for a mean. */
    static Tensor binaryCrossEntropy(Tensor grad, Tensor self, Tensor target, Tensor weight, int reduction) {
        int[] shape = self.shape();
        long n = self.numel();
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor gl = LossReduction.expandGrad(grad, reduction, shape, n);
            if (weight != null) gl = gl.mul(weight);
            out = gl.mul(self.sub(target)).div(self.rsub(1.0).mul(self).clampMin(BCE_EPS));
        }
        return Autograd.record("BinaryCrossEntropyBackwardBackward0", out, new Tensor[] {grad, self, target}, new Tensor[] {grad, self, target}, c -> {
            Tensor go = c.saved(0), x = c.saved(1), t = c.saved(2), gg = c.grad();
            Tensor gGrad = null, gSelf = null, gTarget = null;
            if (c.needs(0)) { // binary_cross_entropy_double_backward_grad_output
                Tensor r = x.sub(t).div(x.add(BCE_EPS).mul(x.rsub(1.0).add(BCE_EPS))).mul(gg);
                gGrad = LossReduction.apply(weight == null ? r : r.mul(weight), reduction);
            }
            if (c.needs(1)) { // binary_cross_entropy_double_backward
                Tensor num = x.mul(x).sub(x.mul(t).mul(2.0)).add(t);
                Tensor den = x.add(BCE_EPS).pow(2L).mul(x.rsub(1.0).add(BCE_EPS).pow(2L));
                gSelf = weighted(num.div(den).mul(gg.mul(go)), weight, reduction, n);
            }
            if (c.needs(2)) { // binary_cross_entropy_double_backward_target: the clamp of its denominator is not recorded
                Tensor den;
                try (var g = GradMode.noGrad()) {
                    den = x.rsub(1.0).mul(x).clampMin(BCE_EPS);
                }
                Tensor r = gg.neg().mul(go);
                r = (weight == null ? r : r.mul(weight)).div(den);
                gTarget = reduction == LossReduction.MEAN ? r.div((double) n) : r;
            }
            return new Tensor[] {gGrad, gSelf, gTarget};
        });
    }

    /** binary_cross_entropy_target_backward: {@code (log(1 - x) - log(x)) * grad}, weighted, divided by numel for a mean. */
    static Tensor binaryCrossEntropyTarget(Tensor grad, Tensor self, Tensor weight, int reduction) {
        // C++'s {@code 1 - self} fills a tensor with 1 and subtracts in place: a SubBackward0 whose first edge is none
        Tensor r = Tensor.onesLike(self).sub(self).log().sub(self.log()).mul(grad);
        return weighted(r, weight, reduction, self.numel());
    }

    /** Times the weight, then divided by numel for a mean: how ATen finishes a loss backward written in tensor ops. */
    static Tensor weighted(Tensor t, Tensor weight, int reduction, long numel) {
        if (weight != null) t = t.mul(weight);
        return reduction == LossReduction.MEAN ? t.div((double) numel) : t;
    }
}
