package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * CTC loss by the log-space forward-backward algorithm, like PyTorch's CPU kernel: {@code _ctc_loss} gives the
 * per-sample negative log likelihood and, as its dedicated backward, {@code exp(lp) - exp(log(αβ) + nll - lp)},
 * the same expression PyTorch uses (it equals the true gradient once it passes through log_softmax). The
 * reductions around it are composed as ATen composes them. Runs on the host in double precision.
 */
final class CtcLoss {
    private CtcLoss() {}

    static Tensor ctcLoss(Tensor logProbs, Tensor targets, long[] inputLengths, long[] targetLengths, int blank, String reduction, boolean zeroInfinity) {
        int r = LossReduction.of(reduction);
        boolean unbatched = logProbs.dim() == 2;
        Tensor lp = unbatched ? logProbs.unsqueeze(1) : logProbs;
        if (lp.dim() != 3) throw new IllegalArgumentException("ctc_loss: expected log_probs to be 2-D or 3-D, got " + logProbs.dim() + "-D");
        if (unbatched && targets.dim() == 1 && targetLengths.length == 1) targets = targets.unsqueeze(0);
        int T = lp.size(0), N = lp.size(1), C = lp.size(2);
        if (blank < 0 || blank >= C) throw new IllegalArgumentException("blank must be in label range");
        if (inputLengths.length != N) throw new IllegalArgumentException("input_lengths must be of size batch_size");
        if (targetLengths.length != N) throw new IllegalArgumentException("target_lengths must be of size batch_size");
        if (targets.dtype() != DType.INT64 && targets.dtype() != DType.INT32)
            throw new IllegalArgumentException("Expected tensor for argument #2 'targets' to have one of the following scalar types: Long, Int; but got "
                    + targets.dtype().legacyTypeName() + " instead (while checking arguments for ctc_loss_cpu)");
        long[] tg = targets.reshape(-1).toLongArray();
        int[] offsets = new int[N];
        int maxTarget = 0;
        boolean concatenated = targets.dim() == 1;
        for (int b = 0, pos = 0; b < N; b++) {
            if (targetLengths[b] < 0) throw new IllegalArgumentException("target_lengths must be non-negative");
            maxTarget = (int) Math.max(maxTarget, targetLengths[b]);
            offsets[b] = concatenated ? pos : b * targets.size(targets.dim() - 1);
            pos += (int) targetLengths[b];
            if (inputLengths[b] > T)
                throw new IllegalArgumentException("Expected input_lengths to have value at most " + T + ", but got value " + inputLengths[b]
                        + " (while checking arguments for ctc_loss_cpu)");
        }
        if (!concatenated && targets.size(1) < maxTarget)
            throw new IllegalArgumentException("Expected tensor to have size at least " + maxTarget + " at dimension 1, but got size " + targets.size(1)
                    + " for argument #2 'targets' (while checking arguments for ctc_loss_cpu)");
        double[] lpv = lp.contiguous().toDoubleArray();
        double[] nll = new double[N];
        double[] grad = new double[T * N * C];
        IntStream.range(0, N).parallel().forEach(b -> sample(lpv, T, N, C, b, tg, offsets[b], (int) targetLengths[b], (int) inputLengths[b], blank, zeroInfinity, nll, grad));
        Tensor nllT = Tensor.fromArray(nll, N).to(logProbs.dtype()).to(logProbs.device());
        Tensor gradT = Tensor.fromArray(grad, T, N, C).to(logProbs.dtype()).to(logProbs.device());
        Tensor res = Autograd.record("CtcLossBackward0", nllT, new Tensor[] {lp}, new Tensor[] {}, c -> new Tensor[] {gradT.mul(c.grad().view(1, N, 1))});
        if (zeroInfinity) res = Tensor.where(res.eq(Double.POSITIVE_INFINITY), Tensor.zeros(new int[0], res.dtype()).to(res.device()), res);
        if (r == LossReduction.MEAN) {
            double[] tl = new double[N];
            for (int b = 0; b < N; b++) tl[b] = Math.max(1, targetLengths[b]);
            return res.div(Tensor.fromArray(tl, N).to(res.dtype()).to(res.device())).mean();
        }
        if (r == LossReduction.SUM) return res.sum();
        return unbatched ? res.squeeze(0) : res;
    }

