package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;

import java.util.Arrays;

/**
 * What a file says about one tensor, before (or instead of) reading its data: dtype, size, stride and offset
 * in elements, and the storage it views. Tensors with the same {@code storageKey} share one storage.
 * {@code bin/ember inspect} prints these without allocating the weights.
 */
public record TensorInfo(DType dtype, int[] shape, int[] strides, int storageOffset, String storageKey, long storageNumel, boolean requiresGrad) {

    public long numel() { return Shape.numelExact(shape); }

    TensorInfo withRequiresGrad(boolean rg) {
        return new TensorInfo(dtype, shape, strides, storageOffset, storageKey, storageNumel, rg);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t && dtype == t.dtype && Arrays.equals(shape, t.shape) && Arrays.equals(strides, t.strides)
                && storageOffset == t.storageOffset && storageKey.equals(t.storageKey) && storageNumel == t.storageNumel && requiresGrad == t.requiresGrad;
    }

    @Override
    public int hashCode() { return storageKey.hashCode() * 31 + Arrays.hashCode(shape); }

    @Override
    public String toString() {
        return dtype.pyName() + Shape.str(shape) + (Arrays.equals(strides, Shape.contiguousStrides(shape)) && storageOffset == 0 ? "" :
                " stride=" + Shape.str(strides) + " offset=" + storageOffset) + (requiresGrad ? " requires_grad" : "");
    }
}
