package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.HingeEmbeddingLoss(margin=1.0, reduction='mean')}. */
public class HingeEmbeddingLoss extends Loss {
    public final double margin;

    public HingeEmbeddingLoss() { this(1.0, "mean"); }

    public HingeEmbeddingLoss(double margin, String reduction) {
        super(reduction);
        this.margin = margin;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.hingeEmbeddingLoss(input, target, margin, reduction); }
}