    private static double lse(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) return b;
        if (b == Double.NEGATIVE_INFINITY) return a;
        double m = Math.max(a, b);
        return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
    }

    /** One sample's alpha/beta recursions, its nll, and its gradient slice [T, b, C]. */
    private static void sample(double[] lp, int T, int N, int C, int b, long[] tg, int off, int L, int inLen, int blank, boolean zeroInf,
                               double[] nllOut, double[] grad) {
        int S = 2 * L + 1;
        int[] label = new int[S];
        for (int s = 0; s < S; s++) {
            if (s % 2 == 0) label[s] = blank;
            else {
                long v = tg[off + s / 2];
                if (v < 0 || v >= C) throw new IndexOutOfBoundsException("target index " + v + " is out of bounds for " + C + " classes");
                label[s] = (int) v;
            }
        }
        double ninf = Double.NEGATIVE_INFINITY;
        double[][] alpha = new double[Math.max(inLen, 1)][S], beta = new double[Math.max(inLen, 1)][S];
        for (double[] row : alpha) Arrays.fill(row, ninf);
        for (double[] row : beta) Arrays.fill(row, ninf);
        if (inLen == 0) {
            nllOut[b] = L == 0 ? 0 : Double.POSITIVE_INFINITY;
            if (zeroInf && Double.isInfinite(nllOut[b])) nllOut[b] = Double.POSITIVE_INFINITY;
            return;
        }
        alpha[0][0] = lp(lp, 0, b, blank, N, C);
        if (S > 1) alpha[0][1] = lp(lp, 0, b, label[1], N, C);
        for (int t = 1; t < inLen; t++) {
            for (int s = 0; s < S; s++) {
                double a = alpha[t - 1][s];
                if (s > 0) a = lse(a, alpha[t - 1][s - 1]);
                if (s > 1 && label[s] != blank && label[s] != label[s - 2]) a = lse(a, alpha[t - 1][s - 2]);
                alpha[t][s] = a == ninf ? ninf : a + lp(lp, t, b, label[s], N, C);
            }
        }
        int last = inLen - 1;
        double ll = S > 1 ? lse(alpha[last][S - 1], alpha[last][S - 2]) : alpha[last][S - 1];
        double nll = -ll;
        nllOut[b] = nll;
        beta[last][S - 1] = lp(lp, last, b, label[S - 1], N, C);
        if (S > 1) beta[last][S - 2] = lp(lp, last, b, label[S - 2], N, C);
        for (int t = last - 1; t >= 0; t--) {
            for (int s = 0; s < S; s++) {
                double v = beta[t + 1][s];
                if (s < S - 1) v = lse(v, beta[t + 1][s + 1]);
                if (s < S - 2 && label[s] != blank && label[s] != label[s + 2]) v = lse(v, beta[t + 1][s + 2]);
                beta[t][s] = v == ninf ? ninf : v + lp(lp, t, b, label[s], N, C);
            }
        }
        boolean zero = zeroInf && Double.isInfinite(nll);
        double[] lcab = new double[C];
        for (int t = 0; t < inLen; t++) {
            Arrays.fill(lcab, ninf);
            for (int s = 0; s < S; s++) lcab[label[s]] = lse(lcab[label[s]], alpha[t][s] + beta[t][s]);
            for (int c = 0; c < C; c++) {
                double l = lp(lp, t, b, c, N, C);
                grad[(t * N + b) * C + c] = zero ? 0 : Math.exp(l) - Math.exp(lcab[c] + nll - l);
            }
        }
    }

    private static double lp(double[] lp, int t, int b, int c, int N, int C) { return lp[(t * N + b) * C + c]; }
}
