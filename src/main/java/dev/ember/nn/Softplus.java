package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.Softplus(beta=1, threshold=20)}: log(1 + exp(beta x)) / beta, linear above the threshold. */
public class Softplus extends Module {
    public final double beta, threshold;

    public Softplus() { this(1, 20); }

    public Softplus(double beta, double threshold) {
        this.beta = beta;
        this.threshold = threshold;
    }

    @Override
    public Tensor forward(Tensor input) { return F.softplus(input, beta, threshold); }

    /** PyTorch's defaults are ints (beta=1, threshold=20), so whole values print without ".0". */
    @Override
    public String extraRepr() { return "beta=" + num(beta) + ", threshold=" + num(threshold); }

    private static String num(double v) { return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : Repr.pyFloat(v); }
}
