package dev.ember.tensor;

import dev.ember.autograd.Autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * Differences and integrals of samples along a dim: diff (n-th forward difference, with values prepended or appended)
 * and the trapezoid rule, total (trapezoid/trapz) and running (cumulative_trapezoid), with spacing dx or sample points x.
 * Each is composed of slices, sums and products as ATen composes it, so the graph has PyTorch's nodes.
 */
final class Differences {
    private Differences() {}

    static Tensor diff(Tensor self, int n, int dim, Tensor prepend, Tensor append) {
        if (self.dim() < 1) throw new IllegalArgumentException("diff expects input to be at least one-dimensional");
        if (prepend != null) checkCompatible(self, prepend, dim);
        if (append != null) checkCompatible(self, append, dim);
        Tensor a = self;
        if (n != 0 && (prepend != null || append != null)) {
            List<Tensor> parts = new ArrayList<>();
            if (prepend != null) parts.add(prepend);
            parts.add(self);
            if (append != null) parts.add(append);
            a = Tensor.cat(parts, dim);
        }
        if (n == 0) return Tensor.zerosLike(a).copy_(a);
        int d = Shape.wrapDim(dim, a.dim()), len = a.size(d) - 1;
        Tensor result = a;
        // a negative n leaves the input as it is, one larger than the dim empties it
        for (int k = Math.min(n, a.size(d)); k > 0; k--, len--) {
            Tensor hi = result.narrow(d, 1, len), lo = result.narrow(d, 0, len);
            result = a.dtype() == DType.BOOL ? hi.logicalXor(lo) : hi.sub(lo);
        }
        return result;
    }

    private static void checkCompatible(Tensor self, Tensor other, int dim) {
        if (self.dim() != other.dim()) throw new IllegalArgumentException("diff expects prepend or append to be the same dimension as input");
        int d = Shape.wrapDim(dim, self.dim());
        for (int i = 0; i < self.dim(); i++)
            if (i != d && self.size(i) != other.size(i))
                throw new IllegalArgumentException("diff expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size("
                        + i + ") = " + self.size(i) + ", but got tensor.size(" + i + ") = " + other.size(i));
    }

    /** The trapezoid rule with sample spacing dx: (sum - (first + last) / 2) * dx; no samples integrate to 0. */
    static Tensor trapezoid(Tensor y, double dx, int dim) {
        int d = Shape.wrapDimNoScalar(dim, y.dim());
        if (y.size(d) == 0) return zerosWithout(y, d);
        if (y.dtype() == DType.BOOL) throw new IllegalArgumentException("trapezoid: received a bool input for `y`, but bool is not supported");
        try (var cpp = Autograd.cppComposite()) {
            return y.sum(d).sub(y.select(d, 0).add(y.select(d, -1)).mul(0.5)).mul(dx);
        }
    }

    /** The trapezoid rule at sample points x (1-d along dim, or broadcasting with y): sum(dx * (left + right)) / 2. */
    static Tensor trapezoid(Tensor y, Tensor x, int dim) {
        // this overload wraps dim as for a 1-d y first: a 0-dim y then fails reading its size there
        int d = Shape.wrapDimNoScalar(Shape.wrapDim(dim, y.dim()), y.dim());
        if (y.size(d) == 0) return zerosWithout(y, d);
        if (y.dtype() == DType.BOOL || x.dtype() == DType.BOOL)
            throw new IllegalArgumentException("trapezoid: received a bool input for `x` or `y`, but bool is not supported");
        Tensor dx = spacing("trapezoid", y, x, d);
        try (var cpp = Autograd.cppComposite()) {
            return dx.mul(pairSums(y, d)).sum(d).div(2.0);
        }
    }

    static Tensor cumulativeTrapezoid(Tensor y, double dx, int dim) {
        if (y.dtype() == DType.BOOL) throw new IllegalArgumentException("cumulative_trapezoid: received a bool input for `y`, but bool is not supported");
        // this overload wraps no dim first: a 0-dim y fails in its slice
        if (y.dim() == 0) throw noSlice();
        int d = Shape.wrapDim(dim, y.dim());
        try (var cpp = Autograd.cppComposite()) {
            return pairSums(y, d).mul(dx / 2.0).cumsum(d);
        }
    }

    static Tensor cumulativeTrapezoid(Tensor y, Tensor x, int dim) {
        int d = Shape.wrapDim(dim, y.dim());
        if (y.dtype() == DType.BOOL || x.dtype() == DType.BOOL)
            throw new IllegalArgumentException("cumulative_trapezoid: received a bool input for `x` or `y`, but bool is not supported");
        // a 0-dim y fails reading its size against a 1-d x, else in its slice
        if (y.dim() == 0) throw x.dim() == 1 ? new IndexOutOfBoundsException("Dimension specified as 0 but tensor has no dimensions") : noSlice();
        Tensor dx = spacing("cumulative_trapezoid", y, x, d);
        try (var cpp = Autograd.cppComposite()) {
            return dx.mul(pairSums(y, d)).cumsum(d).div(2.0);
        }
    }

    /** y's neighbouring samples summed along d: left + right, one fewer than y has. */
    private static Tensor pairSums(Tensor y, int d) {
        int len = Math.max(y.size(d) - 1, 0);
        return y.narrow(d, 0, len).add(y.narrow(d, Math.min(1, y.size(d)), len));
    }

    /**
     * The spacings x[i + 1] - x[i] along d. A 1-d x is laid along d; one of fewer dims gets leading 1s; they then
     * broadcast with y's differences (NumPy's rule: dx and dy broadcast after the differences are taken).
     */
    private static Tensor spacing(String op, Tensor y, Tensor x, int d) {
        Tensor xv = x;
        if (x.dim() == 1) {
            if (x.size(0) != y.size(d)) throw new IllegalArgumentException(op + ": There must be one `x` value for each sample point");
            int[] shape = new int[y.dim()];
            java.util.Arrays.fill(shape, 1);
            shape[d] = x.size(0);
            xv = x.view(shape);
        } else if (x.dim() < y.dim()) {
            int[] shape = new int[y.dim()];
            java.util.Arrays.fill(shape, 1);
            System.arraycopy(x.layout().shape(), 0, shape, y.dim() - x.dim(), x.dim());
            xv = x.view(shape);
        }
        int len = Math.max(xv.size(d) - 1, 0);
        return xv.narrow(d, Math.min(1, xv.size(d)), len).sub(xv.narrow(d, 0, len));
    }

    private static IndexOutOfBoundsException noSlice() { return new IndexOutOfBoundsException("slice() cannot be applied to a 0-dim tensor."); }

    private static Tensor zerosWithout(Tensor y, int d) {
        int[] shape = new int[y.dim() - 1];
        for (int i = 0, j = 0; i < y.dim(); i++) if (i != d) shape[j++] = y.size(i);
        return Tensor.zeros(shape, y.dtype());
    }
}
