package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.MarginRankingLoss(margin=0.0, reduction='mean')}: forward(input1, input2, target). */
public class MarginRankingLoss extends Loss {
    public final double margin;

    public MarginRankingLoss() { this(0.0, "mean"); }

    public MarginRankingLoss(double margin, String reduction) {
        super(reduction);
        this.margin = margin;
    }

    public Tensor forward(Tensor input1, Tensor input2, Tensor target) { return F.marginRankingLoss(input1, input2, target, margin, reduction); }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        throw new IllegalArgumentException("forward() missing 1 required positional argument: 'target'");
    }

    @Override
    public Object call(Object... args) {
        return forward(tensorArg(args, 0, typeName(), 3), tensorArg(args, 1, typeName(), 3), tensorArg(args, 2, typeName(), 3));
    }
}
