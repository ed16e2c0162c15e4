package dev.ember.model;

import dev.ember.tensor.DType;

import java.util.Arrays;

/**
 * One input or output of a model as model.json declares it: name, dtype and shape, -1 marking a dim that may
 * vary (the batch dim of a model exported for any batch size).
 */
public record TensorSignature(String name, DType dtype, long[] shape) {
    public TensorSignature {
        shape = shape.clone();
    }

    @Override
    public long[] shape() { return shape.clone(); }

    /**
     * Null when a serving declaration fits this one, else why not. {@code dims} are config.json's dims: without
     * the batch dim when {@code batched} (Triton's max_batch_size &gt; 0), in which case this signature's first
     * dim must be -1 (the model runs at any batch size). A -1 in {@code dims} must be -1 here too, a fixed dim
     * must equal this one's or face a -1.
     */
    public String mismatch(DType configDtype, long[] dims, boolean batched) {
        if (configDtype != dtype) return "'" + name + "' is " + dtype.pyName() + " in model.json but " + configDtype.pyName() + " in config.json";
        long[] mine = shape;
        if (batched) {
            if (shape.length == 0 || shape[0] != -1)
                return "'" + name + "' has no variable batch dim in model.json (shape " + Arrays.toString(shape) + "), so config.json needs max_batch_size 0";
            mine = Arrays.copyOfRange(shape, 1, shape.length);
        }
        if (mine.length != dims.length)
            return "'" + name + "' has " + mine.length + " dims" + (batched ? " after the batch dim" : "") + " in model.json " + Arrays.toString(mine)
                    + " but " + dims.length + " in config.json " + Arrays.toString(dims);
        for (int i = 0; i < dims.length; i++) {
            if (mine[i] == -1 || mine[i] == dims[i]) continue;
            return "'" + name + "' dim " + (batched ? i + 1 : i) + " is " + mine[i] + " in model.json but " + dims[i] + " in config.json";
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSignature t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape);
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override
    public String toString() { return name + ": " + dtype.pyName() + Arrays.toString(shape); }
}
