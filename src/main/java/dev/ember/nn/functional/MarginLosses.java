package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * Margin and embedding losses: multi_margin and multilabel_margin (native in PyTorch, one node each with
 * their subgradients), cosine_embedding and triplet_margin (composite, composed as ATen does).
 */
final class MarginLosses {
    private MarginLosses() {}

    /** [C] and [N, C] inputs as [N, C]. */
    private static Tensor rows(Tensor x) { return x.dim() == 1 ? x.unsqueeze(0) : x; }

    static Tensor multiMargin(Tensor input, Tensor target, int p, double margin, Tensor weight, String reduction) {
        int r = LossReduction.of(reduction);
        if (p != 1 && p != 2) throw new IllegalArgumentException("only p == 1 and p == 2 supported");
        if (input.dim() > 2 || input.dim() == 2 && input.size(1) == 0 || input.dim() == 0 && false)
            throw new IllegalArgumentException("Expected non-empty vector or matrix with optional 0-dim batch size, but got: " + Arrays.toString(input.shape()));
        Tensor x = rows(input);
        int n = x.size(0), c = x.size(1);
        if (target.dim() > 1 || target.numel() != n)
            throw new IllegalArgumentException("inconsistent target size, expected " + n + " but got " + Arrays.toString(target.shape()));
        if (weight != null && (weight.dim() != 1 || weight.numel() != c))
            throw new IllegalArgumentException("inconsistent weight size, expected " + c + " but got " + Arrays.toString(weight.shape()));
        long[] t = target.reshape(-1).toLongArray();
        for (long v : t) if (v < 0 || v >= c) throw new IndexOutOfBoundsException("target out of range");
        Tensor idx = Tensor.fromArray(t, n, 1).to(x.device());
        double[] wv = weight == null ? null : weight.toDoubleArray();
        double[] wy = new double[n];
        for (int i = 0; i < n; i++) wy[i] = wv == null ? 1 : wv[(int) t[i]];
        Tensor wTarget = Tensor.fromArray(wy, n, 1).to(x.dtype()).to(x.device());
        Tensor notTarget = Tensor.ones(new int[] {n, c}, DType.BOOL).to(x.device()).scatter(1, idx, 0.0);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor z = x.gather(1, idx).rsub(margin).add(x);
            Tensor h = Tensor.where(z.gt(0.0).logicalAnd(notTarget), p == 1 ? z : z.square(), 0.0).mul(wTarget);
            Tensor loss = h.sum(1).div((double) c);
            out = r == LossReduction.NONE ? (input.dim() == 1 ? loss.squeeze(0) : loss) : LossReduction.apply(loss, r);
        }
        return Autograd.record("MultiMarginLossBackward0", out, new Tensor[] {x}, new Tensor[] {x}, ctx -> {
            Tensor xs = ctx.saved(0);
            Tensor z = xs.gather(1, idx).rsub(margin).add(xs);
            Tensor active = z.gt(0.0).logicalAnd(notTarget);
            Tensor slope = p == 1 ? Tensor.onesLike(z) : z.mul(2.0);
            Tensor gl = switch (r) {
                case LossReduction.MEAN -> ctx.grad().div((double) n).expand(n);
                case LossReduction.SUM -> ctx.grad().expand(n);
                default -> ctx.grad().reshape(n);
            };
            Tensor d = Tensor.where(active, slope, 0.0).mul(wTarget).mul(gl.unsqueeze(1)).div((double) c);
            Tensor gx = d.sub(Tensor.zerosLike(d).scatter(1, idx, d.sum(1, true)));
            return new Tensor[] {gx};
        });
    }

    static Tensor multilabelMargin(Tensor input, Tensor target, String reduction) {
        int r = LossReduction.of(reduction);
        if (input.dim() > 2 || (input.dim() == 2 && input.size(1) == 0))
            throw new IllegalArgumentException("Expected non-empty vector or matrix with optional 0-dim batch size, but got: " + Arrays.toString(input.shape()));
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException("inconsistent target size: " + Arrays.toString(target.shape()) + " for input of size: " + Arrays.toString(input.shape()));
        Tensor x = rows(input);
        int n = x.size(0), c = x.size(1);
        long[] t = target.reshape(-1).toLongArray();
        // slot j of row i holds target class t[i][j] until the first -1; isTarget marks those classes
        long[] slots = new long[n * c];
        double[] valid = new double[n * c];
        boolean[] isTarget = new boolean[n * c];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < c; j++) {
                long v = t[i * c + j];
                if (v < 0) break;
                if (v >= c) throw new IndexOutOfBoundsException("target out of range");
                slots[i * c + j] = v;
                valid[i * c + j] = 1;
                isTarget[i * c + (int) v] = true;
            }
        }
        double[] others = new double[n * c];
        for (int k = 0; k < others.length; k++) others[k] = isTarget[k] ? 0 : 1;
        Tensor idx = Tensor.fromArray(slots, n, c).to(x.device());
        Tensor mask = Tensor.fromArray(valid, n, c, 1).mul(Tensor.fromArray(others, n, 1, c)).to(x.dtype()).to(x.device());
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor m = x.gather(1, idx).unsqueeze(2).rsub(1.0).add(x.unsqueeze(1));
            Tensor loss = m.clampMin(0.0).mul(mask).sum(new int[] {1, 2}, false).div((double) c);
            out = r == LossReduction.NONE ? (input.dim() == 1 ? loss.squeeze(0) : loss) : LossReduction.apply(loss, r);
        }
        return Autograd.record("MultilabelMarginLossBackward0", out, new Tensor[] {x}, new Tensor[] {x}, ctx -> {
            Tensor xs = ctx.saved(0);
            Tensor m = xs.gather(1, idx).unsqueeze(2).rsub(1.0).add(xs.unsqueeze(1));
            Tensor gl = switch (r) {
                case LossReduction.MEAN -> ctx.grad().div((double) n).expand(n);
                case LossReduction.SUM -> ctx.grad().expand(n);
                default -> ctx.grad().reshape(n);
            };
            Tensor ind = Tensor.where(m.gt(0.0), mask, 0.0).mul(gl.view(n, 1, 1)).div((double) c);
            Tensor gx = ind.sum(1).sub(Tensor.zeros(new int[] {n, c}, ind.dtype()).to(ind.device()).scatterAdd(1, idx, ind.sum(2)));
            return new Tensor[] {gx};
        });
    }

    static Tensor cosineEmbedding(Tensor x1, Tensor x2, Tensor target, double margin, String reduction) {
        int r = LossReduction.of(reduction);
        int td = target.dim();
        if (td != 0 && td != 1) throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
        if (td == 1 && (x1.dim() != 2 || x2.dim() != 2))
            throw new IllegalArgumentException("1D target tensor expects 2D input tensors, but found inputs with sizes " + Arrays.toString(x1.shape()) + " and "
                    + Arrays.toString(x2.shape()) + ".");
        if (td == 0 && (x1.dim() != 1 || x2.dim() != 1))
            throw new IllegalArgumentException("0D target tensor expects 1D input tensors, but found inputs with sizes " + Arrays.toString(x1.shape()) + " and "
                    + Arrays.toString(x2.shape()) + ".");
        final double eps = 1e-12;
        Tensor prodSum = x1.mul(x2).sum(td);
        Tensor mag1 = x1.mul(x1).sum(td).add(eps), mag2 = x2.mul(x2).sum(td).add(eps);
        Tensor cos = prodSum.div(mag1.mul(mag2).sqrt());
        Tensor zeros = Tensor.zerosLike(cos);
        Tensor pos = cos.rsub(1.0), neg = cos.sub(margin).clampMin(0.0);
        Tensor out = Tensor.where(target.eq(1.0), pos, zeros).add(Tensor.where(target.eq(-1.0), neg, zeros));
        return LossReduction.apply(out, r);
    }

    /** pairwise_distance: {@code norm(x1 - x2 + eps, p)} over the last dim. */
    static Tensor pairwiseDistance(Tensor x1, Tensor x2, double p, double eps, boolean keepdim) {
        int dim = Math.max(x1.dim(), x2.dim()) - 1;
        return x1.sub(x2).add(eps).norm(p, new int[] {Math.max(dim, 0)}, keepdim);
    }

    static Tensor tripletMargin(Tensor anchor, Tensor positive, Tensor negative, double margin, double p, double eps, boolean swap, String reduction) {
        int r = LossReduction.of(reduction);
        int a = anchor.dim(), po = positive.dim(), ne = negative.dim();
        if (a != po || a != ne)
            throw new IllegalArgumentException("The anchor, positive, and negative tensors are expected to have the same number of dimensions, but got: anchor "
                    + a + "D, positive " + po + "D, and negative " + ne + "D inputs");
        Tensor dPos = pairwiseDistance(anchor, positive, p, eps, false);
        Tensor dNeg = pairwiseDistance(anchor, negative, p, eps, false);
        if (swap) dNeg = dNeg.minimum(pairwiseDistance(positive, negative, p, eps, false));
        return LossReduction.apply(dPos.add(margin).sub(dNeg).clampMin(0.0), r);
    }

    static Tensor cosineSimilarity(Tensor x1, Tensor x2, int dim, double eps) {
        Tensor[] b = RegressionLosses.broadcast(x1, x2);
        Tensor w12 = b[0].mul(b[1]).sum(dim);
        Tensor n1 = b[0].mul(b[0]).sum(dim), n2 = b[1].mul(b[1]).sum(dim);
        return w12.div(n1.mul(n2).clampMin(eps * eps).sqrt());
    }
}
