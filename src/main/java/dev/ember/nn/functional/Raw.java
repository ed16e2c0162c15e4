package dev.ember.nn.functional;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Tensor;

/** Allocation for ops that call backend primitives directly: a zero-filled tensor on a given device. */
final class Raw {
    private Raw() {}

    static Tensor zeros(int[] shape, DType dtype, Device device) {
        int n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        var backend = dev.ember.tensor.Backends.forDevice(device);
        return Tensor.of(backend.allocate(dtype, n, device), Layout.contiguous(shape));
    }

    static Tensor zerosLike(Tensor t, int[] shape) { return zeros(shape, t.dtype(), t.device()); }

    /** A contiguous buffer of {@code storageShape} seen through {@code perm} (a permuted view, no copy). */
    static Tensor permutedBuffer(Tensor like, int[] storageShape, int[] perm) {
        Tensor buf = zerosLike(like, storageShape);
        return Tensor.of(buf.storage(), buf.layout().permute(perm));
    }
}
