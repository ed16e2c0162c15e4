package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** {@code nn.Sigmoid()}. */
public class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) { return input.sigmoid(); }
}
