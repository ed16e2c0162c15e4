package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.MemoryScope;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.WindowAxis;

import java.util.Arrays;

/**
 * Convolution and transposed convolution (1-D and 2-D) as im2col/col2im plus one GEMM per group, with
 * PyTorch's single {@code ConvolutionBackward0} node whose backward is written in the same differentiable
 * pieces: the input gradient of a convolution is a transposed convolution of the output gradient, and the
 * reverse. 1-D convolutions run as 2-D ones over a height of 1.
 */
final class Convolution {
    private Convolution() {}

    /** A convolution's geometry per spatial dim, already checked: padding before/after each dim. */
    record Geometry(int[] stride, int[] padBefore, int[] padAfter, int[] dilation, int[] outputPadding, int groups, boolean transposed) {}

    static Tensor convolution(Tensor x, Tensor w, Tensor b, Geometry g) {
        int sd = w.dim() - 2;
        int[] in = x.shape(), ws = w.shape();
        WindowAxis[] axes = axes(in, ws, g, sd);
        int chunk = samplesPerChunk(axes, ws, g.groups());
        WindowAxis rows = axes[0], cols = axes[1];
        int groups = g.groups();
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            Tensor x2 = lift(x, sd), w2 = lift(w, sd);
            out = byChunks(x2.size(0), chunk, (s, n) -> g.transposed() ? transposedConv(x2.narrow(0, s, n), w2, rows, cols, groups)
                    : conv(x2.narrow(0, s, n), w2, b, rows, cols, groups));
            if (b != null && g.transposed()) out = out.add(b.view(1, -1, 1, 1));
            out = drop(out.contiguous(), sd);
        }
        return Autograd.record("ConvolutionBackward0", out, new Tensor[] {x, w, b}, new Tensor[] {x, w},
                c -> backward(c.grad(), c.saved(0), c.saved(1), g, rows, cols, chunk, new boolean[] {c.needs(0), c.needs(1), c.needs(2)}));
    }

    /**
     * convolution_backward as an op of its own (ConvolutionBackwardBackward0, edges grad, input and weight, as
     * PyTorch's): the input gradient is a transposed convolution of gy (or the reverse), the weight gradient gy
     * against the input's columns, the bias gradient gy summed. Its derivative follows from the convolution being
     * linear in input and weight: in grad, {@code conv(ggI, w) + conv(x, ggW) + ggb}; in the input, the input
     * gradient of {@code conv(x, ggW)}; in the weight, the weight gradient of {@code conv(ggI, w)}.
     */
    private static Tensor[] backward(Tensor grad, Tensor x, Tensor w, Geometry g, WindowAxis rows, WindowAxis cols, int chunk, boolean[] mask) {
        int sd = w.dim() - 2, groups = g.groups();
        Tensor[] outs = new Tensor[3];
        try (var ng = GradMode.noGrad()) {
            Tensor gy = lift(grad, sd), x2 = lift(x, sd), w2 = lift(w, sd);
            if (mask[0]) outs[0] = drop(byChunks(gy.size(0), chunk, (s, n) -> g.transposed() ? conv(gy.narrow(0, s, n), w2, null, rows, cols, groups)
                    : inputGrad(gy.narrow(0, s, n), w2, rows, cols, groups)), sd);
            if (mask[1]) {
                Tensor direct = g.transposed() || groups != 1 ? null : directWeightGrad(x2, gy, w2.shape(), rows, cols);
                Tensor gw2 = direct;
                for (int s = 0; direct == null && s < gy.size(0); s += chunk) {
                    int n = Math.min(chunk, gy.size(0) - s);
                    Tensor gyc = gy.narrow(0, s, n), xc = x2.narrow(0, s, n);
                    try (MemoryScope scope = scratchScope()) {
                        Tensor part = g.transposed() ? weightGrad(columns(gyc, rows, cols, groups), matrix(xc, groups))
                                : weightGrad(columns(xc, rows, cols, groups), matrix(gyc, groups));
                        gw2 = keep(scope, gw2 == null ? part : gw2.add(part));
                    }
                }
                outs[1] = gw2 == null ? Tensor.zerosLike(w) : gw2.reshape(w.shape());
            }
            if (mask[2]) outs[2] = grad.sum(sd == 2 ? new int[] {0, 2, 3} : new int[] {0, 2}, false);
        }
        return Autograd.recordMulti("ConvolutionBackwardBackward0", outs, new Tensor[] {grad, x, w}, new Tensor[] {grad, x, w}, c -> {
            Tensor gy = c.saved(0), xs = c.saved(1), ws = c.saved(2);
            Tensor ggI = c.hasGrad(0) ? c.grad(0) : null, ggW = c.hasGrad(1) ? c.grad(1) : null, ggB = c.hasGrad(2) ? c.grad(2) : null;
            Tensor ggO = null;
            if (c.needs(0)) {
                if (ggI != null) ggO = convolution(ggI, ws, null, g);
                if (ggW != null) ggO = plus(ggO, convolution(xs, ggW, null, g));
                if (ggB != null) {
                    int[] view = new int[gy.dim()];
                    Arrays.fill(view, 1);
                    view[1] = -1;
                    ggO = plus(ggO, ggB.view(view).expand(gy.shape()));
                }
            }
            Tensor gX = c.needs(1) && ggW != null ? backward(gy, xs, ggW, g, rows, cols, chunk, new boolean[] {true, false, false})[0] : null;
            Tensor gW = c.needs(2) && ggI != null ? backward(gy, ggI, ws, g, rows, cols, chunk, new boolean[] {false, true, false})[1] : null;
            return new Tensor[] {ggO, gX, gW};
        });
    }

    private static Tensor plus(Tensor a, Tensor b) { return a == null ? b : a.add(b); }

    /** Column buffers above this many elements (128 MB of float32) are built a few samples at a time. */
    static long columnBudget = 1L << 25;

    /**
     * Samples per chunk so that one chunk's columns stay within {@link #columnBudget}. Every column buffer, forward
     * or backward, conv or transposed, holds {@code ws[1] * groups} channels times the kernel times the windows.
     */
    private static int samplesPerChunk(WindowAxis[] axes, int[] ws, int groups) {
        long perSample = (long) ws[1] * groups * axes[0].kernel() * axes[1].kernel() * axes[0].outputSize() * axes[1].outputSize();
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, columnBudget / Math.max(1, perSample)));
    }

    @FunctionalInterface
    private interface ChunkFn {
        Tensor apply(int start, int length);
    }

    /** Applies {@code f} to batch slices of at most {@code chunk} samples and concatenates the results. */
    private static Tensor byChunks(int batch, int chunk, ChunkFn f) {
        if (batch <= chunk) return f.apply(0, batch);
        java.util.List<Tensor> parts = new java.util.ArrayList<>();
        for (int s = 0; s < batch; s += chunk) parts.add(f.apply(s, Math.min(chunk, batch - s)));
        return Tensor.cat(parts, 0);
    }

    /** The window axes over the (2-D lifted) image: for a transposed conv they run over its output. */
    private static WindowAxis[] axes(int[] in, int[] ws, Geometry g, int sd) {
        WindowAxis[] a = new WindowAxis[2];
        a[0] = WindowAxis.sliding(1, 1, 1, 1, 0, 1);
        for (int d = 0; d < sd; d++) {
            int size = in[2 + d], k = ws[2 + d];
            int outSize = outputSize(size, k, g, d);
            int imageSize = g.transposed() ? outSize : size, windows = g.transposed() ? size : outSize;
            a[2 - sd + d] = WindowAxis.sliding(imageSize, windows, k, g.stride()[d], g.padBefore()[d], g.dilation()[d]);
        }
        return a;
    }

    static int outputSize(int size, int k, Geometry g, int d) {
        int span = g.dilation()[d] * (k - 1);
        if (g.transposed()) return (size - 1) * g.stride()[d] - g.padBefore()[d] - g.padAfter()[d] + span + g.outputPadding()[d] + 1;
        return (size + g.padBefore()[d] + g.padAfter()[d] - span - 1) / g.stride()[d] + 1;
    }

    private static Tensor lift(Tensor t, int sd) { return sd == 1 ? t.unsqueeze(2) : t; }

    private static Tensor drop(Tensor t, int sd) { return sd == 1 ? t.squeeze(2) : t; }

    /** im2col as a {@code [G, Cg*KH*KW, N*OH*OW]} matrix (a view of the column buffer, no copy). */
    private static Tensor columns(Tensor x, WindowAxis rows, WindowAxis cols, int groups) {
        Tensor c6 = WindowOps.im2col(x, rows, cols, true);
        int[] s = c6.shape();
        return c6.permute(1, 2, 3, 0, 4, 5).reshape(groups, s[1] / groups * s[2] * s[3], s[0] * s[4] * s[5]);
    }

    /** A {@code [N, C, H, W]} tensor as a {@code [G, C/G, N*H*W]} matrix. */
    private static Tensor matrix(Tensor x, int groups) {
        int[] s = x.shape();
        return x.transpose(0, 1).reshape(groups, s[1] / groups, s[0] * s[2] * s[3]);
    }

    /** Multiply-adds of one sample's product above which one GEMM over the whole batch beats a GEMM per sample. */
    private static final long BATCHED_GEMM_LIMIT = 1L << 20;

    /**
     * y = W * x (+ bias): weight [O, C/G, KH, KW], bias [O] or null. Small stride-1 layers run the backend's direct
     * kernel ({@link #suitsDirect}); everything else, and anything that autograd must see through, im2col and a GEMM.
     */
    static Tensor conv(Tensor x, Tensor w, Tensor bias, WindowAxis rows, WindowAxis cols, int groups) {
        // the direct kernel is one backend call that autograd cannot see through: only where no graph is being
        // recorded (every forward; a backward without create_graph, which computes a transposed conv's input
        // gradient here)
        if (groups == 1 && !GradMode.isEnabled() && suitsDirect(w.shape(), rows, cols)) {
            Tensor y = direct(x, w, bias, rows, cols);
            if (y != null) return y;
        }
        Tensor y = convByGemm(x, w, rows, cols, groups);
        return bias == null ? y : y.add(bias.view(1, -1, 1, 1));
    }

    /**
     * y = W * im2col(x). Small per-sample products run as a batched GEMM over per-sample columns, landing in the
     * output's [N, O, OH*OW] order; large ones run as one GEMM over K-major columns ([Cg*K, N*L], measured faster
     * for AlexNet-sized layers), whose [O, N, L] result is then transposed with contiguous rows.
     */
    private static Tensor convByGemm(Tensor x, Tensor w, WindowAxis rows, WindowAxis cols, int groups) {
        int[] ws = w.shape();
        int n = x.size(0), o = ws[0], og = o / groups, k = ws[1] * ws[2] * ws[3], l = rows.outputSize() * cols.outputSize();
        Tensor wm = w.reshape(groups, og, k);
        try (MemoryScope scope = scratchScope()) {
            if (n > 1 && (long) og * k * l > BATCHED_GEMM_LIMIT) {
                Tensor cm = columns(x, rows, cols, groups);
                Tensor y = groups == 1 ? wm.select(0, 0).mm(cm.select(0, 0)) : wm.matmul(cm);
                return keep(scope, y.reshape(o, n, rows.outputSize(), cols.outputSize()).transpose(0, 1).contiguous());
            }
            Tensor c = WindowOps.im2col(x, rows, cols, false).view(n * groups, k, l);
            Tensor wb = wm.unsqueeze(0).expand(n, groups, og, k).reshape(n * groups, og, k);
            Tensor y = n * groups == 1 ? wb.select(0, 0).mm(c.select(0, 0)).unsqueeze(0) : wb.bmm(c);
            return keep(scope, y.view(n, o, rows.outputSize(), cols.outputSize()));
        }
    }

    /**
     * Weights of at most this many output channels and taps per channel are convolved directly
     * ({@link dev.ember.tensor.spi.Backend#convDirect}): LeNet's 6x1x5x5 and 16x6x5x5, where the GEMM has 6 or 16
     * rows and im2col's copying outweighs the arithmetic. Wider layers go through im2col and BLAS.
     */
    private static final int DIRECT_MAX_OUT = 32, DIRECT_MAX_TAPS = 512;

    private static boolean suitsDirect(int[] ws, WindowAxis rows, WindowAxis cols) {
        return ws[0] <= DIRECT_MAX_OUT && ws[1] * ws[2] * ws[3] <= DIRECT_MAX_TAPS && rows.stride() == 1 && cols.stride() == 1
                && rows.dilation() == 1 && cols.dilation() == 1;
    }

    /** The direct convolution over an explicitly padded image, or null where the backend has no kernel for it. */
    private static Tensor direct(Tensor x, Tensor w, Tensor bias, WindowAxis rows, WindowAxis cols) {
        try (MemoryScope scope = scratchScope()) {
            Tensor xp = padded(x, rows, cols, w.size(2), w.size(3));
            Tensor y = Raw.emptyBuffer(x, new int[] {x.size(0), w.size(0), rows.outputSize(), cols.outputSize()}, null); // the kernel writes every element
            if (!x.backend().convDirect(xp.strided(), w.contiguous().strided(), bias == null ? null : bias.contiguous().strided(), y.strided())) return null;
            return keep(scope, y);
        }
    }

    /**
     * A small stride-1 convolution's weight gradient straight from the padded image and gy
     * ({@link dev.ember.tensor.spi.Backend#convWeightGradDirect}), or null where it does not suit or the backend has no
     * kernel; the caller then multiplies gy by the im2col columns.
     */
    private static Tensor directWeightGrad(Tensor x, Tensor gy, int[] ws, WindowAxis rows, WindowAxis cols) {
        if (!suitsDirect(ws, rows, cols)) return null;
        try (MemoryScope scope = scratchScope()) {
            Tensor xp = padded(x, rows, cols, ws[2], ws[3]);
            Tensor gw = Raw.emptyBuffer(x, ws, null); // the kernel writes every element
            if (!x.backend().convWeightGradDirect(xp.strided(), gy.contiguous().strided(), gw.strided())) return null;
            return keep(scope, gw);
        }
    }

    /** x, contiguous and padded explicitly to exactly the extent the windows of a stride-1 conv cover. */
    private static Tensor padded(Tensor x, WindowAxis rows, WindowAxis cols, int kh, int kw) {
        int oh = rows.outputSize(), ow = cols.outputSize(), padTop = rows.padding(), padLeft = cols.padding();
        Tensor xp = x.contiguous();
        if (padTop > 0 || padLeft > 0 || oh + kh - 1 != x.size(2) || ow + kw - 1 != x.size(3))
            xp = F.pad(xp, padLeft, ow + kw - 1 - x.size(3) - padLeft, padTop, oh + kh - 1 - x.size(2) - padTop);
        return xp;
    }

    /**
     * A scope for a product's temporaries (the im2col columns, several MB each): released as the product returns,
     * their memory serves the next conv while still in the cache. Only with grad mode off, where no autograd node
     * can hold on to them (the forward always runs so; a backward does unless create_graph); otherwise null.
     */
    private static MemoryScope scratchScope() { return GradMode.isEnabled() ? null : MemoryScope.open(); }

    private static Tensor keep(MemoryScope scope, Tensor t) { return scope == null ? t : scope.keep(t); }

    /**
     * A convolution's input gradient: the transposed convolution of gy, col2im(Wᵀ·gy). With stride 1, no dilation
     * and padding under the kernel it is also a plain convolution: gy padded by kernel - 1 - padding, correlated
     * with the kernel flipped in space and its input and output channels swapped. Small layers (LeNet's conv2 in
     * training) then run in the direct kernel, with no GEMM and no col2im scatter, where the backward allows it.
     */
    private static Tensor inputGrad(Tensor gy, Tensor w, WindowAxis rows, WindowAxis cols, int groups) {
        if (groups == 1 && !GradMode.isEnabled() && flippable(rows) && flippable(cols)) {
            WindowAxis r = flipped(rows), c = flipped(cols);
            Tensor wf = w.flip(2, 3).transpose(0, 1);
            if (suitsDirect(wf.shape(), r, c)) {
                Tensor gx = direct(gy, wf, null, r, c);
                if (gx != null) return gx;
            }
        }
        return transposedConv(gy, w, rows, cols, groups);
    }

    /** Stride and dilation 1, and padding on each side at most kernel - 1, so the flipped axis pads (never crops). */
    private static boolean flippable(WindowAxis a) {
        int padAfter = a.outputSize() + a.kernel() - 1 - a.inputSize() - a.padding();
        return a.stride() == 1 && a.dilation() == 1 && a.padding() < a.kernel() && padAfter < a.kernel();
    }

    /** The axis of the input-gradient convolution: over gy (the output), with the input's size as its windows. */
    private static WindowAxis flipped(WindowAxis a) {
        return WindowAxis.sliding(a.outputSize(), a.inputSize(), a.kernel(), 1, a.kernel() - 1 - a.padding(), 1);
    }

    /** y = col2im(W^T x): weight [C, O/G, KH, KW], x [N, C, H, W] with H, W the windows of the output image. */
    static Tensor transposedConv(Tensor x, Tensor w, WindowAxis rows, WindowAxis cols, int groups) {
        int[] ws = w.shape();
        int n = x.size(0), outC = ws[1] * groups;
        Tensor xm = matrix(x, groups);
        Tensor wm = w.reshape(groups, ws[0] / groups, ws[1] * ws[2] * ws[3]);
        Tensor cm = groups == 1 ? wm.select(0, 0).t().mm(xm.select(0, 0)).unsqueeze(0) : wm.transpose(1, 2).matmul(xm);
        Tensor c6 = cm.reshape(outC, ws[2], ws[3], n, rows.outputSize(), cols.outputSize()).permute(3, 0, 1, 2, 4, 5);
        return WindowOps.col2im(c6, rows, cols, n, outC);
    }

    /**
     * Weight gradient from the column matrix and the other operand's matrix: a conv's is {@code gy · colsᵀ}
     * ([G, O/G, Cg*K]); a transposed conv's is {@code x · cols(gy)ᵀ} ([G, C/G, (O/G)*K]).
     */
    private static Tensor weightGrad(Tensor cols, Tensor other) {
        return other.matmul(cols.transpose(1, 2));
    }

    // ------------------------------------------------------------ argument handling

    /** Expands an int or per-dim array to {@code n} dims, with PyTorch's message for a wrong length. */
    static int[] expand(int[] v, int n, String name) {
        if (v.length == n) return v.clone();
        if (v.length == 1) {
            int[] out = new int[n];
            Arrays.fill(out, v[0]);
            return out;
        }
        throw new IllegalArgumentException("expected " + name + " to be a single integer value or a list of " + n + " values to match the convolution dimensions, but got "
                + name + "=" + Arrays.toString(v));
    }

    /** PyTorch's checks of a (non-transposed or transposed) convolution's arguments, with its messages. */
    static void check(Tensor x, Tensor w, Tensor b, int sd, Geometry g, String op) {
        if (x.dim() != sd + 2)
            throw new IllegalArgumentException("Expected " + (sd + 1) + "D (unbatched) or " + (sd + 2) + "D (batched) input to " + op + ", but got input of size: "
                    + Arrays.toString(x.shape()));
        if (w.dim() != sd + 2)
            throw new IllegalArgumentException("weight should have at least three dimensions");
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != x.dtype()))
            throw new IllegalArgumentException("expected scalar type " + scalarName(x) + " but found " + scalarName(x.dtype() != w.dtype() ? w : b));
        for (int d = 0; d < sd; d++) {
            if (g.stride()[d] <= 0) throw new IllegalArgumentException("non-positive stride is not supported");
            if (g.dilation()[d] <= 0) throw new IllegalArgumentException("dilation should be greater than zero");
            if (g.padBefore()[d] < 0 || g.padAfter()[d] < 0) throw new IllegalArgumentException("negative padding is not supported");
        }
        if (g.groups() <= 0) throw new IllegalArgumentException("non-positive groups is not supported");
        int[] ws = w.shape(), xs = x.shape();
        if (!g.transposed()) {
            if (ws[0] % g.groups() != 0)
                throw new IllegalArgumentException("Given groups=" + g.groups() + ", expected weight to be divisible by " + g.groups() + " at dimension 0, but got weight of size ["
                        + Arrays.toString(ws) + "] instead");
            if (xs[1] != ws[1] * g.groups())
                throw new IllegalArgumentException("Given groups=" + g.groups() + ", weight of size " + Arrays.toString(ws) + ", expected input" + Arrays.toString(xs) + " to have "
                        + ws[1] * g.groups() + " channels, but got " + xs[1] + " channels instead");
            if (b != null && (b.dim() != 1 || b.size(0) != ws[0]))
                throw new IllegalArgumentException("Given weight of size " + Arrays.toString(ws) + ", expected bias to be 1-dimensional with " + ws[0]
                        + " elements, but got bias of size " + Arrays.toString(b.shape()) + " instead");
            StringBuilder padded = new StringBuilder(), kernel = new StringBuilder();
            boolean tooBig = false;
            for (int d = 0; d < sd; d++) {
                int p = xs[2 + d] + g.padBefore()[d] + g.padAfter()[d], k = g.dilation()[d] * (ws[2 + d] - 1) + 1;
                padded.append(d == 0 ? "" : " x ").append(p);
                kernel.append(d == 0 ? "" : " x ").append(k);
                tooBig |= p < k;
            }
            if (tooBig)
                throw new IllegalArgumentException("Calculated padded input size per channel: (" + padded + "). Kernel size: (" + kernel
                        + "). Kernel size can't be greater than actual input size");
        } else {
            if (xs[1] != ws[0])
                throw new IllegalArgumentException("Given transposed=1, weight of size " + Arrays.toString(ws) + ", expected input" + Arrays.toString(xs) + " to have "
                        + ws[0] + " channels, but got " + xs[1] + " channels instead");
            if (ws[0] % g.groups() != 0)
                throw new IllegalArgumentException("Given groups=" + g.groups() + ", expected weight to be divisible by " + g.groups() + " at dimension 0, but got weight of size ["
                        + Arrays.toString(ws) + "] instead");
            if (b != null && (b.dim() != 1 || b.size(0) != ws[1] * g.groups()))
                throw new IllegalArgumentException("Given transposed=1, weight of size " + Arrays.toString(ws) + ", expected bias to be 1-dimensional with "
                        + ws[1] * g.groups() + " elements, but got bias of size " + Arrays.toString(b.shape()) + " instead");
            for (int d = 0; d < sd; d++) {
                int op2 = g.outputPadding()[d];
                if (op2 >= g.stride()[d] && op2 >= g.dilation()[d])
                    throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but got output_padding_height: "
                            + g.outputPadding()[0] + " output_padding_width: " + g.outputPadding()[sd - 1] + " stride_height: " + g.stride()[0]
                            + " stride_width: " + g.stride()[sd - 1] + " dilation_height: " + g.dilation()[0] + " dilation_width: " + g.dilation()[sd - 1]);
            }
            for (int d = 0; d < sd; d++)
                if (outputSize(xs[2 + d], ws[2 + d], g, d) <= 0)
                    throw new IllegalArgumentException("Given input size per channel: " + Arrays.toString(Arrays.copyOfRange(xs, 2, xs.length))
                            + ". Calculated output size per channel is too small");
        }
    }

    static String scalarName(Tensor t) {
        return switch (t.dtype()) {
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
            case INT64 -> "Long";
            case INT32 -> "Int";
            case INT16 -> "Short";
            case INT8 -> "Char";
            case UINT8 -> "Byte";
            case BOOL -> "Bool";
        };
    }
}
