package dev.ember.data;

/**
 * {@code torch.utils.data.Dataset} with a length: samples by index. Implement {@link #get} and {@link #size}
 * (PyTorch's {@code __getitem__} and {@code __len__}) and hand the dataset to a {@link DataLoader}.
 *
 * @param <T> the sample type, e.g. {@code List<Tensor>} for an (input, label) pair
 */
public interface Dataset<T> {
    /** The sample at {@code index}, for {@code 0 <= index < size()}. */
    T get(int index);

    /** The number of samples. */
    int size();
}
