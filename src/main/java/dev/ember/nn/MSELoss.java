package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.MSELoss(reduction='mean')}. */
public class MSELoss extends Loss {
    public MSELoss() { this("mean"); }

    public MSELoss(String reduction) { super(reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.mseLoss(input, target, reduction); }
}
