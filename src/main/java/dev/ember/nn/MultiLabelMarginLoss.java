package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.MultiLabelMarginLoss(reduction='mean')}: targets are class indices ended by -1. */
public class MultiLabelMarginLoss extends Loss {
    public MultiLabelMarginLoss() { this("mean"); }

    public MultiLabelMarginLoss(String reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.multilabelMarginLoss(input, target, reduction); }
}
