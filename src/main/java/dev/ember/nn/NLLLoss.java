package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.NLLLoss(weight=None, ignore_index=-100, reduction='mean')}. */
public class NLLLoss extends WeightedLoss {
    public final int ignoreIndex;

    public NLLLoss() { this(null, -100, "mean"); }

    public NLLLoss(Tensor weight, int ignoreIndex, String reduction) {
        super(weight, reduction);
        this.ignoreIndex = ignoreIndex;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.nllLoss(input, target, weight(), ignoreIndex, reduction); }
}
