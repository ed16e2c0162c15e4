package dev.ember.data;

import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * {@code torch.utils.data.DataLoader} without worker processes: batches of {@code batch_size} samples, in order
 * or reshuffled at the start of every pass, collated by stacking.
 * <pre>{@code
 * var train = DataLoader.of(new TensorDataset(x, y)).batchSize(64).shuffle(true).generator(new Generator(42)).build();
 * for (int epoch = 0; epoch < epochs; epoch++)
 *     for (List<Tensor> batch : train) { ... batch.get(0) ... batch.get(1) ... }
 * }</pre>
 * Shuffling draws a permutation from the generator each pass, so a seeded generator repeats the same
 * sequence of epochs run after run. (The permutations are Ember's own: PyTorch's generator is a different
 * random stream, so the batches differ from PyTorch's for the same seed.)
 *
 * @param <B> the batch type: {@code List<Tensor>} (one stacked tensor per sample field) by default
 */
public final class DataLoader<B> implements Iterable<B> {
    private final int size;
    private final int batchSize;
    private final boolean shuffle, dropLast;
    private final Generator generator;
    private final Function<int[], B> fetch;

    private DataLoader(int size, Builder<B> b) {
        this.size = size;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.generator = b.generator;
        this.fetch = b.fetch;
    }

    /** A loader whose batches stack each field of the samples ({@code default_collate} for tuples of tensors). */
    public static Builder<List<Tensor>> of(Dataset<? extends List<Tensor>> dataset) {
        if (dataset instanceof TensorDataset td) return new Builder<>(td.size(), td::batch);
        return new Builder<>(dataset.size(), idx -> {
            List<List<Tensor>> samples = new ArrayList<>(idx.length);
            for (int i : idx) samples.add(dataset.get(i));
            return stackFields(samples);
        });
    }

    /** A loader with its own {@code collate_fn}, called with the samples of each batch in order. */
    public static <T, B> Builder<B> of(Dataset<T> dataset, Function<List<T>, B> collate) {
        return new Builder<>(dataset.size(), idx -> {
            List<T> samples = new ArrayList<>(idx.length);
            for (int i : idx) samples.add(dataset.get(i));
            return collate.apply(samples);
        });
    }

    /** {@code default_collate} for samples that are lists of tensors: field {@code j} of the batch stacks field {@code j} of every sample. */
    public static List<Tensor> stackFields(List<? extends List<Tensor>> samples) {
        int fields = samples.getFirst().size();
        for (List<Tensor> s : samples)
            if (s.size() != fields) throw new IllegalArgumentException("each element in list of batch should be of equal size");
        List<Tensor> out = new ArrayList<>(fields);
        for (int j = 0; j < fields; j++) {
            List<Tensor> column = new ArrayList<>(samples.size());
            for (List<Tensor> s : samples) column.add(s.get(j));
            out.add(Tensor.stack(column));
        }
        return out;
    }

    /** The loader's options, with PyTorch's defaults (batch_size 1, no shuffle, keep the last partial batch). */
    public static final class Builder<B> {
        private final int size;
        private final Function<int[], B> fetch;
        private int batchSize = 1;
        private boolean shuffle, dropLast;
        private Generator generator;

        private Builder(int size, Function<int[], B> fetch) {
            this.size = size;
            this.fetch = fetch;
        }

        public Builder<B> batchSize(int batchSize) {
            if (batchSize <= 0) throw new IllegalArgumentException("batch_size should be a positive integer value, but got batch_size=" + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle the samples at the start of every pass. */
        public Builder<B> shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** The random source for shuffling; without one, the default generator ({@code torch.manual_seed}'s). */
        public Builder<B> generator(Generator generator) {
            this.generator = generator;
            return this;
        }

        /** Drop the last batch when it is smaller than {@code batch_size}. */
        public Builder<B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        public DataLoader<B> build() { return new DataLoader<>(size, this); }
    }

    /** {@code len(loader)}: the number of batches per pass. */
    public int size() { return dropLast ? size / batchSize : (size + batchSize - 1) / batchSize; }

    /** The number of samples in the dataset ({@code len(loader.dataset)}). */
    public int datasetSize() { return size; }

    public int batchSize() { return batchSize; }

    /** One pass over the data; each call reshuffles when shuffling. */
    @Override
    public Iterator<B> iterator() {
        int[] order = new int[size];
        if (shuffle) {
            long[] perm = Tensor.randperm(generator != null ? generator : Generator.defaultGenerator(), size).toLongArray();
            for (int i = 0; i < size; i++) order[i] = (int) perm[i];
        } else {
            for (int i = 0; i < size; i++) order[i] = i;
        }
        int batches = size();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() { return next < batches; }

            @Override
            public B next() {
                if (!hasNext()) throw new NoSuchElementException();
                int from = next++ * batchSize, to = Math.min(from + batchSize, size);
                return fetch.apply(java.util.Arrays.copyOfRange(order, from, to));
            }
        };
    }
}
