package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** PyTorch's {@code _Loss}: a reduction of "none", "mean" (the default) or "sum"; forward(input, target). */
public abstract class Loss extends Module {
    public final String reduction;

    protected Loss(String reduction) {
        this.reduction = reduction;
    }

    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target; the one-tensor forward is PyTorch's missing-argument error. */
    @Override
    public Tensor forward(Tensor input) {
        throw missingArguments("target");
    }

    @Override
    public Object call(Object... args) {
        Tensor[] t = requiredTensors(args, "input", "target");
        return forward(t[0], t[1]);
    }
}
