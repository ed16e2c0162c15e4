package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.ELU(alpha=1.0, inplace=False)}. */
public class ELU extends Module {
    public final double alpha;
    public final boolean inplace;

    public ELU() { this(1.0, false); }

    public ELU(double alpha) { this(alpha, false); }

    public ELU(double alpha, boolean inplace) {
        this.alpha = alpha;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) { return inplace ? Layers.inplace(input, x -> F.elu(x, alpha)) : F.elu(input, alpha); }

    @Override
    public String extraRepr() { return "alpha=" + Repr.pyFloat(alpha) + (inplace ? ", inplace=True" : ""); }
}
