package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.WindowAxis;

import java.util.Arrays;

/** Argument handling of conv{1,2}d, conv_transpose{1,2}d, unfold and fold: defaults, 'same'/'valid', unbatched inputs. */
final class ConvFunctions {
    private ConvFunctions() {}

    static Tensor conv(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, String paddingMode, int[] dilation, int groups, int sd) {
        String op = "conv" + sd + "d";
        if (x.dim() != sd + 1 && x.dim() != sd + 2)
            throw new IllegalArgumentException("Expected " + (sd + 1) + "D (unbatched) or " + (sd + 2) + "D (batched) input to " + op + ", but got input of size: "
                    + Arrays.toString(x.shape()));
        boolean unbatched = x.dim() == sd + 1;
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        int[] s = Convolution.expand(stride, sd, "stride"), d = Convolution.expand(dilation, sd, "dilation");
        int[] before, after;
        if (paddingMode != null) {
            before = new int[sd];
            after = new int[sd];
            switch (paddingMode) {
                case "valid" -> { }
                case "same" -> {
                    for (int v : s) if (v != 1) throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
                    if (w.dim() != sd + 2) throw new IllegalArgumentException("weight should have at least three dimensions");
                    for (int i = 0; i < sd; i++) {
                        int total = d[i] * (w.size(2 + i) - 1);
                        before[i] = total / 2;
                        after[i] = total - before[i];
                    }
                }
                default -> throw new IllegalArgumentException("Invalid padding string: '" + paddingMode + "'");
            }
        } else {
            before = Convolution.expand(padding, sd, "padding");
            after = before.clone();
        }
        var g = new Convolution.Geometry(s, before, after, d, new int[sd], groups, false);
        Convolution.check(in, w, b, sd, g, op);
        Tensor y = Convolution.convolution(in, w, b, g);
        return unbatched ? y.squeeze(0) : y;
    }

    static Tensor convTranspose(Tensor x, Tensor w, Tensor b, int[] stride, int[] padding, int[] outputPadding, int groups, int[] dilation, int sd) {
        String op = "conv_transpose" + sd + "d";
        if (x.dim() != sd + 1 && x.dim() != sd + 2)
            throw new IllegalArgumentException("Expected " + (sd + 1) + "D (unbatched) or " + (sd + 2) + "D (batched) input to " + op + ", but got input of size: "
                    + Arrays.toString(x.shape()));
        boolean unbatched = x.dim() == sd + 1;
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        int[] p = Convolution.expand(padding, sd, "padding");
        var g = new Convolution.Geometry(Convolution.expand(stride, sd, "stride"), p, p.clone(), Convolution.expand(dilation, sd, "dilation"),
                Convolution.expand(outputPadding, sd, "output_padding"), groups, true);
        Convolution.check(in, w, b, sd, g, op);
        Tensor y = Convolution.convolution(in, w, b, g);
        return unbatched ? y.squeeze(0) : y;
    }

    private static WindowAxis axis(int in, int k, int d, int p, int s, String what) {
        int out = (in + 2 * p - d * (k - 1) - 1) / s + 1;
        return WindowAxis.sliding(in, out, k, s, p, d);
    }

    static Tensor unfold(Tensor x, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (x.dim() != 3 && x.dim() != 4)
            throw new IllegalArgumentException("Input Error: Only 3D or 4D input Tensors are supported (got " + x.dim() + "D)");
        Tensor in = x.dim() == 3 ? x.unsqueeze(0) : x;
        int[] k = PoolArgs.pair(kernel, "unfold", "kernel_size"), d = PoolArgs.pair(dilation, "unfold", "dilation");
        int[] p = PoolArgs.pair(padding, "unfold", "padding"), s = PoolArgs.pair(stride, "unfold", "stride");
        WindowAxis rows = axis(in.size(2), k[0], d[0], p[0], s[0], "height"), cols = axis(in.size(3), k[1], d[1], p[1], s[1], "width");
        if (rows.outputSize() < 1 || cols.outputSize() < 1)
            throw new IllegalArgumentException("Given input with spatial size (" + in.size(2) + ", " + in.size(3) + "), kernel_size=(" + k[0] + ", " + k[1]
                    + "), dilation=(" + d[0] + ", " + d[1] + "), padding=(" + p[0] + ", " + p[1] + "), calculated shape of the array of sliding blocks as ("
                    + rows.outputSize() + ", " + cols.outputSize() + "), but its components must be at least one.");
        Tensor c6 = WindowOps.im2col(in, rows, cols);
        Tensor y = c6.reshape(in.size(0), in.size(1) * k[0] * k[1], rows.outputSize() * cols.outputSize());
        return x.dim() == 3 ? y.squeeze(0) : y;
    }

    static Tensor fold(Tensor x, int[] outputSize, int[] kernel, int[] dilation, int[] padding, int[] stride) {
        if (x.dim() != 2 && x.dim() != 3)
            throw new IllegalArgumentException("Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported (got " + x.dim() + "D)");
        Tensor in = x.dim() == 2 ? x.unsqueeze(0) : x;
        int[] o = PoolArgs.pair(outputSize, "fold", "output_size"), k = PoolArgs.pair(kernel, "fold", "kernel_size");
        int[] d = PoolArgs.pair(dilation, "fold", "dilation"), p = PoolArgs.pair(padding, "fold", "padding"), s = PoolArgs.pair(stride, "fold", "stride");
        int kk = k[0] * k[1];
        if (in.size(1) % kk != 0)
            throw new IllegalArgumentException("Expected size of input's dimension 1 to be divisible by the product of kernel_size, but got input.size(1)=" + in.size(1)
                    + " and kernel_size=(" + k[0] + ", " + k[1] + ").");
        WindowAxis rows = axis(o[0], k[0], d[0], p[0], s[0], "height"), cols = axis(o[1], k[1], d[1], p[1], s[1], "width");
        int blocks = rows.outputSize() * cols.outputSize();
        if (in.size(2) != blocks)
            throw new IllegalArgumentException("Given output_size=(" + o[0] + ", " + o[1] + "), kernel_size=(" + k[0] + ", " + k[1] + "), dilation=(" + d[0] + ", " + d[1]
                    + "), padding=(" + p[0] + ", " + p[1] + "), stride=(" + s[0] + ", " + s[1] + "), expected size of input's dimension 2 to match the calculated number of "
                    + "sliding blocks " + rows.outputSize() + " * " + cols.outputSize() + " = " + blocks + ", but got input.size(2)=" + in.size(2) + ".");
        int n = in.size(0), c = in.size(1) / kk;
        Tensor y = WindowOps.col2im(in.reshape(n, c, k[0], k[1], rows.outputSize(), cols.outputSize()), rows, cols, n, c);
        return x.dim() == 2 ? y.squeeze(0) : y;
    }
}
