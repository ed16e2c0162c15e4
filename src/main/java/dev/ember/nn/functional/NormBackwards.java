package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

/**
 * PyTorch's {@code native_layer_norm_backward} as an op of its own: a gradient built with createGraph carries one
 * {@code NativeLayerNormBackwardBackward0} node for the input, weight and bias gradients together, with edges to the
 * incoming gradient, the input, mean and rstd (never differentiated: PyTorch saves them as constants), weight and
 * bias. The second derivatives are FunctionsManual's {@code layer_norm_double_backward}, written over the normalized
 * dims with the saved statistics.
 */
final class NormBackwards {
    private NormBackwards() {}

    /** d/dx of xhat = (x - mean(x)) * rstd over {@code dims}, given d/dxhat: rstd * (g - mean(g) - xhat * mean(g * xhat)). */
    static Tensor normalizedInputGrad(Tensor gxhat, Tensor xhat, Tensor rstd, int[] dims) {
        return gxhat.sub(gxhat.mean(dims, true)).sub(xhat.mul(gxhat.mul(xhat).mean(dims, true))).mul(rstd);
    }

    /**
     * The input, weight and bias gradients of layer_norm (null where {@code mask} says none is needed), over the
     * trailing {@code dims}; {@code lead} are the other dims, summed for weight and bias.
     */
    static Tensor[] layerNorm(Tensor gy, Tensor x, Tensor mean, Tensor rstd, Tensor w, Tensor b, int[] dims, int[] lead, boolean[] mask) {
        Tensor[] outs = new Tensor[3];
        try (var g = GradMode.noGrad()) {
            Tensor xhat = x.sub(mean).mul(rstd);
            if (mask[0]) outs[0] = normalizedInputGrad(w == null ? gy : gy.mul(w), xhat, rstd, dims);
            if (mask[1]) outs[1] = sumLeading(gy.mul(xhat), lead);
            if (mask[2]) outs[2] = sumLeading(gy, lead);
        }
        return Autograd.recordMulti("NativeLayerNormBackwardBackward0", outs, new Tensor[] {gy, x, null, null, w, b}, new Tensor[] {gy, x, w}, c -> {
            Tensor go = c.saved(0), xs = c.saved(1), ws = c.saved(2);
            Tensor xhat = xs.sub(mean).mul(rstd);
            Tensor gGo = null, gX = null, gW = null;
            if (c.hasGrad(0)) {
                Tensor v = c.grad(0), pv = normalizedInputGrad(v, xhat, rstd, dims);
                if (c.needs(0)) gGo = ws == null ? pv : pv.mul(ws);
                if (c.needs(4)) gW = sumLeading(go.mul(pv), lead);
                if (c.needs(1)) gX = inputCurvature(v, ws == null ? go : go.mul(ws), xhat, rstd, pv, dims);
            }
            if (c.hasGrad(1)) {
                Tensor ggw = c.grad(1);
                if (c.needs(0)) gGo = plus(gGo, xhat.mul(ggw));
                if (c.needs(1)) gX = plus(gX, normalizedInputGrad(go.mul(ggw), xhat, rstd, dims));
            }
            if (c.hasGrad(2) && c.needs(0)) gGo = plus(gGo, c.grad(2).expand(go.shape()));
            return new Tensor[] {gGo, gX, null, null, gW, null};
        });
    }

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

    static Tensor sumLeading(Tensor t, int[] lead) { return lead.length == 0 ? t : t.sum(lead, false); }

    private static Tensor plus(Tensor a, Tensor b) { return a == null ? b : a.add(b); }
}
