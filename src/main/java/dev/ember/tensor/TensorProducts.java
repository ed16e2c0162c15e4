package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.ArrayList;
import java.util.List;

/** Products that are not matrix products: {@code tensordot} (a contraction over chosen dims) and {@code cross}. */
final class TensorProducts {
    private TensorProducts() {}

    /** {@code torch.tensordot(a, b, dims)}: the last {@code dims} dims of a against the first {@code dims} of b. */
    static Tensor tensordot(Tensor a, Tensor b, int dims) {
        int[][] d = lastAgainstFirst(a, b, dims);
        return tensordot(a, b, d[0], d[1]);
    }

    /** {@code tensordot(a, b, dims, out=out)}. */
    static Tensor tensordotOut(Tensor a, Tensor b, int dims, Tensor out) {
        int[][] d = lastAgainstFirst(a, b, dims);
        return tensordotOut(a, b, d[0], d[1], out);
    }

    /** Python's torch.tensordot turns an int into dim lists: the last {@code dims} of a, the first of b. */
    private static int[][] lastAgainstFirst(Tensor a, Tensor b, int dims) {
        if (dims < 0) throw new IllegalArgumentException("tensordot expects dims >= 0, but got dims=" + dims);
        if (dims > a.dim() || dims > b.dim())
            throw new IllegalArgumentException("tensordot expects dims < ndim_a or ndim_b, but got dims=" + dims);
        int[] da = new int[dims], db = new int[dims];
        for (int i = 0; i < dims; i++) {
            da[i] = i - dims;
            db[i] = i;
        }
        return new int[][] {da, db};
    }

    /**
     * {@code tensordot(a, b, dims=(dimsA, dimsB), out=out)} as ATen's tensordot_out: the product, then the devices and
     * out's dtype checked (no promotion), then out resized (resize_output) and the product copied into it. That variant has no derivative: with an input that
     * requires grad, out gets a NotImplemented node that fails in backward.
     */
    static Tensor tensordotOut(Tensor a, Tensor b, int[] dimsA, int[] dimsB, Tensor out) {
        Tensor r;
        try (var g = GradMode.noGrad()) {
            r = tensordot(a, b, dimsA, dimsB);
        }
        if (!out.device().equals(a.device()) || !a.device().equals(b.device()))
            throw new IllegalArgumentException("tensordot: Expected the output and input tensors to be on the same device, but got the output tensor on "
                    + out.device() + ", input tensor a on " + a.device() + ", and input tensor b on " + b.device());
        if (r.dtype() != out.dtype())
            throw new IllegalArgumentException("tensordot: Expected the output tensor to have dtype " + TypePromotion.typeName(r.dtype())
                    + ", but got an output tensor with dtype " + TypePromotion.typeName(out.dtype()));
        Resize.resizeOutput(out, r.layout().shape());
        return InPlace.result(out, self -> Autograd.notImplemented("tensordot", r, a, b), a, b);
    }

    /**
     * {@code torch.tensordot(a, b, dims=(dimsA, dimsB))}, as ATen computes it: a contracted dim of size 1 on one
     * side is summed out of the other first, then a is permuted to [free, contracted] and b to [contracted, free],
     * both flattened to matrices for one mm, and the product reshaped to a's free dims then b's.
     */
    static Tensor tensordot(Tensor a, Tensor b, int[] dimsA, int[] dimsB) {
        if (dimsA.length != dimsB.length) throw new IllegalArgumentException("both dimension lists should have same length");
        // no dtype check of its own: mm refuses mixed dtypes, except for an empty product, which runs (as in PyTorch)
        boolean[] ca = new boolean[a.dim()], cb = new boolean[b.dim()];
        int[] wa = new int[dimsA.length], wb = new int[dimsB.length];
        Tensor ta = a, tb = b;
        long csize = 1;
        for (int i = 0; i < dimsA.length; i++) {
            wa[i] = Shape.wrapDim(dimsA[i], a.dim());
            wb[i] = Shape.wrapDim(dimsB[i], b.dim());
            ca[wa[i]] = true;
            cb[wb[i]] = true;
            int s1 = a.size(wa[i]), s2 = b.size(wb[i]);
            if (s2 == 1) ta = ta.sum(new int[] {wa[i]}, true);
            else if (s1 == 1) tb = tb.sum(new int[] {wb[i]}, true);
            else if (s1 != s2)
                throw new IllegalArgumentException("contracted dimensions need to match, but first has size " + s1 + " in dim " + dimsA[i]
                        + " and second has size " + s2 + " in dim " + dimsB[i]);
            else csize *= s1;
        }
        List<Integer> pa = new ArrayList<>(), pb = new ArrayList<>(), outShape = new ArrayList<>();
        long freeA = 1, freeB = 1;
        for (int d = 0; d < a.dim(); d++) {
            if (ca[d]) continue;
            pa.add(d);
            outShape.add(a.size(d));
            freeA *= a.size(d);
        }
        for (int d : wa) pa.add(d);
        for (int d : wb) pb.add(d);
        for (int d = 0; d < b.dim(); d++) {
            if (cb[d]) continue;
            pb.add(d);
            outShape.add(b.size(d));
            freeB *= b.size(d);
        }
        Tensor ma = ta.permute(ints(pa)).reshape((int) freeA, (int) csize), mb = tb.permute(ints(pb)).reshape((int) csize, (int) freeB);
        return ma.mm(mb).reshape(ints(outShape));
    }

    /**
     * {@code torch.cross(a, b, dim)}: the vector product along a dim of size 3 (inputs broadcast). Without a dim,
     * the first dim of size 3, as PyTorch 1.13's deprecated default picks.
     */
    static Tensor cross(Tensor a, Tensor b, Integer dim) {
        int d = -1;
        if (dim == null) {
            for (int i = 0; i < a.dim() && d < 0; i++) if (a.size(i) == 3) d = i;
            if (d < 0) throw new IllegalArgumentException("no dimension of size 3 in input");
        }
        if (a.dim() != b.dim()) throw new IllegalArgumentException("linalg.cross: inputs must have the same number of dimensions.");
        if (dim != null) d = Shape.wrapDim(dim, a.dim());
        if (a.size(d) != 3 || b.size(d) != 3)
            throw new IllegalArgumentException("linalg.cross: inputs dimension " + (dim != null ? dim : d) + " must have length 3. Got " + a.size(d) + " and " + b.size(d));
        Shape.broadcast(a.layout().shape(), b.layout().shape());
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("expected scalar type " + TypePromotion.typeName(a.dtype()) + " but found " + TypePromotion.typeName(b.dtype()));
        int axis = d;
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor next = Tensor.fromArray(new long[] {1, 2, 0}, 3), last = Tensor.fromArray(new long[] {2, 0, 1}, 3);
            // c_i = a_{i+1} b_{i+2} - a_{i+2} b_{i+1}
            out = a.indexSelect(axis, next).mul(b.indexSelect(axis, last)).sub(a.indexSelect(axis, last).mul(b.indexSelect(axis, next)));
        }
        return Autograd.record("LinalgCrossBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> new Tensor[] {
                c.needs(0) ? cross(c.saved(1), c.grad(), axis) : null,
                c.needs(1) ? cross(c.grad(), c.saved(0), axis) : null});
    }

    private static int[] ints(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }
}
