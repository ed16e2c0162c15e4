package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.BCELoss(weight=None, reduction='mean')}: logs clamped at -100, as in PyTorch. */
public class BCELoss extends WeightedLoss {
    public BCELoss() { this(null, "mean"); }

    public BCELoss(Tensor weight, String reduction) { super(weight, reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.binaryCrossEntropy(input, target, weight(), reduction); }
}
