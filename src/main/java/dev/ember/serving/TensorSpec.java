package dev.ember.serving;

import java.util.Arrays;

/**
 * An input or output a model declares: name, datatype and dims, -1 marking a variable dim. For a model with
 * max_batch_size &gt; 0 the dims exclude the batch dim, as in Triton's model configuration.
 */
public record TensorSpec(String name, DataType datatype, long[] dims) {
    public TensorSpec {
        dims = dims.clone();
    }

    @Override
    public long[] dims() { return dims.clone(); }

    /** Whether a concrete shape (without batch dim) fits these dims. */
    public boolean accepts(long[] shape, int from) {
        if (shape.length - from != dims.length) return false;
        for (int i = 0; i < dims.length; i++) if (dims[i] != -1 && dims[i] != shape[from + i]) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && name.equals(t.name) && datatype == t.datatype && Arrays.equals(dims, t.dims);
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(dims); }

    @Override
    public String toString() { return name + ":" + datatype + Arrays.toString(dims); }
}
