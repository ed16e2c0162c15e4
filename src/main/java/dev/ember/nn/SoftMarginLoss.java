package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.SoftMarginLoss(reduction='mean')}: log(1 + exp(-y x)). */
public class SoftMarginLoss extends Loss {
    public SoftMarginLoss() { this("mean"); }

    public SoftMarginLoss(String reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.softMarginLoss(input, target, reduction); }
}
