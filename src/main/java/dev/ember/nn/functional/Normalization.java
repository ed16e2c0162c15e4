package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
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
                DType acc = batchNormAccumulation(x.dtype());
                Tensor meanA = x.to(acc).mean(dims, true);
                mean = meanA.to(x.dtype());
                Tensor var = x.sub(mean).square().to(acc).mean(dims, true);
                rstd = var.add(eps).rsqrt().to(x.dtype());
                if (training && runningMean != null) runningMean.copy_(runningMean.to(acc).mul(1 - momentum).add(meanA.view(c).mul(momentum)));
                if (training && runningVar != null) {
                    double unbias = count / (double) Math.max(1, count - 1);
                    runningVar.copy_(runningVar.to(acc).mul(1 - momentum).add(var.view(c).mul(momentum * unbias)));
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

    /**
     * The dtype PyTorch's CPU batch norm sums in (its acc_type): double for float32 and float64, float for the 16-bit
     * floats. Its statistics and first derivatives then round to the input's dtype once, which matters where a channel's
     * values nearly cancel: summed in float32 the weight gradient of a channel whose variance is near eps is off in its
     * fourth digit.
     */
    static DType batchNormAccumulation(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64 ? DType.FLOAT64 : dtype.isFloatingPoint() ? DType.FLOAT32 : dtype;
    }

    private static void checkChannelVector(Tensor t, int c, String name) {
        if (t != null && t.numel() != c)
            throw new IllegalArgumentException(name + " should contain " + c + " elements not " + t.numel());
    }

    private static Tensor affine(Tensor xhat, Tensor weight, Tensor bias, int[] shape) {
        Tensor y = weight == null ? xhat : xhat.mul(weight.view(shape));
        return bias == null ? y : y.add(bias.view(shape));
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
        // F.group_norm's _verify_batch_size over [N * C // G, G, *spatial], printed as a Python list
        long perGroup = groups == 0 ? 0 : (long) n * c / groups;
        for (int d = 2; d < x.dim(); d++) perGroup *= x.size(d);
        if (perGroup == 1) {
            int[] sizes = x.shape().clone();
            sizes[0] = n * c / groups;
            sizes[1] = groups;
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size " + Arrays.toString(sizes));
        }
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
            Tensor m = xg.mean(inner, true), r = xg.sub(m).square().mean(inner, true).add(eps).rsqrt();
            out = affine(xg.sub(m).mul(r).reshape(x.shape()), weight, bias, cs);
            mean = m.view(n, groups); // native_group_norm's mean and rstd outputs are [N, G]
            rstd = r.view(n, groups);
        }
        // mean and rstd are outputs 1 and 2 of the node, as PyTorch's: a gradient built with createGraph reads them there
        Tensor[] outs = Autograd.recordMulti("NativeGroupNormBackward0", new Tensor[] {out, mean, rstd}, new Tensor[] {x, weight, bias}, new Tensor[] {x, weight}, ctx -> {
            Tensor xs = ctx.saved(0), w = ctx.saved(1);
            boolean[] mask = {ctx.needs(0), ctx.needs(1), ctx.needs(2)};
            if (ctx.createGraph() || ctx.hasGrad(1) || ctx.hasGrad(2))
                return NormBackwards.groupNorm(ctx.hasGrad(0) ? ctx.grad(0) : null, ctx.hasGrad(1) ? ctx.grad(1) : null, ctx.hasGrad(2) ? ctx.grad(2) : null, xs,
                        mean, rstd, w, groups, eps, mask);
            Tensor gy = ctx.grad(0), m = mean.view(n, groups, 1), r = rstd.view(n, groups, 1);
            Tensor xhat = xs.reshape(grouped).sub(m).mul(r);
            Tensor gx = null;
            if (mask[0]) {
                Tensor gxhat = (w == null ? gy : gy.mul(w.view(cs))).reshape(grouped);
                gx = NormBackwards.normalizedInputGrad(gxhat, xhat, r, inner).reshape(xs.shape());
            }
            Tensor gw = mask[1] ? gy.mul(xhat.reshape(xs.shape())).sum(dims, false) : null;
            Tensor gb = mask[2] ? gy.sum(dims, false) : null;
            return new Tensor[] {gx, gw, gb};
        });
        return outs[0];
    }
}
