package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.GELU(approximate='none')}; {@code "tanh"} selects the tanh approximation. */
public class GELU extends Module {
    public final String approximate;

    public GELU() { this("none"); }

    public GELU(String approximate) { this.approximate = approximate; }

    @Override
    public Tensor forward(Tensor input) { return F.gelu(input, approximate); }

    @Override
    public String extraRepr() { return "approximate='" + approximate + "'"; }
}
