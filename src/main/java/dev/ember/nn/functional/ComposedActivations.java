package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Activations PyTorch runs as fused kernels, composed here of tensor ops: the same values and gradients (PyTorch's
 * formulas), with the grad_fn of the last op rather than PyTorch's
 * fused name. Exported graphs reach them when fx traces through nn.Hardswish, nn.PReLU and the like.
 */
final class ComposedActivations {
    private ComposedActivations() {}

    /** x / (1 + |x|). */
    static Tensor softsign(Tensor x) { return x.div(x.abs().add(1.0)); }

    /** x - tanh(x). */
    static Tensor tanhshrink(Tensor x) { return x.sub(x.tanh()); }

    /** softmax(-x). */
    static Tensor softmin(Tensor x, int dim) { return x.neg().softmax(dim); }

    /** a * sigmoid(b) for the two halves of {@code dim}. */
    static Tensor glu(Tensor x, int dim) {
        int d = dim < 0 ? dim + x.dim() : dim;
        if (x.dim() == 0) throw new IllegalArgumentException("glu does not support scalars because halving size must be even");
        if (x.size(d) % 2 != 0)
            throw new IllegalArgumentException("Halving dimension must be even, but dimension " + d + " is size " + x.size(d));
        List<Tensor> halves = x.chunk(2, d);
        return halves.get(0).mul(halves.get(1).sigmoid());
    }

    /** max(0, x) + weight * min(0, x), one weight per channel (dim 1) or one for all. */
    static Tensor prelu(Tensor x, Tensor weight) {
        if (weight.dim() > 1) throw new IllegalArgumentException("prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = " + weight.dim());
        int channels = x.dim() >= 2 ? x.size(1) : 1, n = weight.numel();
        if (n != 1 && n != channels)
            throw new IllegalArgumentException("Mismatch of parameter numbers and input channel size. Found parameter numbers = " + n + " and channel size = "
                    + channels + ".");
        Tensor w = weight;
        if (n != 1 && x.dim() >= 2) {
            int[] shape = new int[x.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[1] = n;
            w = weight.reshape(shape);
        } else if (n == 1) {
            w = weight.reshape();
        }
        // PyTorch's prelu kernel gives a row-major result whatever x's memory order
        Tensor r = x.contiguous();
        return Tensor.where(r.gt(0.0), r, r.mul(w));
    }
}
