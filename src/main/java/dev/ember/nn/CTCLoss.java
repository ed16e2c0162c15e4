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
    public Tensor forward(Tensor input) { throw missingArguments("targets", "input_lengths", "target_lengths"); }

    @Override
    public Tensor forward(Tensor input, Tensor target) { throw missingArguments("input_lengths", "target_lengths"); }

    @Override
    public Object call(Object... args) {
        Tensor[] t = requiredTensors(args, "log_probs", "targets", "input_lengths", "target_lengths");
        return forward(t[0], t[1], t[2], t[3]);
    }
}
