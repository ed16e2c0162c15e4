package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.Tensor.ValuesIndices;

/** {@code sort}, {@code argsort}, {@code topk} with their backward rules. */
final class Sorting {
    private Sorting() {}

    /**
     * {@code sort}; {@code stable} is null when the caller did not pass it. PyTorch names the two overloads'
     * nodes apart: {@code sort(dim, descending)} records SortBackward0, {@code sort(stable=...)} SortBackward1.
     */
    static ValuesIndices sort(Tensor t, int dim, boolean descending, Boolean stable) {
        int d = Shape.wrapDim(dim, t.dim());
        int[] in = t.layout().shape();
        // laid out like t, as PyTorch's sort lays them out (a transposed input sorts into transposed results)
        Layout l = Layout.preserving(t.layout());
        Tensor values = Kernels.empty(l, t.dtype(), t.device()), indices = Kernels.empty(l, DType.INT64, t.device());
        t.backend().sort(t.strided(), d, descending, stable != null && stable, values.strided(), indices.strided());
        Autograd.recordMulti(stable == null ? "SortBackward0" : "SortBackward1", new Tensor[] {values, indices}, new Tensor[] {t}, new Tensor[] {indices},
                c -> new Tensor[] {scatterAlong(c.grad(0), d, c.saved(0), in)});
        return new ValuesIndices(values, indices);
    }

    static ValuesIndices topk(Tensor t, int k, int dim, boolean largest, boolean sorted) {
        int d = Shape.wrapDim(dim, t.dim());
        int[] in = t.layout().shape();
        if (k < 0 || k > (t.dim() > 0 ? in[d] : 1)) throw new IllegalArgumentException("selected index k out of range");
        // a 0-dim input is copied before any kernel runs, so PyTorch accepts it whatever its dtype; PyTorch 1.13's CPU
        // topk has a bfloat16 kernel but no float16 one (sort has both)
        if (t.dim() > 0 && (t.dtype() == DType.BOOL || (t.dtype() == DType.FLOAT16 && t.device().isCpu())))
            throw new IllegalArgumentException("\"topk_cpu\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
        Tensor values, indices;
        if (t.dim() == 0) {
            // PyTorch copies a 0-dim input whatever k (0 or 1) is
            values = Kernels.copy(t);
            indices = Tensor.zeros(new int[0], DType.INT64);
        } else {
            int[] shape = in.clone();
            shape[d] = k;
            values = Kernels.zeros(shape, t.dtype(), t.device());
            indices = Kernels.zeros(shape, DType.INT64, t.device());
            t.backend().topk(t.strided(), k, d, largest, sorted, values.strided(), indices.strided());
        }
        Autograd.recordMulti("TopkBackward0", new Tensor[] {values, indices}, new Tensor[] {t}, new Tensor[] {indices},
                c -> new Tensor[] {scatterAlong(c.grad(0), d, c.saved(0), in)});
        return new ValuesIndices(values, indices);
    }

    /**
     * {@code zeros(inShape).scatter(dim, index, grad)}: the backward of every op that selects elements
     * along a dim (sort, topk, max(dim)). Written with index_add over flat positions, so that it is
     * differentiable again (its gradient is index_select). Indices never repeat here.
     */
    static Tensor scatterAlong(Tensor grad, int dim, Tensor index, int[] inShape) {
        int n = inShape.length;
        if (n == 0) return grad.reshape(inShape);
        int[] strides = Shape.contiguousStrides(inShape);
        int[] shape = index.shape();
        Tensor flat = index.mul((long) strides[dim]);
        for (int k = 0; k < n; k++) {
            if (k == dim || shape[k] == 1) continue;
            int[] along = new int[n];
            java.util.Arrays.fill(along, 1);
            along[k] = shape[k];
            flat = flat.add(Tensor.arange(shape[k]).mul((long) strides[k]).view(along));
        }
        Tensor zeros = Tensor.zeros(new int[] {Shape.numel(inShape)}, grad.dtype());
        return zeros.indexAdd(0, flat.reshape(-1), grad.reshape(-1)).view(inShape);
    }
}
