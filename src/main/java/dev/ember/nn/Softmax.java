package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** {@code nn.Softmax(dim=None)}; without a dim, PyTorch's legacy choice (0 for 0-, 1- and 3-dim input, else 1). */
public class Softmax extends Module {
    public final Integer dim;

    public Softmax() { this(null); }

    public Softmax(Integer dim) { this.dim = dim; }

    static int legacyDim(int ndim) { return ndim == 0 || ndim == 1 || ndim == 3 ? 0 : 1; }

    @Override
    public Tensor forward(Tensor input) { return input.softmax(dim != null ? dim : legacyDim(input.dim())); }

    @Override
    public String extraRepr() { return "dim=" + (dim == null ? "None" : dim); }
}
