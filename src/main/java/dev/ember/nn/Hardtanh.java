package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)}. */
public class Hardtanh extends Module {
    public final double minVal, maxVal;
    public final boolean inplace;

    public Hardtanh() { this(-1.0, 1.0, false); }

    public Hardtanh(double minVal, double maxVal) { this(minVal, maxVal, false); }

    public Hardtanh(double minVal, double maxVal, boolean inplace) {
        if (maxVal <= minVal) throw new IllegalArgumentException("AssertionError: max_val must be larger than min_val");
        this.minVal = minVal;
        this.maxVal = maxVal;
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return inplace ? Layers.inplace(input, x -> F.hardtanh(x, minVal, maxVal)) : F.hardtanh(input, minVal, maxVal);
    }

    @Override
    public String extraRepr() { return "min_val=" + Repr.pyFloat(minVal) + ", max_val=" + Repr.pyFloat(maxVal) + (inplace ? ", inplace=True" : ""); }
}
