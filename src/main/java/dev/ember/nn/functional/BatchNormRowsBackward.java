package dev.ember.nn.functional;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * The first-order gradients of a training-mode batch norm over a CPU input of one value per (sample, channel)
 * ([N, C] or [N, C, 1, 1]), as PyTorch 1.13's CPU kernel computes them (batch_norm_cpu_backward_channels_last_impl,
 * which takes these inputs), in the input's own dtype: per channel, {@code sum} and {@code dotp} run down the
 * batch in order, then {@code dx = (dy - sum/N - (x - mean) k) * invstd * w} with {@code k = dotp * invstd * invstd / N}.
 * PyTorch's build lets the compiler fuse a multiply into the add or subtract that follows it (GCC contracts the
 * AVX2 intrinsics into FMA), so {@code dotp += (x - mean) dy} and {@code - (x - mean) k} round once; Math.fma
 * does the same. Where the batch is two samples the normalized values are ±1 and every gradient is rounding
 * noise, so only these roundings give PyTorch's values (a bias before the batch norm gets exactly 0).
 */
final class BatchNormRowsBackward {
    private BatchNormRowsBackward() {}

    /** Whether {@link #gradients} computes this batch norm's first derivatives. */
    static boolean applies(Tensor x, boolean batchStats) {
        return batchStats && x.device().isCpu() && x.numel() == (long) x.size(0) * x.size(1)
                && (x.dtype() == DType.FLOAT32 || x.dtype() == DType.FLOAT64);
    }

    /** The input, weight and bias gradients (null where {@code mask} says none is needed); w may be null. */
    static Tensor[] gradients(Tensor gy, Tensor x, Tensor mean, Tensor rstd, Tensor w, boolean[] mask) {
        int n = x.size(0), c = x.size(1);
        double[] dy = gy.contiguous().toDoubleArray(), xs = x.contiguous().toDoubleArray();
        double[] m = mean.toDoubleArray(), is = rstd.toDoubleArray(), ws = w == null ? null : w.toDoubleArray();
        double[] dx = new double[n * c], gw = new double[c], gb = new double[c];
        boolean single = x.dtype() == DType.FLOAT32;
        for (int ch = 0; ch < c; ch++) {
            double wc = ws == null ? 1 : ws[ch];
            if (single) channel((float) m[ch], (float) is[ch], (float) wc, dy, xs, n, c, ch, dx, gw, gb);
            else channel(m[ch], is[ch], wc, dy, xs, n, c, ch, dx, gw, gb);
        }
        int[] cs = {c};
        Tensor[] outs = new Tensor[3];
        if (mask[0]) outs[0] = Tensor.fromArray(dx, x.shape()).to(x.dtype());
        if (mask[1]) outs[1] = Tensor.fromArray(gw, cs).to(x.dtype());
        if (mask[2]) outs[2] = Tensor.fromArray(gb, cs).to(x.dtype());
        return outs;
    }

    /** One channel in float32 arithmetic; the values pass through double arrays, which hold floats exactly. */
    private static void channel(float mean, float invstd, float w, double[] dy, double[] x, int n, int c, int ch, double[] dx, double[] gw, double[] gb) {
        float sum = 0, dotp = 0;
        for (int i = ch; i < n * c; i += c) {
            sum += (float) dy[i];
            dotp = Math.fma((float) x[i] - mean, (float) dy[i], dotp);
        }
        float k = dotp * invstd * invstd / n, gradMean = sum / n;
        for (int i = ch; i < n * c; i += c) dx[i] = Math.fma(-((float) x[i] - mean), k, (float) dy[i] - gradMean) * invstd * w;
        gw[ch] = dotp * invstd;
        gb[ch] = sum;
    }

    /** The same channel in float64. */
    private static void channel(double mean, double invstd, double w, double[] dy, double[] x, int n, int c, int ch, double[] dx, double[] gw, double[] gb) {
        double sum = 0, dotp = 0;
        for (int i = ch; i < n * c; i += c) {
            sum += dy[i];
            dotp = Math.fma(x[i] - mean, dy[i], dotp);
        }
        double k = dotp * invstd * invstd / n, gradMean = sum / n;
        for (int i = ch; i < n * c; i += c) dx[i] = Math.fma(-(x[i] - mean), k, dy[i] - gradMean) * invstd * w;
        gw[ch] = dotp * invstd;
        gb[ch] = sum;
    }
}
