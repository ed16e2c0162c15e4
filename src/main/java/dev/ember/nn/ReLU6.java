package dev.ember.nn;

/** {@code nn.ReLU6(inplace=False)}: Hardtanh(0, 6). */
public class ReLU6 extends Hardtanh {
    public ReLU6() { this(false); }

    public ReLU6(boolean inplace) { super(0, 6, inplace); }

    @Override
    public String extraRepr() { return inplace ? "inplace=True" : ""; }
}
