package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * {@code nn.Parameter}: a leaf tensor that a {@link Module} registers as trainable. It shares the given
 * tensor's storage and requires grad unless told otherwise.
 */
public final class Parameter extends Tensor {

    public Parameter(Tensor data) { this(data, true); }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data.detach());
        if (requiresGrad) requiresGrad_(true);
    }

    @Override
    public String toString() { return "Parameter containing:\n" + super.toString(); }
}
