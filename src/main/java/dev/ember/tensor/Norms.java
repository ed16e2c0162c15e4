package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.UnaryOp;

/** Vector p-norms ({@code norm(p, dims, keepdim)}) for every p, with PyTorch's backward rule and grad_fn name. */
final class Norms {
    private Norms() {}

    static Tensor norm(Tensor t, double p, int[] dims, boolean keepdim) {
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException("norm(): input dtype should be either floating point or complex. Got " + TypePromotion.typeName(t.dtype()) + " instead.");
        int[] rd = Reductions.reduceDims(dims, t.dim());
        Tensor r = Reductions.squeezeReduced(forward(t, p, rd), rd, keepdim);
        return Autograd.record("NormBackward1", r, new Tensor[] {t}, new Tensor[] {t, r},
                c -> new Tensor[] {backward(c.grad(), c.saved(0), p, c.saved(1), rd, keepdim)});
    }

    /**
     * {@code torch.linalg.vector_norm(t, ord, dim, keepdim, dtype=dtype)}: the p-norm of {@link #norm} computed in
     * {@code dtype} (null: t's own), recorded as {@code LinalgVectorNormBackward0}. An infinite ord refuses an empty
     * reduction, which has no identity; the other ords give 0 there.
     */
    static Tensor vectorNorm(Tensor t, double ord, int[] dims, boolean keepdim, DType dtype) {
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException("linalg.vector_norm: Expected a floating point or complex tensor as input. Got " + TypePromotion.typeName(t.dtype()));
        if (dtype != null && !dtype.isFloatingPoint())
            throw new IllegalArgumentException("linalg.vector_norm: dtype should be floating point or complex, but got " + TypePromotion.typeName(dtype));
        if (dtype != null && DType.promote(t.dtype(), dtype) != dtype)
            throw new IllegalArgumentException("linalg.vector_norm: the dtype of the input (" + TypePromotion.typeName(t.dtype())
                    + ") should be convertible without narrowing to the specified dtype (" + TypePromotion.typeName(dtype) + ")");
        int[] rd = Reductions.reduceDims(dims, t.dim());
        if (Double.isInfinite(ord)) checkIdentity(t, ord, dims == null || dims.length == 0 ? null : rd);
        Tensor x = dtype == null ? t : Kernels.cast(t, dtype);
        Tensor r = Reductions.squeezeReduced(forward(x, ord, rd), rd, keepdim);
        return Autograd.record("LinalgVectorNormBackward0", r, new Tensor[] {t}, new Tensor[] {t, r}, c -> {
            Tensor xs = c.saved(0);
            Tensor g = backward(c.grad(), dtype == null ? xs : xs.to(dtype), ord, c.saved(1), rd, keepdim);
            return new Tensor[] {g == null ? null : g.to(xs.dtype())};
        });
    }

    /** The max and min have no identity, so an infinite norm over an empty tensor (or an empty reduced dim) is refused. */
    private static void checkIdentity(Tensor t, double ord, int[] dims) {
        String name = (ord > 0 ? "" : "-") + "inf";
        if (dims == null) {
            if (t.numel() == 0)
                throw new IllegalArgumentException("linalg.vector_norm cannot compute the " + name + " norm on an empty tensor because the operation does not have an identity");
            return;
        }
        int[] sorted = dims.clone();
        java.util.Arrays.sort(sorted);
        for (int d : sorted)
            if (t.size(d) == 0)
                throw new IllegalArgumentException("linalg.vector_norm cannot compute the " + name + " norm on the dimension " + d
                        + "because this dimension is empty and the operation does not have an identity");
    }

    /**
     * {@code torch.linalg.matrix_norm(t, ord, dim, keepdim)} for ord 1, -1, inf and -inf, composed as ATen 1.13 does:
     * the 1-norms of the columns (rows for inf), then their max (min for a negative ord); 2 and -2 the largest and
     * smallest singular values.
     */
    static Tensor matrixNorm(Tensor t, double ord, int[] dims, boolean keepdim) {
        double abs = Math.abs(ord);
        if (abs != 2 && abs != 1 && abs != Double.POSITIVE_INFINITY)
            throw new IllegalArgumentException("linalg.matrix_norm: Order " + NumberFormat.cpp(ord) + " not supported.");
        int[] d = matrixNormChecks(t, dims);
        if (abs == 2) return Svd.matrixNorm(t, ord > 0 ? "2" : "-2", d[0], d[1], keepdim);
        int sum = d[0], max = d[1];
        if (abs == Double.POSITIVE_INFINITY) {
            sum = d[1];
            max = d[0];
        }
        if (sum < max && !keepdim) max--; // the summed dim is gone before the max reduces
        Tensor colNorms = vectorNorm(t, 1, new int[] {sum}, keepdim, null);
        return ord > 0 ? colNorms.amax(new int[] {max}, keepdim) : colNorms.amin(new int[] {max}, keepdim);
    }

