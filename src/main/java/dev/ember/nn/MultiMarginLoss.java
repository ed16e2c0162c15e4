package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.MultiMarginLoss(p=1, margin=1.0, weight=None, reduction='mean')}. */
public class MultiMarginLoss extends WeightedLoss {
    public final int p;
    public final double margin;

    public MultiMarginLoss() { this(1, 1.0, null, "mean"); }

    public MultiMarginLoss(int p, double margin, Tensor weight, String reduction) {
        super(weight, reduction);
        if (p != 1 && p != 2) throw new IllegalArgumentException("only p == 1 and p == 2 supported");
        if (weight != null && weight.dim() != 1) throw new IllegalArgumentException("MultiMarginLoss: expected weight to be None or 1D tensor, got "
                + weight.dim() + "D instead");
        this.p = p;
        this.margin = margin;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.multiMarginLoss(input, target, p, margin, weight(), reduction); }
}
