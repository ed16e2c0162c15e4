package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * PyTorch's {@code native_layer_norm_backward} and {@code native_batch_norm_backward} as ops of their own: a gradient
 * built with createGraph carries one {@code NativeLayerNormBackwardBackward0} (or batch norm's) node for the input,
 * weight and bias gradients together, with edges to the incoming gradient, the input, the weight and the saved
 * statistics (never differentiated: PyTorch saves them as constants; layer norm also has a bias edge). The second
 * derivatives are FunctionsManual's {@code layer_norm_double_backward} / {@code batchnorm_double_backward}, written
 * over the normalized dims with the saved statistics.
 */
final class NormBackwards {
    private NormBackwards() {}

    /** d/dx of xhat = (x - mean(x)) * rstd over {@code dims}, given d/dxhat: rstd * (g - mean(g) - xhat * mean(g * xhat)). */
    static Tensor normalizedInputGrad(Tensor gxhat, Tensor xhat, Tensor rstd, int[] dims) {
        return gxhat.sub(gxhat.mean(dims, true)).sub(xhat.mul(gxhat.mul(xhat).mean(dims, true))).mul(rstd);
    }

    /** The input, weight and bias gradients of layer_norm over the trailing {@code dims}; {@code lead} are the other dims. */
    static Tensor[] layerNorm(Tensor gy, Tensor x, Tensor mean, Tensor rstd, Tensor w, Tensor b, int[] dims, int[] lead, boolean[] mask) {
        return normalized("NativeLayerNormBackwardBackward0", gy, x, mean, rstd, w, new Tensor[] {gy, x, null, null, w, b}, 4, dims, lead, w == null ? null : w.shape(),
                true, null, mask, null);
    }

    /**
     * native_batch_norm_backward's node: edges grad_out, input, weight, save_mean and save_invstd (the last two never
     * differentiated); in eval mode the statistics are the running ones, constants, so xhat is linear in x. Its sums
     * accumulate in {@link Normalization#batchNormAccumulation} as PyTorch's CPU kernel's do, except over one value
     * per sample and channel, where {@link BatchNormRowsBackward} follows that kernel's float loop; the second derivatives
     * (FunctionsManual, tensor ops) stay in the input's dtype, as PyTorch's.
     */
    static Tensor[] batchNorm(Tensor gy, Tensor x, Tensor mean, Tensor rstd, Tensor w, int[] dims, int[] channelShape, boolean batchStats, boolean[] mask) {
        Tensor[] first = null;
        if (BatchNormRowsBackward.applies(x, batchStats)) {
            try (var g = GradMode.noGrad()) {
                first = BatchNormRowsBackward.gradients(gy, x, mean, rstd, w, mask);
            }
        }
        return normalized("NativeBatchNormBackwardBackward0", gy, x, mean, rstd, w, new Tensor[] {gy, x, w, null, null}, 2, dims, dims, channelShape, batchStats,
                Normalization.batchNormAccumulation(x.dtype()), mask, first);
    }

    /**
     * The input, weight and bias gradients (null where {@code mask} says none is needed) of {@code (x - mean) * rstd}
     * over {@code dims}, times the weight viewed as {@code weightView}, plus the bias; weight and bias gradients sum
     * over {@code paramDims}. Recorded as one node with the given edges, the weight's at {@code weightEdge}. The first
     * derivatives compute in {@code acc} (null: the input's dtype) and round to the input's dtype once, unless
     * {@code first} already holds them.
     */
    private static Tensor[] normalized(String node, Tensor gy, Tensor x, Tensor mean, Tensor rstd, Tensor w, Tensor[] edges, int weightEdge, int[] dims,
                                       int[] paramDims, int[] weightView, boolean batchStats, DType acc, boolean[] mask, Tensor[] first) {
        Tensor[] outs = first != null ? first : new Tensor[3];
        if (first == null) try (var g = GradMode.noGrad()) {
            DType dtype = acc == null ? x.dtype() : acc;
            Tensor gyA = gy.to(dtype), rstdA = rstd.to(dtype), xhat = x.to(dtype).sub(mean.to(dtype)).mul(rstdA);
            if (mask[0]) outs[0] = inputGrad(w == null ? gyA : gyA.mul(viewed(w.to(dtype), weightView)), xhat, rstdA, dims, batchStats).to(x.dtype());
            if (mask[1]) outs[1] = sumOver(gyA.mul(xhat), paramDims).to(x.dtype());
            if (mask[2]) outs[2] = sumOver(gyA, paramDims).to(x.dtype());
        }
        return Autograd.recordMulti(node, outs, edges, new Tensor[] {gy, x, w}, c -> {
            Tensor go = c.saved(0), xs = c.saved(1), ws = c.saved(2) == null ? null : viewed(c.saved(2), weightView);
            Tensor xhat = xs.sub(mean).mul(rstd);
            Tensor gGo = null, gX = null, gW = null;
            if (c.hasGrad(0)) {
                Tensor v = c.grad(0), pv = inputGrad(v, xhat, rstd, dims, batchStats);
                if (c.needs(0)) gGo = ws == null ? pv : pv.mul(ws);
                if (c.needs(weightEdge)) gW = sumOver(go.mul(pv), paramDims);
                if (c.needs(1) && batchStats) gX = inputCurvature(v, ws == null ? go : go.mul(ws), xhat, rstd, pv, dims);
            }
            if (c.hasGrad(1)) {
                Tensor ggw = viewed(c.grad(1), weightView);
                if (c.needs(0)) gGo = plus(gGo, xhat.mul(ggw));
                if (c.needs(1)) gX = plus(gX, inputGrad(go.mul(ggw), xhat, rstd, dims, batchStats));
            }
            if (c.hasGrad(2) && c.needs(0)) gGo = plus(gGo, viewed(c.grad(2), weightView).expand(go.shape()));
            Tensor[] grads = new Tensor[edges.length];
            grads[0] = gGo;
            grads[1] = gX;
            grads[weightEdge] = gW;
            return grads;
        });
    }

    /**
     * FunctionsManual's infinitely_differentiable_native_group_norm_backward: the input, weight and bias gradients from
     * the output's gradient {@code dy} and those of the saved mean and rstd outputs ({@code dmean}, {@code drstd}; each
     * may be null), in tensor ops over [N, G, D, HxW] reading mean and rstd as the forward node's outputs.
     */
    static Tensor[] groupNorm(Tensor dy, Tensor dmean, Tensor drstd, Tensor x, Tensor mean, Tensor rstd, Tensor gamma, int groups, double eps, boolean[] mask) {
        int n = x.size(0), c = x.size(1), d = c / groups, hw = x.numel() / Math.max(1, n * c);
        double s = 1.0 / ((double) d * hw);
        Tensor xt = x.reshape(n, groups, d, hw), meanT = mean.reshape(n, groups, 1, 1), rstdT = rstd.reshape(n, groups, 1, 1);
        Tensor dyT = null, ds = null, db = null, dx = null;
        if (dy != null) {
            dyT = dy.reshape(n, groups, d, hw);
            ds = dyT.mul(xt).sum(new int[] {3}, false).unsqueeze_(-1);
            db = dyT.sum(new int[] {3}, false).unsqueeze_(-1);
        }
        boolean stats = dmean != null && drstd != null;
        if (mask[0]) {
            Tensor gammaT = gamma == null ? null : gamma.reshape(1, groups, d, 1);
            Tensor rstdCube = rstdT.mul(rstdT).mul(rstdT);
            Tensor fromStats = null;
            if (stats) { // var_std_mean_backward over dims (2, 3): the variance's and the mean's gradients in x
                Tensor dvar = rstdCube.mul(-0.5).mul(drstd.view(n, groups, 1, 1));
                Tensor centred = xt.sub(xt.mean(new int[] {2, 3}, true));
                fromStats = dvar.mul(2.0 * s).mul(centred).add(dmean.view(n, groups, 1, 1).expand(xt.shape()).div((double) d * hw));
            }
            if (dy != null) {
                Tensor a = gammaT == null ? rstdT : rstdT.mul(gammaT);
                Tensor b = (gammaT == null ? ds : ds.mul(gammaT)).sum(new int[] {2}, false).unsqueeze_(-2);
                Tensor cc = (gammaT == null ? db : db.mul(gammaT)).sum(new int[] {2}, false).unsqueeze_(-2);
                b = cc.mul(meanT).sub(b).mul(rstdCube).mul(s);
                cc = b.neg().mul(meanT).sub(cc.mul(rstdT).mul(s));
                dx = a.mul(dyT).add(b.mul(xt)).add(cc);
                if (fromStats != null) dx = dx.add(fromStats);
                dx = dx.reshapeAs(x);
            } else if (fromStats != null) {
                dx = fromStats.reshapeAs(x);
            }
        }
        Tensor dgamma = mask[1] && dy != null ? ds.sub(db.mul(meanT)).mul(rstdT).sum(new int[] {0}, false).reshape(c) : null;
        Tensor dbeta = mask[2] && dy != null ? db.sum(new int[] {0}, false).reshape(c) : null;
        return new Tensor[] {dx, dgamma, dbeta};
    }

    /** d/dx given d/dxhat: {@link #normalizedInputGrad} with batch statistics, {@code g * rstd} with constant ones. */
    private static Tensor inputGrad(Tensor g, Tensor xhat, Tensor rstd, int[] dims, boolean batchStats) {
        return batchStats ? normalizedInputGrad(g, xhat, rstd, dims) : g.mul(rstd);
    }

    private static Tensor viewed(Tensor t, int[] shape) { return shape == null || java.util.Arrays.equals(t.shape(), shape) ? t : t.view(shape); }

    /**
     * d/dx of {@code <v, rstd (g - mean(g) - xhat mean(g xhat))>} with g fixed, as mean and rstd move with x:
     * {@code rstd² xhat (mean(g xhat) mean(v xhat) - mean(v g) + mean(g) mean(v)) - rstd (P(g) mean(v xhat) + mean(g xhat) P(v))},
     * where P is {@link #normalizedInputGrad} and {@code pv = P(v)}.
     */
    private static Tensor inputCurvature(Tensor v, Tensor g, Tensor xhat, Tensor rstd, Tensor pv, int[] dims) {
        Tensor mgx = g.mul(xhat).mean(dims, true), mvx = v.mul(xhat).mean(dims, true);
        Tensor cov = v.mul(g).mean(dims, true).sub(g.mean(dims, true).mul(v.mean(dims, true)));
        Tensor pg = normalizedInputGrad(g, xhat, rstd, dims);
        return xhat.mul(rstd.square()).mul(mgx.mul(mvx).sub(cov)).sub(pg.mul(mvx).add(pv.mul(mgx)).mul(rstd));
    }

    static Tensor sumOver(Tensor t, int[] dims) { return dims.length == 0 ? t : t.sum(dims, false); }

    private static Tensor plus(Tensor a, Tensor b) { return a == null ? b : a.add(b); }
}
