package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.WindowAxis;

/**
 * The differentiable window primitives that convolution and pooling are built from. Each backward is
 * written with the others (im2col and col2im are each other's transpose, as are the window sum and its
 * transpose), so gradients of gradients work on every backend.
 */
final class WindowOps {
    private WindowOps() {}

    /**
     * Columns {@code [N, C, KH, KW, OH, OW]} of a 4-D input. {@code kMajor} lays the buffer out as
     * {@code [C, KH, KW, N, OH, OW]}, so that a GEMM reads it as one {@code [C*KH*KW, N*OH*OW]} matrix (a weight
     * gradient's layout); otherwise it is contiguous, one {@code [C*KH*KW, OH*OW]} matrix per sample (a
     * forward's layout, whose products land in the output's own [N, O, L] order).
     */
    static Tensor im2col(Tensor x, WindowAxis rows, WindowAxis cols, boolean kMajor) {
        int[] s = x.shape();
        int n = s[0], c = s[1], kh = rows.kernel(), kw = cols.kernel(), oh = rows.outputSize(), ow = cols.outputSize();
        int[] storage = kMajor ? new int[] {c, kh, kw, n, oh, ow} : new int[] {n, c, kh, kw, oh, ow}, perm = kMajor ? new int[] {3, 0, 1, 2, 4, 5} : null;
        Tensor out = Raw.emptyBuffer(x, storage, perm); // the kernel writes every element, padding included
        x.backend().im2col(x.strided(), rows, cols, out.strided());
        return Autograd.record("Im2ColBackward0", out, x, g -> new Tensor[] {col2im(g.grad(), rows, cols, n, c)});
    }

    /** Adds columns {@code [N, C, KH, KW, OH, OW]} back into a zero {@code [N, C, H, W]} image. */
    static Tensor col2im(Tensor columns, WindowAxis rows, WindowAxis cols, int n, int c) {
        Tensor out = Raw.zerosLike(columns, new int[] {n, c, rows.inputSize(), cols.inputSize()});
        columns.backend().col2im(columns.strided(), rows, cols, out.strided());
        return Autograd.record("Col2ImBackward0", out, columns, g -> new Tensor[] {im2col(g.grad(), rows, cols, false)});
    }

    /** Window sums of a 4-D input (average pooling before the division). */
    static Tensor sumPool(Tensor x, WindowAxis rows, WindowAxis cols, String name) {
        int[] s = x.shape();
        Tensor out = Raw.zerosLike(x, new int[] {s[0], s[1], rows.outputSize(), cols.outputSize()});
        x.backend().sumPool2d(x.strided(), rows, cols, out.strided());
        return Autograd.record(name, out, x, g -> new Tensor[] {sumPoolBackward(g.grad(), rows, cols)});
    }

    /** The transpose of {@link #sumPool}: each window's value added to the positions it covers. */
    static Tensor sumPoolBackward(Tensor g, WindowAxis rows, WindowAxis cols) {
        int[] s = g.shape();
        Tensor out = Raw.zerosLike(g, new int[] {s[0], s[1], rows.inputSize(), cols.inputSize()});
        g.backend().sumPool2dBackward(g.strided(), rows, cols, out.strided());
        return Autograd.record("AvgPool2DBackwardBackward0", out, g, c -> new Tensor[] {sumPool(c.grad(), rows, cols, "AvgPool2DBackward0")});
    }

    /**
     * Max pooling with PyTorch's indices (flat within each plane); the backward scatters the gradient to
     * those indices, and its own backward gathers, so double backward works.
     */
    static Tensor[] maxPool(Tensor x, WindowAxis rows, WindowAxis cols, String name) {
        int[] s = x.shape();
        int[] os = {s[0], s[1], rows.outputSize(), cols.outputSize()};
        Tensor values = Raw.zerosLike(x, os);
        Tensor indices = Raw.zeros(os, dev.ember.tensor.DType.INT64, x.device());
        x.backend().maxPool2d(x.strided(), rows, cols, values.strided(), indices.strided());
        Tensor out = Autograd.record(name, values, new Tensor[] {x}, new Tensor[] {x, indices},
                c -> new Tensor[] {maxPoolBackward(name.replace("Backward0", "BackwardBackward0"), c.grad(), c.saved(0), c.saved(1))});
        return new Tensor[] {out, indices};
    }

    /**
     * max_pool2d_with_indices_backward as an op of its own (edges grad and self, as PyTorch's): the gradient
     * scattered to the indices; its derivative in grad gathers there (max_pool_double_backward), in self is zero.
     */
    private static Tensor maxPoolBackward(String name, Tensor g, Tensor self, Tensor indices) {
        int[] inShape = self.shape();
        int n = inShape[0], c = inShape[1];
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            Tensor flat = Tensor.zeros(new int[] {n, c, inShape[2] * inShape[3]}, g.dtype()).to(g.device());
            out = flat.scatterAdd(2, indices.reshape(n, c, -1), g.reshape(n, c, -1)).view(inShape);
        }
        return Autograd.record(name, out, new Tensor[] {g, self}, new Tensor[] {indices}, k -> new Tensor[] {
                k.needs(0) ? k.grad().reshape(n, c, -1).gather(2, k.saved(0).reshape(n, c, -1)).view(k.saved(0).shape()) : null,
                k.needs(1) ? Tensor.zerosLike(k.grad()) : null});
    }
}
