package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * Activations PyTorch runs as fused kernels, composed here of tensor ops: the same values and gradients (PyTorch's
 * formulas), with the grad_fn of the last op rather than PyTorch's
 * fused name. Exported graphs reach them when fx traces through nn.Softsign, nn.GLU and the like.
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
}
