package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** PyTorch's {@code _Loss}: a reduction of "none", "mean" (the default) or "sum"; forward(input, target). */
public abstract class Loss extends Module {
    public final String reduction;
    /** The name Python's forward gives its first argument, which its missing-argument error prints. */
    private final String inputName;

    protected Loss(String reduction) {
        this(reduction, "input");
    }

    protected Loss(String reduction, String inputName) {
        this.reduction = reduction;
        this.inputName = inputName;
    }

    public abstract Tensor forward(Tensor input, Tensor target);

    /** A loss needs a target; the one-tensor forward is PyTorch's missing-argument error. */
    @Override
    public Tensor forward(Tensor input) {
        throw missingArguments("target");
    }

    @Override
    public Object call(Object... args) {
        Tensor[] t = requiredTensors(args, inputName, "target");
        return forward(t[0], t[1]);
    }
}
