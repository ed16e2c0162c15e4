package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * batch_norm, layer_norm and group_norm: each normalises over a set of dims, then applies an optional
 * affine transform. One node per call (PyTorch's Native*Backward0) whose backward is the usual closed form,
 * written in tensor ops so that it can itself be differentiated.
 */
final class Normalization {
    private Normalization() {}

    /** Dims of a [N, C, *] tensor other than the channel dim. */
    private static int[] allButChannel(int ndim) {
        int[] d = new int[ndim - 1];
        d[0] = 0;
        for (int i = 2; i < ndim; i++) d[i - 1] = i;
        return d;
    }

    /** {@code [1, C, 1, ...]} so a per-channel vector broadcasts over [N, C, *]. */
    private static int[] channelShape(int ndim, int c) {
        int[] s = new int[ndim];
        Arrays.fill(s, 1);
        s[1] = c;
        return s;
    }

    static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training, double momentum, double eps) {
        if (x.dim() < 2) throw new IllegalArgumentException("batch_norm(): expected at least 2 dims in input, but got " + x.dim());
        int c = x.size(1);
        int[] dims = allButChannel(x.dim()), cs = channelShape(x.dim(), c);
        long count = x.numel() / Math.max(1, c);
        if (training && count == 1) {
            int[] s = x.shape();
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size torch.Size(" + Arrays.toString(s) + ")");
        }
        checkChannelVector(runningMean, c, "running_mean");
        checkChannelVector(runningVar, c, "running_var");
        checkChannelVector(weight, c, "weight");
        checkChannelVector(bias, c, "bias");
        boolean useBatchStats = training || runningMean == null || runningVar == null;
        x = x.contiguous(); // PyTorch's normalizations give row-major results whatever the input's memory order
        Tensor mean, rstd, out;
        try (var g = GradMode.noGrad()) {
            if (useBatchStats) {
                mean = x.mean(dims, true);
                Tensor var = x.sub(mean).square().mean(dims, true);
                rstd = var.add(eps).rsqrt();
                if (training && runningMean != null) runningMean.mul_(1 - momentum).add_(mean.view(c).mul(momentum));
                if (training && runningVar != null) {
                    double unbias = count / (double) Math.max(1, count - 1);
                    runningVar.mul_(1 - momentum).add_(var.view(c).mul(momentum * unbias));
                }
            } else {
                mean = runningMean.view(cs).clone();
                rstd = runningVar.view(cs).add(eps).rsqrt();
            }
            out = affine(x.sub(mean).mul(rstd), weight, bias, cs);
        }
        Tensor m = mean, r = rstd;
        return Autograd.record("NativeBatchNormBackward0", out, new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, ctx -> NormBackwards.batchNorm(
                ctx.grad(), ctx.saved(0), m, r, ctx.saved(1), dims, cs, useBatchStats, new boolean[] {ctx.needs(0), ctx.needs(1), ctx.needs(2)}));
    }

    private static void checkChannelVector(Tensor t, int c, String name) {
        if (t != null && t.numel() != c)
            throw new IllegalArgumentException(name + " should contain " + c + " elements not " + t.numel());
    }

    private static Tensor affine(Tensor xhat, Tensor weight, Tensor bias, int[] shape) {
        Tensor y = weight == null ? xhat : xhat.mul(weight.view(shape));
        return bias == null ? y : y.add(bias.view(shape));
    }

    /** Mean and 1/sqrt(biased var + eps) over {@code dims}, kept. */
    private static Tensor[] stats(Tensor x, int[] dims, double eps) {
        Tensor mean = x.mean(dims, true);
        return new Tensor[] {mean, x.sub(mean).square().mean(dims, true).add(eps).rsqrt()};
    }

    static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        int k = normalizedShape.length, n = x.dim();
        boolean ok = k >= 1 && n >= k;
        for (int i = 0; ok && i < k; i++) ok = x.size(n - k + i) == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException("Given normalized_shape=" + Arrays.toString(normalizedShape) + ", expected input with shape [*, "
                    + Arrays.toString(normalizedShape).substring(1) + ", but got input of size" + Arrays.toString(x.shape()));
        }
        if (weight != null && !Arrays.equals(weight.shape(), normalizedShape))
            throw new IllegalArgumentException("Expected weight to be of same shape as normalized_shape, but got weight of shape " + Arrays.toString(weight.shape())
                    + " and normalized_shape = " + Arrays.toString(normalizedShape));
        if (bias != null && !Arrays.equals(bias.shape(), normalizedShape))
            throw new IllegalArgumentException("Expected bias to be of same shape as normalized_shape, but got bias of shape " + Arrays.toString(bias.shape())
                    + " and normalized_shape = " + Arrays.toString(normalizedShape));
        int[] dims = new int[k], lead = new int[n - k];
        for (int i = 0; i < k; i++) dims[i] = n - k + i;
        for (int i = 0; i < n - k; i++) lead[i] = i;
        x = x.contiguous();
        Tensor mean, rstd, out;
        try (var g = GradMode.noGrad()) {
            mean = x.mean(dims, true);
            rstd = x.sub(mean).square().mean(dims, true).add(eps).rsqrt();
            Tensor y = x.sub(mean).mul(rstd);
            if (weight != null) y = y.mul(weight);
            out = bias == null ? y : y.add(bias);
        }
        return Autograd.record("NativeLayerNormBackward0", out, new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, ctx -> NormBackwards.layerNorm(
                ctx.grad(), ctx.saved(0), mean, rstd, ctx.saved(1), bias, dims, lead, new boolean[] {ctx.needs(0), ctx.needs(1), ctx.needs(2)}));
    }

    static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        if (x.dim() < 2) throw new IllegalArgumentException("Expected at least 2 dimensions for input tensor but received " + x.dim());
        int n = x.size(0), c = x.size(1);
        if (groups <= 0 || c % groups != 0)
            throw new IllegalArgumentException("Expected number of channels in input to be divisible by num_groups, but got input of shape " + Arrays.toString(x.shape())
                    + " and num_groups=" + groups);
        checkChannelVector(weight, c, "weight");
        checkChannelVector(bias, c, "bias");
        int[] grouped = {n, groups, -1};
        int[] cs = channelShape(x.dim(), c), dims = allButChannel(x.dim());
        int[] inner = {2};
        x = x.contiguous();
        Tensor mean, rstd, out;
        try (var g = GradMode.noGrad()) {
            Tensor xg = x.reshape(grouped);
            mean = xg.mean(inner, true);
            rstd = xg.sub(mean).square().mean(inner, true).add(eps).rsqrt();
            out = affine(xg.sub(mean).mul(rstd).reshape(x.shape()), weight, bias, cs);
        }
        return Autograd.record("NativeGroupNormBackward0", out, new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, ctx -> {
            Tensor xs = ctx.saved(0), w = ctx.saved(1), gy = ctx.grad();
            Tensor[] st = ctx.createGraph() ? stats(xs.reshape(grouped), inner, eps) : new Tensor[] {mean, rstd};
            Tensor xhat = xs.reshape(grouped).sub(st[0]).mul(st[1]);
            Tensor gx = null;
            if (ctx.needs(0)) {
                Tensor gxhat = (w == null ? gy : gy.mul(w.view(cs))).reshape(grouped);
                gx = NormBackwards.normalizedInputGrad(gxhat, xhat, st[1], inner).reshape(xs.shape());
            }
            Tensor xhatFull = xhat.reshape(xs.shape());
            Tensor gw = ctx.needs(1) ? gy.mul(xhatFull).sum(dims, false) : null;
            Tensor gb = ctx.needs(2) ? gy.sum(dims, false) : null;
            return new Tensor[] {gx, gw, gb};
        });
    }
}
