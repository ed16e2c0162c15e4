package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.LeakyReLU(negative_slope=0.01, inplace=False)}. */
public class LeakyReLU extends Module {
    public final double negativeSlope;
    public final boolean inplace;

    public LeakyReLU() { this(0.01, false); }

    public LeakyReLU(double negativeSlope) { this(negativeSlope, false); }

    public LeakyReLU(double negativeSlope, boolean inplace) {
        this.negativeSlope = negativeSlope;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return inplace ? Layers.inplace(input, x -> F.leakyRelu(x, negativeSlope)) : F.leakyRelu(input, negativeSlope);
    }

    @Override
    public String extraRepr() { return "negative_slope=" + Repr.pyFloat(negativeSlope) + (inplace ? ", inplace=True" : ""); }
}
