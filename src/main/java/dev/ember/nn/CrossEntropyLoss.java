package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/**
 * {@code nn.CrossEntropyLoss(weight=None, ignore_index=-100, reduction='mean', label_smoothing=0.0)}: targets are
 * class indices (int64, [N] or [N, d1, ...]) or class probabilities (the input's shape).
 */
public class CrossEntropyLoss extends WeightedLoss {
    public final int ignoreIndex;
    public final double labelSmoothing;

    public CrossEntropyLoss() { this(null, -100, "mean", 0.0); }

    public CrossEntropyLoss(Tensor weight, int ignoreIndex, String reduction, double labelSmoothing) {
        super(weight, reduction);
        this.ignoreIndex = ignoreIndex;
        this.labelSmoothing = labelSmoothing;
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) { return F.crossEntropy(input, target, weight(), ignoreIndex, reduction, labelSmoothing); }
}
