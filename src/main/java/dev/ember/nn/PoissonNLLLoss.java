package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.PoissonNLLLoss(log_input=True, full=False, eps=1e-8, reduction='mean')}. */
public class PoissonNLLLoss extends Loss {
    public final boolean logInput, full;
    public final double eps;

    public PoissonNLLLoss() { this(true, false, 1e-8, "mean"); }

    public PoissonNLLLoss(boolean logInput, boolean full, double eps, String reduction) {
        super(reduction, "log_input");
        this.logInput = logInput;
        this.full = full;
        this.eps = eps;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.poissonNllLoss(input, target, logInput, full, eps, reduction); }
}
