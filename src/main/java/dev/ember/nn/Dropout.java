package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.Dropout(p=0.5, inplace=False)}: zeroes with probability p and scales by 1/(1-p) in training; identity in eval. */
public class Dropout extends Module {
    public final double p;
    public final boolean inplace;

    public Dropout() { this(0.5, false); }

    public Dropout(double p) { this(p, false); }

    public Dropout(double p, boolean inplace) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + Repr.pyFloat(p));
        this.p = p;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) { return F.dropout(input, p, isTraining(), inplace); }

    @Override
    public String extraRepr() { return "p=" + Repr.pyFloat(p) + ", inplace=" + Repr.bool(inplace); }
}
