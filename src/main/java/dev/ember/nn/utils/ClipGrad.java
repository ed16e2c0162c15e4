package dev.ember.nn.utils;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code torch.nn.utils.clip_grad_norm_} and {@code clip_grad_value_}: rescale or clamp the gradients of
 * parameters in place, between {@code backward()} and {@code optimizer.step()}.
 * <pre>{@code
 * loss.backward();
 * ClipGrad.clipGradNorm_(model.parameters(), 1.0);
 * optimizer.step();
 * }</pre>
 */
public final class ClipGrad {
    private ClipGrad() {}

    /** {@code clip_grad_norm_(parameters, max_norm)} with the 2-norm. */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm) {
        return clipGradNorm_(parameters, maxNorm, 2.0, false);
    }

    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType) {
        return clipGradNorm_(parameters, maxNorm, normType, false);
    }

    /**
     * Scales all gradients by {@code min(1, max_norm / (total_norm + 1e-6))}, where the total norm is the
     * {@code normType}-norm of all gradients together ({@code Double.POSITIVE_INFINITY} for the max-norm);
     * returns the total norm (a 0-dim tensor, {@code tensor(0.)} when no parameter has a gradient). With
     * {@code errorIfNonfinite} a NaN or infinite total norm is an error instead of poisoning the gradients.
     */
    public static Tensor clipGradNorm_(Iterable<? extends Tensor> parameters, double maxNorm, double normType, boolean errorIfNonfinite) {
        List<Tensor> grads = grads(parameters);
        if (grads.isEmpty()) return Tensor.scalar(0.0);
        try (var g = GradMode.noGrad()) {
            Tensor total;
            if (normType == Double.POSITIVE_INFINITY) {
                List<Tensor> norms = new ArrayList<>();
                for (Tensor grad : grads) norms.add(grad.detach().abs().max());
                total = norms.size() == 1 ? norms.getFirst() : Tensor.stack(norms).max();
            } else {
                List<Tensor> norms = new ArrayList<>();
                for (Tensor grad : grads) norms.add(grad.detach().norm(normType));
                total = Tensor.stack(norms).norm(normType);
            }
            if (errorIfNonfinite && (total.isnan().itemBool() || total.isinf().itemBool()))
                throw new IllegalStateException("The total norm of order " + pyFloat(normType) + " for gradients from `parameters` is non-finite, so it "
                        + "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`");
            Tensor clipCoef = total.add(1e-6).reciprocal().mul(maxNorm);
            Tensor clamped = clipCoef.clampMax(1.0);
            for (Tensor grad : grads) grad.detach().mul_(clamped);
            return total;
        }
    }

    /** {@code clip_grad_value_(parameters, clip_value)}: clamps every gradient into {@code [-clip_value, clip_value]}. */
    public static void clipGradValue_(Iterable<? extends Tensor> parameters, double clipValue) {
        try (var g = GradMode.noGrad()) {
            for (Tensor grad : grads(parameters)) grad.detach().clamp_(-clipValue, clipValue);
        }
    }

    private static List<Tensor> grads(Iterable<? extends Tensor> parameters) {
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : parameters) if (p.grad() != null) grads.add(p.grad());
        return grads;
    }

    /** Python's str of a float, as the error text prints {@code norm_type}. */
    private static String pyFloat(double v) {
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (Double.isNaN(v)) return "nan";
        return v == Math.rint(v) && Math.abs(v) < 1e16 ? (long) v + ".0" : Double.toString(v);
    }
}
