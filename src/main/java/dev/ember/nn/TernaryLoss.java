package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * A loss whose forward takes three tensors (CosineEmbeddingLoss and MarginRankingLoss: input1, input2, target;
 * TripletMarginLoss: anchor, positive, negative): fewer are PyTorch's missing-argument error, naming them.
 */
public abstract class TernaryLoss extends Loss {
    private final String[] names;

    protected TernaryLoss(String reduction, String... names) {
        super(reduction);
        this.names = names;
    }

    public abstract Tensor forward(Tensor first, Tensor second, Tensor third);

    @Override
    public Tensor forward(Tensor input) { throw missingArguments(names[1], names[2]); }

    @Override
    public Tensor forward(Tensor first, Tensor second) { throw missingArguments(names[2]); }

    @Override
    public Object call(Object... args) {
        Tensor[] t = requiredTensors(args, names);
        return forward(t[0], t[1], t[2]);
    }
}
