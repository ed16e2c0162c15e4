package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.CTCLoss(blank=0, reduction='mean', zero_infinity=False)}: forward(log_probs, targets, input_lengths, target_lengths). */
public class CTCLoss extends Loss {
    public final int blank;
    public final boolean zeroInfinity;

    public CTCLoss() { this(0, "mean", false); }

    public CTCLoss(int blank, String reduction, boolean zeroInfinity) {
        super(reduction);
        this.blank = blank;
        this.zeroInfinity = zeroInfinity;
    }

    public Tensor forward(Tensor logProbs, Tensor targets, Tensor inputLengths, Tensor targetLengths) {
        return F.ctcLoss(logProbs, targets, inputLengths, targetLengths, blank, reduction, zeroInfinity);
    }

    @Override
    public Tensor forward(Tensor input, Tensor target) {
        throw new IllegalArgumentException("forward() missing 2 required positional arguments: 'input_lengths' and 'target_lengths'");
    }

    @Override
    public Object call(Object... args) {
        return forward(tensorArg(args, 0, typeName(), 4), tensorArg(args, 1, typeName(), 4), tensorArg(args, 2, typeName(), 4), tensorArg(args, 3, typeName(), 4));
    }
}
