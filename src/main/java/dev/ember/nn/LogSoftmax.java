package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** {@code nn.LogSoftmax(dim=None)}. */
public class LogSoftmax extends Module {
    public final Integer dim;

    public LogSoftmax() { this(null); }

    public LogSoftmax(Integer dim) { this.dim = dim; }

    @Override
    public Tensor forward(Tensor input) { return input.logSoftmax(dim != null ? dim : Softmax.legacyDim(input.dim())); }

    @Override
    public String extraRepr() { return "dim=" + (dim == null ? "None" : dim); }
}
