package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.SiLU(inplace=False)}: x * sigmoid(x). */
public class SiLU extends Module {
    public final boolean inplace;

    public SiLU() { this(false); }

    public SiLU(boolean inplace) { this.inplace = inplace; }

    @Override
    public Tensor forward(Tensor input) { return inplace ? Layers.inplace(input, F::silu) : F.silu(input); }

    @Override
    public String extraRepr() { return inplace ? "inplace=True" : ""; }
}
