package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.TripletMarginLoss(margin=1.0, p=2.0, eps=1e-6, swap=False, reduction='mean')}: forward(anchor, positive, negative). */
public class TripletMarginLoss extends TernaryLoss {
    public final double margin, p, eps;
    public final boolean swap;

    public TripletMarginLoss() { this(1.0, 2.0, 1e-6, false, "mean"); }

    public TripletMarginLoss(double margin, double p, double eps, boolean swap, String reduction) {
        super(reduction, "anchor", "positive", "negative");
        if (margin <= 0) throw new IllegalArgumentException("TripletMarginLoss: expected margin to be greater than 0, got " + Repr.pyFloat(margin) + " instead");
        this.margin = margin;
        this.p = p;
        this.eps = eps;
        this.swap = swap;
    }

    @Override
    public Tensor forward(Tensor anchor, Tensor positive, Tensor negative) {
        return F.tripletMarginLoss(anchor, positive, negative, margin, p, eps, swap, reduction);
    }
}
