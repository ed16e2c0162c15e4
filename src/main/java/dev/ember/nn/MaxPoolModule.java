package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * A max pooling module (MaxPool1d, MaxPool2d, AdaptiveMaxPool2d): {@link #forward} gives the values, and with
 * {@code return_indices} a call gives [values, indices] as PyTorch's module returns the pair.
 */
public abstract class MaxPoolModule extends Module {
    public final boolean returnIndices;

    protected MaxPoolModule(boolean returnIndices) { this.returnIndices = returnIndices; }

    /** The pooled values and the flat index of each maximum within its input plane. */
    public abstract List<Tensor> forwardWithIndices(Tensor input);

    @Override
    public Tensor forward(Tensor input) { return forwardWithIndices(input).get(0); }

    @Override
    public Object call(Object... args) {
        Tensor x = tensorArg(args, 0, typeName(), 1);
        return returnIndices ? forwardWithIndices(x) : forward(x);
    }
}
