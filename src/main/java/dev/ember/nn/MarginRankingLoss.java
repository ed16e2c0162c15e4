package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.MarginRankingLoss(margin=0.0, reduction='mean')}: forward(input1, input2, target). */
public class MarginRankingLoss extends TernaryLoss {
    public final double margin;

    public MarginRankingLoss() { this(0.0, "mean"); }

    public MarginRankingLoss(double margin, String reduction) {
        super(reduction, "input1", "input2", "target");
        this.margin = margin;
    }

    @Override
    public Tensor forward(Tensor input1, Tensor input2, Tensor target) { return F.marginRankingLoss(input1, input2, target, margin, reduction); }
}
