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
        throw new IllegalArgumentException("forward() missing 1 required positional argument: 'target'");
    }

    @Override
    public Object call(Object... args) {
        if (args.length != 2) throw new IllegalArgumentException("forward() takes 3 positional arguments but " + (args.length + 1) + " were given");
        return forward(tensorArg(args, 0, typeName(), 2), tensorArg(args, 1, typeName(), 2));
    }
}
