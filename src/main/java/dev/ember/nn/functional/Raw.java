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

    /**
     * An elementwise result of {@code x}'s shape laid out as PyTorch lays it out ({@link Layout#following}), with
     * unspecified contents: only for a kernel that writes every element.
     */
    static Tensor emptyElementwise(Tensor x) {
        var backend = dev.ember.tensor.Backends.forDevice(x.device());
        Layout layout = Layout.following(x.shape(), x.layout());
        return Tensor.of(backend.allocateEmpty(x.dtype(), layout.numel(), x.device()), layout);
    }

    /**
     * A contiguous buffer of {@code storageShape}, seen through {@code perm} when it is not null (a permuted view,
     * no copy), with unspecified contents: only for a kernel that writes every element before anything reads.
     */
    static Tensor emptyBuffer(Tensor like, int[] storageShape, int[] perm) {
        var backend = dev.ember.tensor.Backends.forDevice(like.device());
        Layout layout = Layout.contiguous(storageShape);
        return Tensor.of(backend.allocateEmpty(like.dtype(), layout.numel(), like.device()), perm == null ? layout : layout.permute(perm));
    }
}
