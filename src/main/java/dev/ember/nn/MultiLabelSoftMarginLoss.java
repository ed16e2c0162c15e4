package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.MultiLabelSoftMarginLoss(weight=None, reduction='mean')}. */
public class MultiLabelSoftMarginLoss extends WeightedLoss {
    public MultiLabelSoftMarginLoss() { this(null, "mean"); }

    public MultiLabelSoftMarginLoss(Tensor weight, String reduction) { super(weight, reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.multilabelSoftMarginLoss(input, target, weight(), reduction); }
}
