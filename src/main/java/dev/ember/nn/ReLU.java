package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** {@code nn.ReLU(inplace=False)}. */
public class ReLU extends Module {
    public final boolean inplace;

    public ReLU() { this(false); }

    public ReLU(boolean inplace) { this.inplace = inplace; }

    @Override
    public Tensor forward(Tensor input) { return inplace ? input.relu_() : input.relu(); }

    @Override
    public String extraRepr() { return inplace ? "inplace=True" : ""; }
}
