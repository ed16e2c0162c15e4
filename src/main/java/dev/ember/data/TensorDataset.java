package dev.ember.data;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code TensorDataset(*tensors)}: sample {@code i} is {@code [t[i] for t in tensors]}, e.g. an input row and
 * its label. All tensors must have the same size in dimension 0.
 */
public final class TensorDataset implements Dataset<List<Tensor>> {
    private final List<Tensor> tensors;

    public TensorDataset(Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("TensorDataset needs at least one tensor");
        for (Tensor t : tensors) {
            if (t.dim() == 0) throw new IllegalArgumentException("TensorDataset needs tensors with a first dimension, got a 0-dim tensor");
            if (t.size(0) != tensors[0].size(0)) throw new IllegalArgumentException("Size mismatch between tensors");
        }
        this.tensors = List.of(tensors);
    }

    @Override
    public List<Tensor> get(int index) {
        if (index < 0 || index >= size()) throw new IndexOutOfBoundsException("index " + index + " is out of bounds for a dataset of size " + size());
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) out.add(t.select(0, index));
        return out;
    }

    @Override
    public int size() { return tensors.getFirst().size(0); }

    public List<Tensor> tensors() { return tensors; }

    /**
     * The samples at {@code indices}, already stacked: one {@code index_select} per tensor, which gives the
     * same batch as stacking {@link #get} results, without a copy per sample.
     */
    List<Tensor> batch(int[] indices) {
        Tensor idx = Tensor.fromArray(java.util.Arrays.stream(indices).asLongStream().toArray(), indices.length);
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) out.add(t.indexSelect(0, idx));
        return out;
    }
}
