package dev.ember.tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's {@code as_strided_backward}, the gradient of an as_strided view (and of a view whose history was re-derived
 * after an in-place write), step for step in tensor ops, so that it builds PyTorch's graph under create_graph: the
 * gradient is scattered into a zero buffer spanning both geometries through the view's geometry (summed where the view
 * overlaps itself), averaged where the input overlaps itself, and read back through the input's geometry. The result
 * is that view of the buffer, with the input's strides, at the version PyTorch's ops leave it.
 */
final class AsStridedBackward {
    private AsStridedBackward() {}

    static Tensor apply(Tensor grad, Layout input, Layout view) {
        List<int[]> out = new ArrayList<>(); // (size, stride) of the view dims that address storage, in order
        int[] size = view.shape(), stride = view.strides();
        for (int i = size.length - 1; i >= 0; i--) {
            if (size[i] == 0) return zeros(input.shape(), grad);
            if (size[i] == 1) grad = grad.squeeze(i);
            else if (stride[i] == 0) grad = grad.sum(i);
            else out.addFirst(new int[] {size[i], stride[i]});
        }
        List<int[]> in = new ArrayList<>();
        for (int i = input.dim() - 1; i >= 0; i--) {
            if (input.shape()[i] == 0) return zeros(input.shape(), grad);
            if (input.shape()[i] != 1) in.addFirst(new int[] {input.shape()[i], input.strides()[i]});
        }
        int shared = Math.min(input.offset(), view.offset());
        int inOffset = input.offset() - shared, outOffset = view.offset() - shared;
        int span = Math.max(minStorageSize(in, inOffset), minStorageSize(out, outOffset));
        Tensor storage = zeros(new int[] {span}, grad);
        boolean outOverlaps = mayOverlap(out), inOverlaps = mayOverlap(in);
        Tensor positions = outOverlaps || inOverlaps ? Tensor.arange(span) : null;
        if (outOverlaps) storage.indexAdd_(0, positions.asStrided(sizes(out), strides(out), outOffset).reshape(-1), grad.reshape(-1));
        else storage.asStrided(sizes(out), strides(out), outOffset).copy_(grad);
        if (inOverlaps) {
            Tensor count = zeros(new int[] {span}, grad);
            Tensor at = positions.asStrided(sizes(in), strides(in), inOffset).reshape(-1);
            count.indexAdd_(0, at, grad.newOnes(1).expandAs(at));
            storage.div_(count);
        }
        return storage.asStrided(input.shape(), input.strides(), inOffset);
    }

    /** {@code at::zeros} called from a C++ formula fills through the dispatcher (zero_), so its result is at version 1. */
    private static Tensor zeros(int[] shape, Tensor like) { return like.newZeros(shape).zero_(); }

    /** {@code _min_storage_size}: the elements a geometry reaches from storage index 0. */
    private static int minStorageSize(List<int[]> dims, int offset) {
        int n = offset + 1;
        for (int[] d : dims) n += (d[0] - 1) * d[1];
        return n;
    }

    /** {@code _maybe_overlapping_memory}: by increasing stride, each stride must pass the extent of the smaller ones. */
    private static boolean mayOverlap(List<int[]> dims) {
        List<int[]> byStride = new ArrayList<>(dims);
        byStride.sort((a, b) -> Integer.compare(a[1], b[1]));
        long reach = 0;
        for (int[] d : byStride) {
            if (d[1] <= reach) return true;
            reach += (long) d[1] * (d[0] - 1);
        }
        return false;
    }

    private static int[] sizes(List<int[]> dims) { return dims.stream().mapToInt(d -> d[0]).toArray(); }

    private static int[] strides(List<int[]> dims) { return dims.stream().mapToInt(d -> d[1]).toArray(); }
}
