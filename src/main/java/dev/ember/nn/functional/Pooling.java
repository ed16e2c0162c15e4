package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.WindowAxis;

import java.util.Arrays;

/**
 * Max, average and adaptive pooling over 1-D and 2-D inputs, batched or not, with PyTorch's output sizes
 * (ceil_mode included), window clipping, divisors and messages.
 */
final class Pooling {
    private Pooling() {}

    /** PyTorch's pooling_output_shape: floor (or ceil) division, and no window may start in the right padding. */
    static int outputSize(int in, int k, int pad, int stride, int dilation, boolean ceil) {
        long num = (long) in + 2L * pad - (long) dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0);
        int out = (int) Math.floorDiv(num, stride) + 1;
        if (ceil && (long) (out - 1) * stride >= (long) in + pad) out--;
        return out;
    }

    /** 1-D pooling runs as 2-D over a height of 1 ([N, C, L] or [C, L] unsqueezed at -2, as PyTorch's); 2-D takes 3-D or 4-D. */
    private static Tensor lift(Tensor x, int sd) { return sd == 1 ? x.unsqueeze(-2) : x; }

    private static Tensor drop(Tensor y, int sd) { return sd == 1 ? y.squeeze(-2) : y; }

    /** The shape checks of max_pool{1,2}d_with_indices and avg_pool{1,2}d, with PyTorch's (differing) messages. */
    private static void checkInput(Tensor x, int sd, String op) {
        boolean rankOk = x.dim() == sd + 1 || x.dim() == sd + 2;
        if (!rankOk) {
            if (op.equals("avg_pool1d"))
                throw new IllegalArgumentException("Expected 2 to 3 dimensions, but got " + x.dim() + "-dimensional tensor for argument #1 'self' (while checking arguments for avg_pool1d)");
            if (sd == 1)
                throw new IllegalArgumentException(op + ": Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, but got:" + Arrays.toString(x.shape()));
            throw new IllegalArgumentException("non-empty 3D or 4D (batch mode) tensor expected for input");
        }
        boolean ok = true;
        for (int d = 1; d < x.dim(); d++) ok &= x.size(d) != 0;
        if (ok && x.dim() == sd + 1) ok = x.size(0) != 0;
        if (!ok) {
            String dims = sd == 1 ? "2D or 3D" : "3D or 4D";
            throw new IllegalArgumentException("Expected " + dims + " (batch mode) tensor with optional 0 dim batch size for input, but got:" + Arrays.toString(x.shape()));
        }
        Activations.requireFloating(x, op.startsWith("max") ? "max_pool2d" : "avg_pool2d");
    }

    /** Sliding windows for both axes of a lifted input; checks the arguments as pool2d_shape_check does. */
    private static WindowAxis[] sliding(Tensor lifted, int[] k, int[] s, int[] p, int[] d, boolean ceil, int sd) {
        int[] k2 = sd == 1 ? new int[] {1, k[0]} : k, s2 = sd == 1 ? new int[] {1, s[0]} : s;
        int[] p2 = sd == 1 ? new int[] {0, p[0]} : p, d2 = sd == 1 ? new int[] {1, d[0]} : d;
        if (s2[0] == 0 || s2[1] == 0) throw new IllegalArgumentException("stride should not be zero");
        if (k2[0] <= 0 || k2[1] <= 0) throw new IllegalArgumentException("kernel size should be greater than zero, but got kH: " + k2[0] + " kW: " + k2[1]);
        if (s2[0] < 0 || s2[1] < 0) throw new IllegalArgumentException("stride should be greater than zero, but got dH: " + s2[0] + " dW: " + s2[1]);
        if (d2[0] <= 0 || d2[1] <= 0)
            throw new IllegalArgumentException("dilation should be greater than zero, but got dilationH: " + d2[0] + " dilationW: " + d2[1]);
        for (int a = 0; a < 2; a++)
            if (p2[a] > k2[a] / 2)
                throw new IllegalArgumentException("pad should be at most half of kernel size, but got pad=" + p2[a] + " and kernel_size=" + k2[a]);
        int h = lifted.size(-2), w = lifted.size(-1);
        int oh = outputSize(h, k2[0], p2[0], s2[0], d2[0], ceil), ow = outputSize(w, k2[1], p2[1], s2[1], d2[1], ceil);
        if (oh < 1 || ow < 1)
            throw new IllegalArgumentException("Given input size: (" + lifted.size(-3) + "x" + h + "x" + w + "). Calculated output size: (" + lifted.size(-3) + "x" + oh + "x" + ow
                    + "). Output size is too small");
        return new WindowAxis[] {WindowAxis.sliding(h, oh, k2[0], s2[0], p2[0], d2[0]), WindowAxis.sliding(w, ow, k2[1], s2[1], p2[1], d2[1])};
    }

    /** max_pool{1,2}d_with_indices: values and int64 indices (flat within each H*W plane). */
    static Tensor[] maxPool(Tensor x, int[] k, int[] s, int[] p, int[] d, boolean ceil, int sd) {
        String op = sd == 1 ? "max_pool1d" : "max_pool2d";
        checkInput(x, sd, op);
        Tensor lifted = lift(x, sd);
        WindowAxis[] a = sliding(lifted, k, s, p, d, ceil, sd);
        Tensor[] r = WindowOps.maxPool(lifted, a[0], a[1], "MaxPool2DWithIndicesBackward0");
        return new Tensor[] {drop(r[0], sd), drop(r[1], sd)};
    }

    static Tensor[] adaptiveMaxPool(Tensor x, int[] outputSize, int sd) {
        String op = sd == 1 ? "adaptive_max_pool1d" : "adaptive_max_pool2d";
        checkAdaptive(x, outputSize, sd, op);
        Tensor lifted = lift(x, sd);
        WindowAxis[] a = adaptiveAxes(lifted, outputSize, sd);
        Tensor[] r = WindowOps.maxPool(lifted, a[0], a[1], "AdaptiveMaxPool2DBackward0");
        return new Tensor[] {drop(r[0], sd), drop(r[1], sd)};
    }

    /** avg_pool: window sums over in-bounds elements divided by PyTorch's per-window divisor. */
    static Tensor avgPool(Tensor x, int[] k, int[] s, int[] p, boolean ceil, boolean countIncludePad, Integer divisorOverride, int sd) {
        String op = sd == 1 ? "avg_pool1d" : "avg_pool2d";
        checkInput(x, sd, op);
        if (divisorOverride != null && divisorOverride == 0) throw new IllegalArgumentException("divisor must be not zero");
        Tensor lifted = lift(x, sd);
        WindowAxis[] a = sliding(lifted, k, s, p, new int[] {1, 1}, ceil, sd);
        Tensor divisor = divisors(a[0], a[1], countIncludePad, divisorOverride, x);
        return drop(averaged("AvgPool2DBackward0", lifted, a, divisor), sd);
    }

    /**
     * Window sums divided per output cell (by each divisor in turn), recorded as {@code name}; its backward is an op of its own
     * ({@code AvgPool2DBackwardBackward0}, edges grad and self, as PyTorch's), whose derivative in grad is this
     * pooling again and in self zero.
     */
    private static Tensor averaged(String name, Tensor lifted, WindowAxis[] a, Tensor... divisor) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = divided(WindowOps.sumPool(lifted, a[0], a[1], name), divisor);
        }
        return Autograd.record(name, out, new Tensor[] {lifted}, new Tensor[] {lifted}, c -> new Tensor[] {averagedBackward(name, c.grad(), c.saved(0), a, divisor)});
    }

    private static Tensor averagedBackward(String name, Tensor grad, Tensor self, WindowAxis[] a, Tensor[] divisor) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = WindowOps.sumPoolBackward(divided(grad, divisor), a[0], a[1]);
        }
        return Autograd.record(name.replace("Backward0", "BackwardBackward0"), out, new Tensor[] {grad, self}, new Tensor[] {}, c -> new Tensor[] {
                c.needs(0) ? averaged(name, c.grad(), a, divisor) : null,
                c.needs(1) ? Tensor.zerosLike(c.grad()) : null});
    }

    private static Tensor divided(Tensor t, Tensor[] divisors) {
        for (Tensor d : divisors) t = t.div(d);
        return t;
    }

    /** Per-output-cell divisor, the product of one factor per axis as in PyTorch's cpu_avg_pool (1 for empty windows). */
    private static Tensor divisors(WindowAxis rows, WindowAxis cols, boolean countIncludePad, Integer divisorOverride, Tensor like) {
        int oh = rows.outputSize(), ow = cols.outputSize();
        double[] v = new double[oh * ow];
        int[] fr = new int[oh], fc = new int[ow];
        boolean[] er = new boolean[oh], ec = new boolean[ow];
        axisFactors(rows, countIncludePad, fr, er);
        axisFactors(cols, countIncludePad, fc, ec);
        for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
                v[i * ow + j] = er[i] || ec[j] ? 1 : divisorOverride != null ? divisorOverride : (double) fr[i] * fc[j];
        return Tensor.fromArray(v, oh, ow).to(like.dtype()).to(like.device());
    }

    private static void axisFactors(WindowAxis a, boolean countIncludePad, int[] factor, boolean[] empty) {
        for (int o = 0; o < a.outputSize(); o++) {
            int start = a.start(o), end = Math.min(start + a.kernel(), a.inputSize() + a.padding());
            int poolSize = end - start;
            start = Math.max(start, 0);
            end = Math.min(end, a.inputSize());
            empty[o] = start >= end;
            factor[o] = countIncludePad ? poolSize : end - start;
        }
    }

    static Tensor adaptiveAvgPool(Tensor x, int[] outputSize, int sd) {
        String op = sd == 1 ? "adaptive_avg_pool1d" : "adaptive_avg_pool2d";
        checkAdaptive(x, outputSize, sd, op);
        Tensor lifted = lift(x, sd);
        WindowAxis[] a = adaptiveAxes(lifted, outputSize, sd);
        // ATen averages to a single cell with mean (MeanBackward1)
        if (a[0].outputSize() == 1 && a[1].outputSize() == 1) return drop(lifted.mean(new int[] {-1, -2}, true), sd);
        // divided by each axis's window size in turn, as ATen's kernel divides
        return drop(averaged("AdaptiveAvgPool2DBackward0", lifted, a, windowSizes(a[0], x).view(-1, 1), windowSizes(a[1], x).view(1, -1)), sd);
    }

    private static Tensor windowSizes(WindowAxis a, Tensor like) {
        double[] v = new double[a.outputSize()];
        for (int o = 0; o < v.length; o++) v[o] = a.size(o);
        return Tensor.fromArray(v, v.length).to(like.dtype()).to(like.device());
    }

    private static void checkAdaptive(Tensor x, int[] outputSize, int sd, String op) {
        if (outputSize.length != sd)
            throw new IllegalArgumentException(op + ": output_size must be " + sd);
        boolean ok = x.dim() == sd + 1 || x.dim() == sd + 2;
        for (int d = 1; ok && d < x.dim(); d++) ok = x.size(d) > 0;
        if (!ok) {
            String dims = sd == 1 ? "2D or 3D" : "3D or 4D";
            throw new IllegalArgumentException(op + "(): Expected " + dims + " tensor, but got" + (op.contains("max") ? ": " : " ") + Arrays.toString(x.shape()));
        }
        Activations.requireFloating(x, op);
    }

    /** Adaptive windows; an output size of -1 (Python's None) keeps the input size. */
    private static WindowAxis[] adaptiveAxes(Tensor lifted, int[] outputSize, int sd) {
        int h = lifted.size(-2), w = lifted.size(-1);
        int oh = sd == 1 ? 1 : outputSize[0] < 0 ? h : outputSize[0];
        int ow = outputSize[sd - 1] < 0 ? w : outputSize[sd - 1];
        return new WindowAxis[] {WindowAxis.adaptive(h, oh), WindowAxis.adaptive(w, ow)};
    }

}
