package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** {@code nn.Identity}: returns its input. */
public class Identity extends Module {
    public Identity() {}

    @Override
    public Tensor forward(Tensor input) { return input; }
}
