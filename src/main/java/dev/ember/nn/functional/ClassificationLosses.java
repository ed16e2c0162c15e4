package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/** nll_loss, cross_entropy and the binary cross entropies, with PyTorch's weights, ignore_index and messages. */
final class ClassificationLosses {
    private ClassificationLosses() {}

    static final int DEFAULT_IGNORE_INDEX = -100;

    /** Where {@link #rowsOf} moves each dim: the class dim last. */
    private static int[] classLast(int ndim) {
        int[] perm = new int[ndim];
        perm[ndim - 1] = 1;
        for (int i = 0, k = 0; i < ndim; i++) if (i != 1) perm[k++] = i;
        return perm;
    }

    /** Moves the class dim of [N, C, d1, ...] last and flattens: [N*d1*..., C]; [C] stays [1, C]. */
    private static Tensor rowsOf(Tensor x) {
        if (x.dim() == 1) return x.unsqueeze(0);
        if (x.dim() == 2) return x;
        return x.permute(classLast(x.dim())).reshape(-1, x.size(1));
    }

    /** The inverse of {@link #rowsOf}: rows [N*d1*..., C] back to the row-major [N, C, d1, ...] of {@code shape}. */
    private static Tensor unrows(Tensor rows, int[] shape) {
        if (shape.length <= 2) return rows.view(shape);
        int[] perm = classLast(shape.length), moved = new int[shape.length], back = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            moved[i] = shape[perm[i]];
            back[perm[i]] = i;
        }
        return rows.view(moved).permute(back).contiguous();
    }

    static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction) {
        int r = LossReduction.of(reduction);
        checkTarget(input, target);
        if (input.dim() == 3 || input.dim() > 4) {
            // ATen's nll_loss_nd: nll_loss2d over the input viewed [N, C, 1, -1], the result viewed back
            int n = input.size(0), c = input.size(1);
            boolean empty = input.numel() == 0;
            Tensor in4 = input.contiguous().view(n, c, empty ? 0 : 1, empty ? 0 : -1);
            Tensor t3 = target.contiguous().view(n, empty ? 0 : 1, empty ? 0 : -1);
            Tensor out = nllLoss(in4, t3, weight, ignoreIndex, reduction);
            return r == LossReduction.NONE ? out.view(target.shape()) : out;
        }
        int c = input.dim() == 1 ? input.size(0) : input.size(1);
        if (weight != null && (weight.dim() != 1 || weight.numel() != c))
            throw new IllegalArgumentException("weight tensor should be defined either for all " + c + " classes or no classes but got weight tensor of shape: "
                    + Arrays.toString(weight.shape()));
        long[] t = target.reshape(-1).toLongArray();
        long[] safe = new long[t.length];
        double[] wt = new double[t.length];
        double[] wv = weight == null ? null : weight.toDoubleArray();
        double total = 0;
        for (int i = 0; i < t.length; i++) {
            if (t[i] == ignoreIndex) continue;
            if (t[i] < 0 || t[i] >= c) throw new IndexOutOfBoundsException("Target " + t[i] + " is out of bounds.");
            safe[i] = t[i];
            wt[i] = wv == null ? 1 : wv[(int) t[i]];
            total += wt[i];
        }
        Tensor idx = Tensor.fromArray(safe, t.length, 1).to(input.device());
        Tensor w = Tensor.fromArray(wt, t.length).to(input.dtype()).to(input.device());
        Tensor totalWeight = Tensor.scalar(total, input.dtype()).to(input.device());
        int[] tshape = target.shape();
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor loss = rowsOf(input).gather(1, idx).squeeze(1).mul(w).neg();
            out = switch (r) {
                case LossReduction.MEAN -> loss.sum().div(totalWeight);
                case LossReduction.SUM -> loss.sum();
                default -> loss.view(tshape);
            };
        }
        // Mean: each row's share w_i / total_weight, 0 for ignored rows (PyTorch skips them, so they stay 0 even when total is 0).
        double[] share = new double[t.length];
        for (int i = 0; i < t.length; i++) share[i] = t[i] == ignoreIndex ? 0 : r == LossReduction.MEAN ? wt[i] / total : wt[i];
        Tensor scale = Tensor.fromArray(share, t.length).to(input.dtype()).to(input.device());
        String name = input.dim() == 4 ? "NllLoss2DBackward0" : "NllLossBackward0";
        return Autograd.record(name, out, new Tensor[] {input}, new Tensor[] {input}, ctx -> new Tensor[] {
                nllLossBackward(name, ctx.grad(), ctx.saved(0), idx, scale, r, gg -> nllLoss(gg, target, weight, ignoreIndex, reduction))});
    }

    /**
     * nll_loss_backward (nll_loss2d_backward for 4-D input) as an op of its own (NllLossBackwardBackward0, edges grad
     * and self): {@code -grad * share} scattered to each row's target class. Its derivative in grad is nll_loss of
     * the incoming gradient; in self zero.
     */
    private static Tensor nllLossBackward(String name, Tensor grad, Tensor self, Tensor idx, Tensor scale, int r, java.util.function.UnaryOperator<Tensor> nll) {
        int rows = idx.size(0);
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            Tensor g = r == LossReduction.NONE ? grad.reshape(rows) : grad.expand(rows);
            Tensor src = g.mul(scale).neg().unsqueeze(1);
            out = unrows(Tensor.zeros(new int[] {rows, self.dim() == 1 ? self.size(0) : self.size(1)}, src.dtype()).to(src.device()).scatter(1, idx, src), self.shape());
        }
        int[] gradShape = grad.shape();
        return Autograd.record(name.replace("Backward0", "BackwardBackward0"), out, new Tensor[] {grad, self}, new Tensor[] {}, c -> new Tensor[] {
                c.needs(0) ? sameShape(nll.apply(c.grad()), gradShape) : null,
                c.needs(1) ? Tensor.zerosLike(c.grad()) : null});
    }

    private static Tensor sameShape(Tensor t, int[] shape) { return Arrays.equals(t.shape(), shape) ? t : t.reshape(shape); }

    private static void checkTarget(Tensor input, Tensor target) {
        if (target.dtype() != DType.INT64)
            throw new IllegalArgumentException("expected scalar type Long but found " + Convolution.scalarName(target));
        if (input.dim() < 1) throw new IllegalArgumentException("input tensor should be 1D or 2D");
        if (input.dim() == 1 ? target.dim() > 0 : target.dim() != input.dim() - 1) {
            if (input.dim() <= 2 && target.dim() > 1)
                throw new IllegalArgumentException("0D or 1D target tensor expected, multi-target not supported");
            throw new IllegalArgumentException("Expected target size " + expectedTargetSize(input) + ", got " + Arrays.toString(target.shape()));
        }
        if (input.dim() >= 2 && input.size(0) != target.size(0))
            throw new IllegalArgumentException("Expected input batch_size (" + input.size(0) + ") to match target batch_size (" + target.size(0) + ").");
        if (input.dim() > 2) {
            for (int d = 2; d < input.dim(); d++)
                if (input.size(d) != target.size(d - 1))
                    throw new IllegalArgumentException("Expected target size " + expectedTargetSize(input) + ", got " + Arrays.toString(target.shape()));
        }
    }

    private static String expectedTargetSize(Tensor input) {
        int[] s = input.shape();
        int[] e = new int[Math.max(0, s.length - 1)];
        if (s.length >= 1) e[0] = s[0];
        for (int d = 2; d < s.length; d++) e[d - 1] = s[d];
        return Arrays.toString(e);
    }

    static Tensor crossEntropy(Tensor input, Tensor target, Tensor weight, int ignoreIndex, String reduction, double labelSmoothing) {
        int r = LossReduction.of(reduction);
        if (labelSmoothing < 0 || labelSmoothing > 1)
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        int classDim = input.dim() == 1 ? 0 : 1;
        if (target.isFloatingPoint()) return crossEntropyProbs(input, target, weight, r, labelSmoothing, classDim);
        Tensor logp = input.logSoftmax(classDim);
        Tensor nll = nllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0) return nll;
        int c = input.size(classDim);
        Tensor ignore = target.eq((double) ignoreIndex);
        Tensor smooth = (weight == null ? logp : logp.mul(weight.view(broadcastShape(input.dim(), classDim, c)))).sum(classDim).neg();
        smooth.indexPut_(new Object[] {ignore}, 0.0); // ATen writes the ignored entries as an index_put_ (IndexPutBackward0)
        Tensor ret = switch (r) {
            case LossReduction.MEAN -> {
                if (weight == null) yield smooth.sum().div(ignore.logicalNot().sum().to(smooth.dtype()));
                long[] t = target.reshape(-1).toLongArray();
                double[] wv = weight.toDoubleArray();
                double total = 0;
                for (long v : t) if (v != ignoreIndex) total += wv[(int) v];
                yield smooth.sum().div(total);
            }
            case LossReduction.SUM -> smooth.sum();
            default -> smooth;
        };
        try (var cpp = Autograd.cppComposite()) {
            return nll.mul(1 - labelSmoothing).add(ret.mul(labelSmoothing / c));
        }
    }

    private static int[] broadcastShape(int ndim, int classDim, int c) {
        int[] s = new int[ndim];
        Arrays.fill(s, 1);
        s[classDim] = c;
        return s;
    }

    /** cross_entropy with class probabilities (ATen's cross_entropy_loss_prob_target). */
    private static Tensor crossEntropyProbs(Tensor input, Tensor target, Tensor weight, int r, double labelSmoothing, int classDim) {
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException("Expected input batch_size (" + input.size(0) + ") to match target batch_size (" + target.size(0) + ").");
        int c = input.size(classDim);
        if (weight != null && (weight.dim() != 1 || weight.numel() != c))
            throw new IllegalArgumentException("cross_entropy: weight tensor should be defined either for all " + c + " classes or no classes but got weight tensor of shape: "
                    + Arrays.toString(weight.shape()));
        Tensor logp = input.logSoftmax(classDim);
        try (var cpp = Autograd.cppComposite()) {
            if (labelSmoothing > 0) target = target.mul(1 - labelSmoothing).add(labelSmoothing / c);
            Tensor prod = logp.mul(target);
            if (weight != null) prod = prod.mul(input.dim() > 1 ? weight.view(broadcastShape(input.dim(), classDim, c)) : weight);
            return switch (r) {
                case LossReduction.MEAN -> input.numel() == 0 ? prod.sum().neg().fill_(Double.NaN) : prod.sum().neg().div((double) (input.numel() / c));
                case LossReduction.SUM -> prod.sum().neg();
                default -> prod.sum(classDim).neg();
            };
        }
    }

    static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, String reduction) {
        int r = LossReduction.of(reduction);
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException("Using a target size (torch.Size(" + Arrays.toString(target.shape()) + ")) that is different to the input size (torch.Size("
                    + Arrays.toString(input.shape()) + ")) is deprecated. Please ensure they have the same size.");
        for (double v : input.toDoubleArray())
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException("all elements of input should be between 0 and 1");
        Tensor w = weight == null ? null : weight.expand(input.shape());
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor loss = target.mul(input.log().clampMin(-100.0)).add(target.rsub(1.0).mul(input.neg().log1p().clampMin(-100.0))).neg();
            if (w != null) loss = loss.mul(w);
            out = LossReduction.apply(loss, r);
        }
        return Autograd.record("BinaryCrossEntropyBackward0", out, new Tensor[] {input, target}, new Tensor[] {input, target}, c -> new Tensor[] {
                c.needs(0) ? LossBackwards.binaryCrossEntropy(c.grad(), c.saved(0), c.saved(1), w, r) : null,
                c.needs(1) ? LossBackwards.binaryCrossEntropyTarget(c.grad(), c.saved(0), w, r) : null});
    }

    static Tensor binaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, String reduction) {
        int r = LossReduction.of(reduction);
        if (!Arrays.equals(input.shape(), target.shape()))
            throw new IllegalArgumentException("Target size (torch.Size(" + Arrays.toString(target.shape()) + ")) must be the same as input size (torch.Size("
                    + Arrays.toString(input.shape()) + "))");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor logSig = Activations.logsigmoid(input);
            Tensor loss = posWeight == null ? target.rsub(1.0).mul(input).sub(logSig)
                    : target.rsub(1.0).mul(input).sub(posWeight.sub(1.0).mul(target).add(1.0).mul(logSig));
            if (weight != null) loss = loss.mul(weight);
            out = LossReduction.apply(loss, r);
        }
        long n = input.numel();
        // binary_cross_entropy_with_logits_backward and its target twin: times grad, then weight, then / numel for a mean
        return Autograd.record("BinaryCrossEntropyWithLogitsBackward0", out, new Tensor[] {input, target}, new Tensor[] {input, target}, c -> {
            Tensor x = c.saved(0), t = c.saved(1);
            Tensor gx = null, gt = null;
            if (c.needs(0)) {
                if (posWeight == null) gx = x.sigmoid().sub(t);
                else {
                    Tensor pt = posWeight.mul(t);
                    gx = pt.add(1.0).sub(t).mul(x.sigmoid()).sub(pt);
                }
                gx = LossBackwards.weighted(gx.mul(c.grad()), weight, r, n);
            }
            if (c.needs(1)) {
                gt = posWeight == null ? x.neg() : Activations.logsigmoid(x.neg()).sub(Activations.logsigmoid(x).mul(posWeight));
                gt = LossBackwards.weighted(gt.mul(c.grad()), weight, r, n);
            }
            return new Tensor[] {gx, gt};
        });
    }

    static Tensor multilabelSoftMargin(Tensor input, Tensor target, Tensor weight, String reduction) {
        int r = LossReduction.of(reduction);
        Tensor loss = target.mul(Activations.logsigmoid(input)).add(target.rsub(1.0).mul(Activations.logsigmoid(input.neg()))).neg();
        if (weight != null) loss = loss.mul(weight);
        int classDim = input.dim() - 1;
        loss = loss.sum(classDim).div((double) input.size(classDim));
        return LossReduction.apply(loss, r);
    }
}
