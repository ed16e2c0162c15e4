package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;

import java.util.ArrayList;
import java.util.List;

/**
 * Products that are not matrix products: {@code tensordot} (a contraction over chosen dims), {@code cross}, and
 * {@code addr} (an outer product added to a matrix).
 */
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

    /**
     * {@code torch.addr(input, vec1, vec2, beta, alpha)}: {@code beta * input + alpha * outer(vec1, vec2)}, one
     * TensorIterator over input expanded to the result, vec1 as a column and vec2, in their common dtype. As ATen's
     * kernel, beta 0 ignores input (NaN in it does not propagate), and bool computes {@code beta && input || alpha
     * && vec1 && vec2}.
     */
    static Tensor addr(Tensor input, Tensor vec1, Tensor vec2, Scalar beta, Scalar alpha) {
        checkVector(vec1, "vec1");
        checkVector(vec2, "vec2");
        int[] shape = {vec1.size(0), vec2.size(0)};
        input.layout().expand(shape, input.dtype()); // PyTorch's error text when input does not broadcast to the result
        return outerSum(input, shape, vec1, vec2, beta, alpha, TypePromotion.resultType(input, vec1, vec2));
    }

    /** {@code input.addr_(vec1, vec2, beta, alpha)}: input is the result, so it is not expanded but must fit. */
    static Tensor addr_(Tensor self, Tensor vec1, Tensor vec2, Scalar beta, Scalar alpha) {
        checkVector(vec1, "vec1");
        checkVector(vec2, "vec2");
        if (self.dim() != 2) throw new IllegalArgumentException("2D tensor expected, got " + self.dim() + "D tensor for input");
        if (self.size(0) != vec1.size(0) || self.size(1) != vec2.size(0))
            throw new IllegalArgumentException("size mismatch, input: " + Shape.str(self.layout().shape()) + ", v1: " + Shape.str(vec1.layout().shape())
                    + ", v2: " + Shape.str(vec2.layout().shape()));
        Autograd.checkInplace(self, vec1, vec2);
        MemoryOverlap.assertNoInternalOverlap(self);
        MemoryOverlap.assertNoPartialOverlap(self, vec1);
        MemoryOverlap.assertNoPartialOverlap(self, vec2);
        DType rt = TypePromotion.resultType(self, vec1, vec2);
        InPlace.checkCastable(rt, self.dtype());
        return InPlace.result(self, s -> outerSum(s, s.layout().shape(), vec1, vec2, beta, alpha, rt), vec1, vec2);
    }

    private static void checkVector(Tensor v, String name) {
        if (v.dim() != 1) throw new IllegalArgumentException("addr: Expected 1-D argument " + name + ", but got " + v.dim() + "-D");
    }

    /** The addr kernel over {@code input} broadcast to {@code shape}; the engine sums input's gradient back. */
    private static Tensor outerSum(Tensor input, int[] shape, Tensor vec1, Tensor vec2, Scalar beta, Scalar alpha, DType rt) {
        checkScalar(rt, beta, "beta");
        checkScalar(rt, alpha, "alpha");
        Kernels.checkSameDevice(input, vec1);
        Kernels.checkSameDevice(input, vec2);
        boolean withSelf = beta.toDouble() != 0;
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor self = input.expand(shape), column = vec1.reshape(shape[0], 1);
            Layout layout = Kernels.following(shape, rt, self, column, vec2);
            if (rt == DType.BOOL) {
                Tensor product = alpha.toDouble() != 0 ? Kernels.binary(BinaryOp.LOGICAL_AND, column, vec2, rt) : Creation.zeros(shape, rt, self.device());
                out = Kernels.binary(BinaryOp.LOGICAL_OR, withSelf ? self : Creation.zeros(new int[0], rt, self.device()), product, rt, layout);
            } else {
                // the kernel's expression, each step rounded in the result type: beta * self + alpha * vec1 * vec2
                Tensor scaledColumn = Kernels.unaryWithScalar(BinaryOp.MUL, Kernels.cast(column, rt), number(alpha, rt, self), rt);
                if (!withSelf) out = Kernels.binary(BinaryOp.MUL, scaledColumn, vec2, rt, layout);
                else {
                    Tensor scaledSelf = Kernels.unaryWithScalar(BinaryOp.MUL, Kernels.cast(self, rt), number(beta, rt, self), rt);
                    out = Kernels.binary(BinaryOp.ADD, scaledSelf, Kernels.binary(BinaryOp.MUL, scaledColumn, vec2, rt), rt, layout);
                }
            }
        }
        return Autograd.record("AddrBackward0", out, new Tensor[] {input, vec1, vec2}, new Tensor[] {vec1, vec2}, c -> new Tensor[] {
                c.needs(0) ? scaled(c.grad(), beta) : null,
                c.needs(1) ? scaled(c.grad().mv(c.saved(1)), alpha) : null,
                c.needs(2) ? scaled(c.grad().t().mv(c.saved(0)), alpha) : null});
    }

    /** ATen's {@code check_addr_scalar}. */
    private static void checkScalar(DType rt, Scalar s, String name) {
        if (s.kind() == Scalar.Kind.BOOL && rt != DType.BOOL) throw new IllegalArgumentException("Boolean " + name + " only supported for Boolean results.");
        if (!rt.isFloatingPoint() && s.isFloating())
            throw new IllegalArgumentException("For integral input tensors, argument " + name + " must not be a floating point number.");
    }

    /** A 0-dim operand holding {@code s} converted to the result type, as the kernel's {@code scalar.to<scalar_t>()}. */
    private static Tensor number(Scalar s, DType rt, Tensor like) {
        return s.isFloating() ? Creation.full(new int[0], s.doubleValue(), rt, like.device()) : Creation.fullLong(new int[0], s.longValue(), rt, like.device());
    }

    /** derivatives.yaml's {@code maybe_multiply}: the gradient times the scalar unless it is 1. */
    private static Tensor scaled(Tensor grad, Scalar s) {
        if (s.toDouble() == 1) return grad;
        return s.isFloating() ? grad.mul(s.doubleValue()) : grad.mul(s.longValue());
    }

    private static int[] ints(List<Integer> xs) { return xs.stream().mapToInt(Integer::intValue).toArray(); }

    /**
     * The Kronecker product, as ATen's KronImpl: both operands padded to the same rank with leading 1s, self viewed as
     * [a0, 1, a1, 1, ...] and other as [1, b0, 1, b1, ...], multiplied, and the product _unsafe_view-ed to [a0 b0, ...]
     * (which, as in PyTorch, fails when the product's layout cannot be viewed so, e.g. for a transposed operand).
     */
    static Tensor kron(Tensor self, Tensor other) {
        int n = Math.max(self.dim(), other.dim()), padSelf = n - self.dim(), padOther = n - other.dim();
        int[] a = new int[2 * n], b = new int[2 * n], result = new int[n];
        for (int i = 0; i < n; i++) {
            int sa = i >= padSelf ? self.size(i - padSelf) : 1, sb = i >= padOther ? other.size(i - padOther) : 1;
            a[2 * i] = sa;
            a[2 * i + 1] = 1;
            b[2 * i] = 1;
            b[2 * i + 1] = sb;
            result[i] = sa * sb;
        }
        return Linalg.unsafeView(Linalg.unsafeViewOfInput(self, a).mul(Linalg.unsafeViewOfInput(other, b)), result);
    }
}
