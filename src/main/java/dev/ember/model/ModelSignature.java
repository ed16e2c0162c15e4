package dev.ember.model;

import java.util.List;

/** A model's inputs (in forward's order) and outputs (in the order forward returns them). */
public record ModelSignature(List<TensorSignature> inputs, List<TensorSignature> outputs) {
    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** Whether every input and output has a variable first dim, so the model serves any batch size. */
    public boolean batched() {
        return inputs.stream().allMatch(t -> t.shape().length > 0 && t.shape()[0] == -1)
                && outputs.stream().allMatch(t -> t.shape().length > 0 && t.shape()[0] == -1);
    }

    public TensorSignature input(String name) { return inputs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null); }

    public TensorSignature output(String name) { return outputs.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null); }
}
