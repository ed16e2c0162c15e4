package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.BCEWithLogitsLoss(weight=None, reduction='mean', pos_weight=None)}: buffers "weight" and "pos_weight". */
public class BCEWithLogitsLoss extends Loss {
    public BCEWithLogitsLoss() { this(null, "mean", null); }

    public BCEWithLogitsLoss(Tensor weight, String reduction, Tensor posWeight) {
        super(reduction);
        registerBuffer("weight", weight);
        registerBuffer("pos_weight", posWeight);
    }

    public Tensor weight() { return buffer("weight"); }

    public Tensor posWeight() { return buffer("pos_weight"); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.binaryCrossEntropyWithLogits(input, target, weight(), posWeight(), reduction); }
}
