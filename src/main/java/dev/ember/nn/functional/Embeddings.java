package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/** embedding: rows of the weight by index; the padding row gets no gradient (EmbeddingBackward0). */
final class Embeddings {
    private Embeddings() {}

    static Tensor embedding(Tensor indices, Tensor weight, Integer paddingIdx) {
        if (indices.dtype() != DType.INT64 && indices.dtype() != DType.INT32)
            throw new IllegalArgumentException("Expected tensor for argument #1 'indices' to have one of the following scalar types: Long, Int; but got "
                    + indices.dtype().legacyTypeName() + " instead (while checking arguments for embedding)");
        if (weight.dim() != 2) throw new IllegalArgumentException("'weight' must be 2-D");
        int num = weight.size(0), dim = weight.size(1);
        Integer pad = paddingIdx;
        if (pad != null) {
            if (pad >= num || pad < -num) throw new IllegalArgumentException("Padding_idx must be within num_embeddings");
            if (pad < 0) pad += num;
        }
        Tensor flat = indices.reshape(-1);
        long[] idx = flat.toLongArray();
        for (long v : idx) if (v < 0 || v >= num) throw new IndexOutOfBoundsException("index out of range in self");
        int[] outShape = java.util.Arrays.copyOf(indices.shape(), indices.dim() + 1);
        outShape[indices.dim()] = dim;
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = weight.indexSelect(0, flat).view(outShape);
        }
        int padRow = pad == null ? -1 : pad;
        // weight is saved, as PyTorch's EmbeddingBackward0 saves it (for its row count), so writing to it in place
        // before backward fails the version check there too
        return Autograd.record("EmbeddingBackward0", out, new Tensor[] {weight}, new Tensor[] {flat, weight}, c -> {
            Tensor rows = c.saved(0); // unpacked first, as PyTorch's
            return new Tensor[] {denseBackward(c.grad(), rows, c.saved(1).size(0), dim, padRow)};
        });
    }

    /**
     * embedding_dense_backward as an op of its own (EmbeddingDenseBackwardBackward0, its one edge the incoming
     * gradient): the rows added up per index, the padding row left zero. Its derivative picks the rows again
     * (embedding_dense_double_backward).
     */
    private static Tensor denseBackward(Tensor grad, Tensor flat, int num, int dim, int padRow) {
        int[] gradShape = grad.shape();
        Tensor gw;
        try (var g = GradMode.noGrad()) {
            Tensor rows = grad.reshape(-1, dim);
            gw = Tensor.zeros(new int[] {num, dim}, rows.dtype()).to(rows.device()).indexAdd(0, flat, rows);
            if (padRow >= 0) gw.select(0, padRow).fill_(0);
        }
        return Autograd.record("EmbeddingDenseBackwardBackward0", gw, new Tensor[] {grad}, new Tensor[] {flat}, c -> {
            Tensor picked = c.grad().indexSelect(0, c.saved(0));
            if (padRow >= 0) picked = picked.maskedFill(c.saved(0).eq((long) padRow).reshape(-1, 1), 0.0);
            return new Tensor[] {picked.view(gradShape)};
        });
    }

    /** one_hot: int64 [*, num_classes]; num_classes -1 means max + 1. */
    static Tensor oneHot(Tensor t, int numClasses) {
        if (t.dtype() != DType.INT64) throw new IllegalArgumentException("one_hot is only applicable to index tensor.");
        long[] v = t.toLongArray();
        long max = -1;
        for (long x : v) {
            if (x < 0) throw new IllegalArgumentException("Class values must be non-negative.");
            max = Math.max(max, x);
        }
        int n = numClasses;
        if (n == -1) {
            if (v.length == 0) throw new IllegalArgumentException("Can not infer total number of classes from empty tensor.");
            n = (int) max + 1;
        } else if (max >= n) throw new IllegalArgumentException("Class values must be smaller than num_classes.");
        long[] out = new long[v.length * n];
        for (int i = 0; i < v.length; i++) out[i * n + (int) v[i]] = 1;
        int[] shape = java.util.Arrays.copyOf(t.shape(), t.dim() + 1);
        shape[t.dim()] = n;
        return Tensor.fromArray(out, shape).to(t.device());
    }
}