    /** {@code torch.linalg.matrix_norm(t, "fro" | "nuc", dim, keepdim)}: the 2-norm of the elements, or the sum of the singular values. */
    static Tensor matrixNorm(Tensor t, String ord, int[] dims, boolean keepdim) {
        if (!ord.equals("fro") && !ord.equals("nuc")) throw new IllegalArgumentException("linalg.matrix_norm: Order " + ord + " not supported.");
        int[] d = matrixNormChecks(t, dims);
        if (ord.equals("nuc")) return Svd.matrixNorm(t, "nuc", d[0], d[1], keepdim);
        return vectorNorm(t, 2, d, keepdim, null);
    }

    /** ATen's _linalg_matrix_norm_checks, in its order; the two dims wrapped. */
    private static int[] matrixNormChecks(Tensor t, int[] dims) {
        if (t.dim() < 2) throw new IllegalArgumentException("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException("linalg.matrix_norm: Expected a floating point or complex tensor as input. Got " + TypePromotion.typeName(t.dtype()));
        if (dims.length != 2) throw new IllegalArgumentException("linalg.matrix_norm: dim must be a 2-tuple. Got " + tuple(dims));
        int[] d = {Shape.wrapDim(dims[0], t.dim()), Shape.wrapDim(dims[1], t.dim())};
        if (d[0] == d[1]) throw new IllegalArgumentException("linalg.matrix_norm: dims must be different. Got (" + d[0] + ", " + d[1] + ")");
        return d;
    }

    private static String tuple(int[] dims) {
        java.util.StringJoiner j = new java.util.StringJoiner(" ");
        for (int x : dims) j.add(Integer.toString(x));
        return j.toString();
    }

    /** {@code torch.dist}: the p-norm of {@code a - b} (broadcast and promoted as sub), recorded as one DistBackward0. */
    static Tensor dist(Tensor a, Tensor b, double p) {
        Tensor diff;
        try (var g = GradMode.noGrad()) {
            diff = a.sub(b);
        }
        if (!diff.dtype().isFloatingPoint())
            throw new IllegalArgumentException("norm(): input dtype should be either floating point or complex. Got " + TypePromotion.typeName(diff.dtype()) + " instead.");
        int[] all = Reductions.reduceDims(null, diff.dim());
        Tensor r = Reductions.squeezeReduced(forward(diff, p, all), all, false);
        return Autograd.record("DistBackward0", r, new Tensor[] {a, b}, new Tensor[] {a, b, r}, c -> {
            Tensor g = backward(c.grad(), c.saved(0).sub(c.saved(1)), p, c.saved(2), all, false);
            return new Tensor[] {g, g == null ? null : g.neg()};
        });
    }

    /**
     * {@code renorm(p, dim, maxnorm)}: each slice along dim whose p-norm exceeds maxnorm is scaled by
     * {@code maxnorm / (norm + 1e-7)}, the factor computed in self's dtype as ATen's kernel does.
     */
    static Tensor renorm(Tensor self, double p, int dim, double maxnorm) {
        if (!(p > 0)) throw new IllegalArgumentException("renorm: non-positive-norm not supported");
        if (!(maxnorm >= 0)) throw new IllegalArgumentException("renorm: expected maxnorm to be >= 0 but got " + NumberFormat.cpp(maxnorm));
        int d = Shape.wrapDim(dim, self.dim());
        if (self.dim() <= 1) throw new IllegalArgumentException("renorm: input needs at least 2 dimensions, got " + self.dim() + " dimensions");
        int[] others = othersThan(d, self.dim());
        Tensor factor;
        try (var g = GradMode.noGrad()) {
            Tensor norm = norm(self, p, others, true);
            factor = Tensor.where(norm.gt(maxnorm), Tensor.fullLike(norm, maxnorm).div(norm.add(1e-7)), Tensor.onesLike(norm));
        }
        Tensor out = self.detach().mul(factor).contiguous(); // ATen's structured kernel allocates it row-major
        return Autograd.record("RenormBackward0", out, new Tensor[] {self}, new Tensor[] {self},
                c -> new Tensor[] {renormBackward(c.grad(), c.saved(0), p, others, maxnorm)});
    }

    /** FunctionsManual's renorm_backward: the scaled slices also carry the derivative of their norm. */
    private static Tensor renormBackward(Tensor grad, Tensor self, double p, int[] others, double maxnorm) {
        Tensor norm = norm(self, p, others, true);
        Tensor nb = backward(self.mul(grad).sum(others, true), self, p, norm, others, true);
        Tensor invnorm = norm.add(1e-7).reciprocal();
        Tensor scaled = invnorm.mul(maxnorm).mul(nb == null ? grad : grad.sub(invnorm.mul(nb)));
        return Tensor.where(norm.gt(maxnorm), scaled, grad);
    }

    private static int[] othersThan(int dim, int rank) {
        int[] others = new int[rank - 1];
        for (int i = 0, k = 0; i < rank; i++) if (i != dim) others[k++] = i;
        return others;
    }

    /** The norm over dims, kept as size 1. An empty reduction gives 0 for every p, as in PyTorch. */
    private static Tensor forward(Tensor t, double p, int[] dims) {
        DType dt = t.dtype();
        // PyTorch's vectorised 2-norm takes bfloat16 through float (sum of squares and sqrt) and rounds once: a sum
        // rounded to bfloat16 before the sqrt loses the result (the norm of [3, -1, 7, ...] is 17.75, not 17.625).
        // Its other float16/bfloat16 norms accumulate in the reduced type itself, in an order not reproduced here.
        if (dt == DType.BFLOAT16 && p == 2) return Kernels.cast(forward(Kernels.cast(t, DType.FLOAT32), p, dims), dt);
        long n = 1;
        for (int d : dims) n *= t.layout().shape()[d];
        if (n == 0) {
            int[] shape = t.layout().shape().clone();
            for (int d : dims) shape[d] = 1;
            return Kernels.zeros(shape, dt, t.device());
        }
        if (p == 2) {
            Tensor s = Kernels.reduce(ReduceOp.SUM, Kernels.binary(BinaryOp.MUL, t, t, dt), dims, dt);
            s.backend().unary(UnaryOp.SQRT, s.strided(), s.strided());
            return s;
        }
        if (p == 0) return Kernels.reduce(ReduceOp.SUM, Kernels.cast(Kernels.binary(BinaryOp.NE, t, Pointwise.wrapScalar(t, 0.0), dt), dt), dims, dt);
        Tensor abs = Kernels.unary(UnaryOp.ABS, t);
        if (p == 1) return Kernels.reduce(ReduceOp.SUM, abs, dims, dt);
        if (p == Double.POSITIVE_INFINITY) return Kernels.reduce(ReduceOp.MAX, abs, dims, dt);
        if (p == Double.NEGATIVE_INFINITY) return Kernels.reduce(ReduceOp.MIN, abs, dims, dt);
        Tensor s = Kernels.reduce(ReduceOp.SUM, Kernels.binary(BinaryOp.POW, abs, Pointwise.wrapScalar(t, p), dt), dims, dt);
        return Kernels.binary(BinaryOp.POW, s, Pointwise.wrapScalar(s, 1 / p), dt);
    }

    /**
     * PyTorch's norm_backward: zero subgradient where the norm (or, for p < 1, the element) is zero. For p = 0
     * it returns no gradient at all (null, PyTorch's undefined tensor), so the input's {@code .grad} stays unset.
     */
    private static Tensor backward(Tensor grad, Tensor x, double p, Tensor norm, int[] dims, boolean keepdim) {
        if (x.dim() != 0) {
            grad = Reductions.unsqueezeReduced(grad, dims, keepdim);
            norm = Reductions.unsqueezeReduced(norm, dims, keepdim);
        }
        if (p == 0) return null;
        if (p == 1) return x.sign().mul(grad);
        if (p == 2) return grad.mul(x.div(norm).maskedFill(norm.eq(0.0), 0.0));
        if (Double.isInfinite(p)) {
            // the elements that attain the norm (or are NaN) share the gradient
            Tensor abs = x.abs();
            Tensor mask = abs.eq(norm).logicalOr(abs.isnan());
            return x.sign().mul(grad.div(mask.sum(dims, true)).mul(mask));
        }
        if (p < 1) {
            Tensor scaled = x.sign().mul(x.abs().pow(p - 1).maskedFill(x.eq(0.0), 0.0));
            return scaled.mul(grad).mul(norm.pow(1 - p));
        }
        Tensor scaled = p < 2 ? x.sign().mul(x.abs().pow(p - 1)) : x.mul(x.abs().pow(p - 2));
        return scaled.mul(grad.div(norm.pow(p - 1)).maskedFill(norm.eq(0.0), 0.0));
    }
}
