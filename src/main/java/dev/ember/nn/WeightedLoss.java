package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** PyTorch's {@code _WeightedLoss}: the class weight is a (persistent) buffer named "weight", or None. */
public abstract class WeightedLoss extends Loss {
    protected WeightedLoss(Tensor weight, String reduction) {
        super(reduction);
        registerBuffer("weight", weight);
    }

    public Tensor weight() { return buffer("weight"); }
}
