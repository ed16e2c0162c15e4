package dev.ember.nn.functional;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * Scaled dot-product attention and instance normalisation composed of tensor ops (PyTorch runs fused kernels for
 * both; the values and gradients are the same, the grad_fn names those of the parts).
 */
final class Attention {
    private Attention() {}

    static Tensor scaledDotProduct(Tensor q, Tensor k, Tensor v, Tensor attnMask, double dropoutP, boolean isCausal, Double scale) {
        if (isCausal && attnMask != null) throw new IllegalArgumentException("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
        int l = q.size(-2), s = k.size(-2);
        double factor = scale != null ? scale : 1 / Math.sqrt(q.size(-1));
        Tensor scores = q.matmul(k.transpose(-2, -1)).mul(factor);
        if (isCausal) {
            // position i attends to keys 0..i (the lower triangle, as torch.ones(L, S).tril())
            Tensor rows = Tensor.arange(0L, l, 1L, DType.INT64).unsqueeze(1), cols = Tensor.arange(0L, s, 1L, DType.INT64).unsqueeze(0);
            scores = scores.maskedFill(cols.gt(rows).to(scores.device()), Double.NEGATIVE_INFINITY);
        } else if (attnMask != null) {
            scores = attnMask.dtype() == DType.BOOL ? scores.maskedFill(attnMask.logicalNot(), Double.NEGATIVE_INFINITY) : scores.add(attnMask);
        }
        Tensor weights = scores.softmax(-1);
        if (dropoutP > 0) weights = F.dropout(weights, dropoutP, true);
        return weights.matmul(v);
    }

    static Tensor instanceNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean useInputStats, double momentum, double eps) {
        if (x.dim() < 3) throw new IllegalArgumentException("instance_norm: expected an input with a batch, a channel and at least one spatial dim, got " + x.dim() + "-D");
        int[] spatial = new int[x.dim() - 2];
        for (int i = 0; i < spatial.length; i++) spatial[i] = i + 2;
        int[] perChannel = new int[x.dim()];
        java.util.Arrays.fill(perChannel, 1);
        perChannel[1] = x.size(1);
        Tensor mean, var;
        if (useInputStats) {
            mean = x.mean(spatial, true);
            var = x.var(spatial, 0, true);
            if (runningMean != null && runningVar != null) {
                try (var g = GradMode.noGrad()) {
                    Tensor batchMean = mean.flatten(1).mean(0), batchVar = x.var(spatial, 1, false).mean(0);
                    runningMean.copy_(runningMean.mul(1 - momentum).add(batchMean.mul(momentum)));
                    runningVar.copy_(runningVar.mul(1 - momentum).add(batchVar.mul(momentum)));
                }
            }
        } else {
            if (runningMean == null || runningVar == null) throw new IllegalArgumentException("Expected running_mean and running_var to be defined when use_input_stats is false");
            mean = runningMean.reshape(perChannel);
            var = runningVar.reshape(perChannel);
        }
        Tensor y = x.sub(mean).div(var.add(eps).sqrt());
        if (weight != null) y = y.mul(weight.reshape(perChannel));
        if (bias != null) y = y.add(bias.reshape(perChannel));
        return y;
    }
}
