package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** {@code nn.Unflatten(dim, unflattened_size)}. */
public class Unflatten extends Module {
    public final int dim;
    private final int[] unflattenedSize;

    public Unflatten(int dim, int... unflattenedSize) {
        this.dim = dim;
        this.unflattenedSize = unflattenedSize.clone();
    }

    public int[] unflattenedSize() { return unflattenedSize.clone(); }

    @Override
    public Tensor forward(Tensor input) { return input.unflatten(dim, unflattenedSize); }

    @Override
    public String extraRepr() { return "dim=" + dim + ", unflattened_size=" + Repr.tuple(unflattenedSize); }
}
