package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.Arrays;


/**
 * Elementwise losses. Those PyTorch implements natively (mse, smooth_l1, huber, soft_margin) are one node with
 * its name and closed-form backward; the composite ones (l1, kl_div, poisson_nll, margin_ranking,
 * hinge_embedding) are composed exactly as ATen composes them, so their grad_fn chain matches too.
 */
final class RegressionLosses {
    private RegressionLosses() {}

    /** Broadcasts input and target as F.*_loss does ({@code torch.broadcast_tensors}). */
    static Tensor[] broadcast(Tensor input, Tensor target) {
        int[] shape = dev.ember.tensor.Shape.broadcast(input.shape(), target.shape());
        return new Tensor[] {expandTo(input, shape), expandTo(target, shape)};
    }

    /**
     * PyTorch's {@code broadcast_tensors} ({@code expand_outplace}) hands back a tensor that already has the
     * shape: no ExpandBackward0 between the loss and its input, as the blitz's
     * {@code loss.grad_fn.next_functions[0][0]} (AddmmBackward0 of the last Linear) shows.
     */
    private static Tensor expandTo(Tensor t, int[] shape) {
        return Arrays.equals(t.shape(), shape) ? t : t.expand(shape);
    }

    /**
     * A native pointwise loss: its value elementwise, reduced; the backward is the loss's own backward op, for the
     * target with input and target swapped (as derivatives.yaml calls it).
     */
    private static Tensor pointwise(LossBackwards.Pointwise loss, Tensor input, Tensor target, int reduction) {
        Tensor[] b = broadcast(input, target);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = LossReduction.apply(loss.value().apply(b[0], b[1]), reduction);
        }
        return Autograd.record(loss.node(), out, new Tensor[] {b[0], b[1]}, new Tensor[] {b[0], b[1]}, c -> new Tensor[] {
                c.needs(0) ? LossBackwards.pointwise(loss, c.grad(), c.saved(0), c.saved(1), reduction) : null,
                c.needs(1) ? LossBackwards.pointwise(loss, c.grad(), c.saved(1), c.saved(0), reduction) : null});
    }

    private static final LossBackwards.Pointwise MSE = new LossBackwards.Pointwise("MseLossBackward0", (x, t) -> x.sub(t).square(), (x, t) -> {
        checkSameDtype(x, t);
        return x.sub(t).mul(2.0);
    }, (x, t) -> Tensor.fullLike(x, 2.0));

    static Tensor mse(Tensor input, Tensor target, String reduction) {
        return pointwise(MSE, input, target, LossReduction.of(reduction));
    }

    /**
     * mse_loss and huber_loss compute their backward in one TensorIterator that refuses mixed dtypes, so the
     * blitz's {@code MSELoss()(output, torch.arange(1, 11).view(1, -1))} (an int64 target) computes its forward
     * and fails in backward. smooth_l1_loss's backward promotes, so it has no such check.
     */
    private static void checkSameDtype(Tensor input, Tensor target) {
        if (target.dtype() != input.dtype())
            throw new IllegalStateException("Found dtype " + Convolution.scalarName(target) + " but expected " + Convolution.scalarName(input));
    }

    static Tensor l1(Tensor input, Tensor target, String reduction) {
        int r = LossReduction.of(reduction);
        Tensor[] b = broadcast(input, target);
        return LossReduction.apply(b[0].sub(b[1]).abs(), r);
    }

    static Tensor smoothL1(Tensor input, Tensor target, String reduction, double beta) {
        int r = LossReduction.of(reduction);
        if (beta < 0) throw new IllegalArgumentException("smooth_l1_loss does not support negative values for beta.");
        // beta 0 is not l1_loss in PyTorch 1.13: the node stays SmoothL1LossBackward0, and its kernel's slope tests
        // x <= -beta first, so an exact match (x == t) gets slope -1 where l1_loss's sign() gives 0
        return pointwise(new LossBackwards.Pointwise("SmoothL1LossBackward0", (x, t) -> {
            Tensor z = x.sub(t).abs();
            return beta == 0 ? z : Tensor.where(z.lt(beta), z.square().mul(0.5 / beta), z.sub(0.5 * beta));
        }, (x, t) -> beta == 0 ? Tensor.where(x.sub(t).le(0L), -1.0, Tensor.onesLike(x)) : x.sub(t).div(beta).clamp(-1.0, 1.0),
                // smooth_l1_loss_double_backward: 1/beta inside the quadratic zone, none at all for beta 0
                (x, t) -> beta == 0 ? Tensor.zerosLike(x) : x.sub(t).abs().lt(beta).to(x.dtype()).div(beta)), input, target, r);
    }

    static Tensor huber(Tensor input, Tensor target, String reduction, double delta) {
        int r = LossReduction.of(reduction);
        if (delta <= 0) throw new IllegalArgumentException("huber_loss does not support non-positive values for delta.");
        return pointwise(new LossBackwards.Pointwise("HuberLossBackward0", (x, t) -> {
            Tensor z = x.sub(t).abs();
            return Tensor.where(z.lt(delta), z.square().mul(0.5), z.sub(0.5 * delta).mul(delta));
        }, (x, t) -> {
            checkSameDtype(x, t);
            return x.sub(t).clamp(-delta, delta);
        }, (x, t) -> x.sub(t).abs().lt(delta).to(x.dtype())), input, target, r);
    }

    static Tensor softMargin(Tensor input, Tensor target, String reduction) {
        int r = LossReduction.of(reduction);
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException("The size of tensor a (" + input.numel() + ") must match the size of tensor b (" + target.numel() + ")");
        if (target.requiresGrad() && GradMode.isEnabled())
            throw new IllegalArgumentException("The function 'soft_margin_loss' is not differentiable with respect to argument 'target'. This input cannot have requires_grad True.");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = LossReduction.apply(input.mul(target).neg().exp().log1p(), r);
        }
        int[] shape = input.shape();
        long n = input.numel();
        return Autograd.record("SoftMarginLossBackward0", out, new Tensor[] {input, target}, new Tensor[] {input, target}, c -> {
            Tensor x = c.saved(0), y = c.saved(1);
            Tensor z = x.mul(y).neg().exp();
            Tensor gl = LossReduction.expandGrad(c.grad(), r, shape, n);
            Tensor dz = z.div(z.add(1.0)).neg().mul(gl);
            return new Tensor[] {c.needs(0) ? dz.mul(y) : null, c.needs(1) ? dz.mul(x) : null};
        });
    }

    /** {@code xlogy(t, t) - t * input}, or {@code exp(t) * (t - input)} for log targets; batchmean divides a sum by N. */
    static Tensor klDiv(Tensor input, Tensor target, String reduction, boolean logTarget) {
        boolean batchmean = reduction.equals("batchmean");
        int r = batchmean ? LossReduction.SUM : LossReduction.of(reduction);
        // ATen's kl_div is C++ whose compiler evaluates an operator's right operand first: its node is the older one,
        // which fixes the order the engine adds the target's gradient contributions in
        Tensor out;
        if (logTarget) {
            Tensor diff = target.sub(input);
            out = target.exp().mul(diff);
        } else {
            Tensor cross = target.mul(input);
            out = target.xlogy(target).sub(cross);
        }
        Tensor red = LossReduction.apply(out, r);
        return batchmean && input.dim() != 0 ? red.div((double) input.size(0)) : red;
    }

    static Tensor poissonNll(Tensor input, Tensor target, boolean logInput, boolean full, double eps, String reduction) {
        int r = LossReduction.of(reduction);
        Tensor loss = logInput ? input.exp().sub(target.mul(input)) : input.sub(target.mul(input.add(eps).log()));
        if (full) {
            Tensor stirling = target.mul(target.log()).sub(target).add(target.mul(2 * Math.PI).log().mul(0.5));
            loss = loss.add(stirling.maskedFill(target.le(1.0), 0.0));
        }
        return LossReduction.apply(loss, r);
    }

    static Tensor marginRanking(Tensor x1, Tensor x2, Tensor target, double margin, String reduction) {
        int r = LossReduction.of(reduction);
        if (x1.dim() != x2.dim() || x1.dim() != target.dim())
            throw new IllegalArgumentException("margin_ranking_loss : All input tensors should have same dimension but got sizes: input1: torch.Size("
                    + java.util.Arrays.toString(x1.shape()) + "), input2: torch.Size(" + java.util.Arrays.toString(x2.shape()) + "), target: torch.Size("
                    + java.util.Arrays.toString(target.shape()) + ") ");
        return LossReduction.apply(target.neg().mul(x1.sub(x2)).add(margin).clampMin(0.0), r);
    }

    static Tensor hingeEmbedding(Tensor input, Tensor target, double margin, String reduction) {
        int r = LossReduction.of(reduction);
        Tensor zeros = Tensor.zerosLike(input);
        Tensor marginClamp = input.rsub(margin).clampMin(0.0);
        Tensor outMargin = Tensor.where(target.ne(1.0), marginClamp, zeros);
        Tensor outSelf = Tensor.where(target.ne(-1.0), input, zeros);
        return LossReduction.apply(outMargin.add(outSelf), r);
    }

}
