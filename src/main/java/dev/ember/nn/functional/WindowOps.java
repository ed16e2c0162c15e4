package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.Strided;
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

    /**
     * The backend's view of a 3-D (unbatched) or 4-D tensor as 4-D. PyTorch's 2-D pooling kernels take an unbatched
     * input as it is, so the batch dim they add is no recorded unsqueeze.
     */
    private static Strided batched(Tensor t) {
        Strided s = t.strided();
        return t.dim() == 3 ? new Strided(s.storage(), s.layout().unsqueeze(0)) : s;
    }

    /** {@code t}'s shape with the last two dims (the plane) replaced. */
    private static int[] withPlane(Tensor t, int h, int w) {
        int[] s = t.shape().clone();
        s[s.length - 2] = h;
        s[s.length - 1] = w;
        return s;
    }

    /** Window sums of a 3-D or 4-D input (average pooling before the division). */
    static Tensor sumPool(Tensor x, WindowAxis rows, WindowAxis cols, String name) {
        Tensor out = Raw.zerosLike(x, withPlane(x, rows.outputSize(), cols.outputSize()));
        x.backend().sumPool2d(batched(x), rows, cols, batched(out));
        return Autograd.record(name, out, x, g -> new Tensor[] {sumPoolBackward(g.grad(), rows, cols)});
    }

    /** The transpose of {@link #sumPool}: each window's value added to the positions it covers. */
    static Tensor sumPoolBackward(Tensor g, WindowAxis rows, WindowAxis cols) {
        Tensor out = Raw.zerosLike(g, withPlane(g, rows.inputSize(), cols.inputSize()));
        g.backend().sumPool2dBackward(batched(g), rows, cols, batched(out));
        return Autograd.record("AvgPool2DBackwardBackward0", out, g, c -> new Tensor[] {sumPool(c.grad(), rows, cols, "AvgPool2DBackward0")});
    }

    /**
     * Max pooling of a 3-D or 4-D input with PyTorch's indices (flat within each plane); the backward scatters the
     * gradient to those indices, and its own backward gathers, so double backward works.
     */
    static Tensor[] maxPool(Tensor x, WindowAxis rows, WindowAxis cols, String name) {
        int[] os = withPlane(x, rows.outputSize(), cols.outputSize());
        Tensor values = Raw.zerosLike(x, os);
        Tensor indices = Raw.zeros(os, dev.ember.tensor.DType.INT64, x.device());
        x.backend().maxPool2d(batched(x), rows, cols, batched(values), batched(indices));
        Tensor out = Autograd.record(name, values, new Tensor[] {x}, new Tensor[] {x, indices},
                c -> new Tensor[] {maxPoolBackward(name.replace("Backward0", "BackwardBackward0"), c.grad(), c.saved(0), c.saved(1))});
        return new Tensor[] {out, indices};
    }

    /** The leading dims of {@code t} and -1 for its plane: max_pool_double_backward's view. */
    private static int[] planes(Tensor t) {
        int[] s = java.util.Arrays.copyOf(t.shape(), t.dim() - 1);
        s[s.length - 1] = -1;
        return s;
    }

    /**
     * max_pool2d_with_indices_backward as an op of its own (edges grad and self, as PyTorch's): the gradient
     * scattered to the indices; its derivative in grad gathers there (max_pool_double_backward), in self is zero.
     */
    private static Tensor maxPoolBackward(String name, Tensor g, Tensor self, Tensor indices) {
        int[] inShape = self.shape(), flatShape = planes(self);
        Tensor out;
        try (var ng = GradMode.noGrad()) {
            flatShape[flatShape.length - 1] = inShape[inShape.length - 2] * inShape[inShape.length - 1];
            Tensor flat = Tensor.zeros(flatShape, g.dtype()).to(g.device());
            out = flat.scatterAdd(-1, indices.reshape(planes(indices)), g.reshape(planes(g))).view(inShape);
        }
        return Autograd.record(name, out, new Tensor[] {g, self}, new Tensor[] {indices}, k -> {
            Tensor idx = k.saved(0);
            return new Tensor[] {k.needs(0) ? k.grad().contiguous().view(planes(idx)).gather(-1, idx.view(planes(idx))).view(idx.shape()) : null,
                    k.needs(1) ? Tensor.zerosLike(k.grad()) : null};
        });
    }
}
