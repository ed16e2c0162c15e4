package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;

/**
 * The singular value decomposition and what PyTorch 1.13 builds on it: {@code torch.linalg.svd}, {@code svdvals},
 * {@code torch.svd}, {@code linalg.pinv}/{@code pinverse}, {@code linalg.matrix_rank} and the 2, -2 and nuclear
 * matrix norms. The backend decomposes (in double, see the CPU's JacobiSvd); U and Vh come column-major as LAPACK
 * leaves them. Singular values match PyTorch's to rounding; a singular vector may have the opposite sign of
 * PyTorch's (LAPACK's choice), so only sign-invariant uses of U and Vh (products such as U diag(S) Vh, projections,
 * pinv) give PyTorch's numbers. The backward is 1.13's svd_backward (distinct singular values assumed, as there).
 */
final class Svd {
    private Svd() {}

    /** {@code torch.linalg.svd(a, full_matrices)}: U, S, Vh with one {@code LinalgSvdBackward0}. */
    static Tensor[] svd(Tensor a, boolean fullMatrices) { return decompose(a, fullMatrices, true, "linalg.svd"); }

    /** {@code torch.linalg.svdvals(a)}: S alone, still from the {@code LinalgSvdBackward0} node. */
    static Tensor svdvals(Tensor a) {
        return decompose(a, false, a.requiresGrad() && GradMode.isEnabled(), "linalg.svd")[1];
    }

    /**
     * {@code torch.svd(a, some, compute_uv)}: U, S and V (not Vh: its transpose, {@code TransposeBackward0}); without
     * compute_uv, U and V are zeros of their full sizes, as 1.13 returns them.
     */
    static Tensor[] legacySvd(Tensor a, boolean some, boolean computeUv) {
        Tensor[] r = decompose(a, computeUv && !some, computeUv || (a.requiresGrad() && GradMode.isEnabled()), "linalg.svd");
        if (!computeUv) {
            int[] shape = a.layout().shape();
            int d = shape.length, m = shape[d - 2], n = shape[d - 1];
            int[] batch = Arrays.copyOf(shape, d - 2);
            return new Tensor[] {Kernels.zeros(append(batch, m, m), a.dtype(), a.device()), r[1],
                    Kernels.zeros(append(batch, n, n), a.dtype(), a.device())};
        }
        return new Tensor[] {r[0], r[1], r[2].mT()};
    }

    private static Tensor[] decompose(Tensor a, boolean full, boolean computeUv, String fn) {
        if (a.dim() < 2) throw new IllegalArgumentException(fn + ": The input tensor A must have at least 2 dimensions.");
        if (!a.isFloatingPoint())
            throw new IllegalArgumentException(fn + ": Expected a floating point or complex tensor as input. Got " + TypePromotion.typeName(a.dtype()));
        int[] shape = a.layout().shape();
        int d = shape.length, m = shape[d - 2], n = shape[d - 1], k = Math.min(m, n);
        int[] batch = Arrays.copyOf(shape, d - 2);
        int ku = full ? m : k, kv = full ? n : k;
        Tensor dense = Kernels.copy(a.detach());
        Tensor s = Kernels.empty(append(batch, k), a.dtype(), a.device());
        Tensor u = null, vh = null;
        if (computeUv) {
            Tensor uRows = Kernels.empty(append(batch, m, ku), a.dtype(), a.device()), vhRows = Kernels.empty(append(batch, kv, n), a.dtype(), a.device());
            a.backend().svd(dense.strided(), uRows.strided(), s.strided(), vhRows.strided());
            u = columnMajorCopy(uRows);
            vh = columnMajorCopy(vhRows);
        } else {
            a.backend().svd(dense.strided(), null, s.strided(), null);
        }
        if (!computeUv) return new Tensor[] {null, s, null};
        Tensor[] outs = {u, s, vh};
        return Autograd.recordMulti("LinalgSvdBackward0", outs, new Tensor[] {a}, outs, c -> {
            // full_matrices: the backward sees the first k columns of U and rows of Vh (and of their gradients)
            Tensor uk = full ? c.saved(0).narrow(-1, 0, k) : c.saved(0), vhk = full ? c.saved(2).narrow(-2, 0, k) : c.saved(2);
            Tensor gu = !c.hasGrad(0) ? null : full ? c.grad(0).narrow(-1, 0, k) : c.grad(0);
            Tensor gvh = !c.hasGrad(2) ? null : full ? c.grad(2).narrow(-2, 0, k) : c.grad(2);
            return new Tensor[] {backward(gu, c.hasGrad(1) ? c.grad(1) : null, gvh, uk, c.saved(1), vhk)};
        });
    }

    /** The same values laid out as LAPACK returns them: each matrix column-major. */
    private static Tensor columnMajorCopy(Tensor rows) {
        Tensor out = Kernels.empty(LinearAlgebra.columnMajor(rows.layout().shape()), rows.dtype(), rows.device());
        Kernels.write(rows, out);
        return out;
    }

    /** FunctionsManual's svd_backward for real inputs, in tensor ops. */
    private static Tensor backward(Tensor gU, Tensor gS, Tensor gVh, Tensor u, Tensor s, Tensor vh) {
        int m = u.size(-2), n = vh.size(-1);
        if (gU == null && gVh == null) {
            if (gS == null) return null;
            return m >= n ? u.matmul(gS.unsqueeze(-1).mul(vh)) : u.mul(gS.unsqueeze(-2)).matmul(vh);
        }
        Tensor uhgu = gU == null ? null : skew(u.mT().matmul(gU));
        Tensor vhgv = gVh == null ? null : skew(vh.matmul(gVh.mT()));
        Tensor s2 = s.mul(s);
        Tensor e = s2.unsqueeze(-2).sub(s2.unsqueeze(-1));
        e.diagonal(0, -2, -1).fill_(1.0);
        Tensor gA = gU != null && gVh != null ? uhgu.mul(s.unsqueeze(-2)).add(s.unsqueeze(-1).mul(vhgv)).div(e)
                : gU == null ? s.unsqueeze(-1).mul(vhgv).div(e) : uhgu.mul(s.unsqueeze(-2)).div(e);
        if (gS != null) gA = gA.add(gS.diagEmbed());
        if (m > n && gU != null) {
            gA = u.matmul(gA);
            Tensor gUSinv = gU.div(s.unsqueeze(-2));
            gA = gA.add(gUSinv).sub(u.matmul(u.mT().matmul(gUSinv)));
            return gA.matmul(vh);
        }
        if (m < n && gVh != null) {
            gA = gA.matmul(vh);
            Tensor sinvgVh = gVh.div(s.unsqueeze(-1));
            gA = gA.add(sinvgVh).sub(sinvgVh.matmul(vh.mT()).matmul(vh));
            return u.matmul(gA);
        }
        return m >= n ? u.matmul(gA.matmul(vh)) : u.matmul(gA).matmul(vh);
    }

    private static Tensor skew(Tensor x) { return x.sub(x.mT()); }

    // ---------------------------------------------------------------- built on the SVD

    /**
     * {@code torch.linalg.pinv(a, atol, rtol)}: V diag(1/s) Uᵀ over the singular values above
     * {@code max(atol, rtol * max(s))}, one {@code LinalgPinvBackward0}. {@code rtol} null means PyTorch's default,
     * eps(dtype) * max(m, n) when atol is not given either (else 0).
     */
    static Tensor pinv(Tensor a, Double atol, Double rtol) {
        if (a.dim() < 2 || !a.isFloatingPoint())
            throw new IllegalArgumentException("linalg.pinv(" + TypePromotion.typeName(a.dtype()) + "{" + Shape.str(a.layout().shape())
                    + "}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types");
        int m = a.size(-2), n = a.size(-1);
        double at = atol == null ? 0 : atol;
        double rt = rtol != null ? rtol : atol == null ? eps(a.dtype()) * Math.max(m, n) : 0;
        Tensor out;
        try (var g = GradMode.noGrad()) {
            if (a.numel() == 0) {
                int[] shape = a.layout().shape().clone();
                shape[shape.length - 2] = n;
                shape[shape.length - 1] = m;
                out = Kernels.zeros(shape, a.dtype(), a.device());
            } else {
                Tensor[] usv = svd(a, false);
                Tensor s = usv[1];
                Tensor tol = s.narrow(-1, 0, 1).mul(rt).clampMin(at);
                Tensor sinv = Tensor.where(s.gt(tol), s.reciprocal(), Tensor.zerosLike(s));
                out = usv[2].mT().mul(sinv.unsqueeze(-2)).matmul(usv[0].mT()).contiguous();
            }
        }
        return Autograd.record("LinalgPinvBackward0", out, new Tensor[] {a}, new Tensor[] {a, out}, c -> new Tensor[] {pinvBackward(c.grad(), c.saved(1), c.saved(0))});
    }

    /** FunctionsManual's pinv_backward, with the products taken in its order (smallest matrices first). */
    private static Tensor pinvBackward(Tensor grad, Tensor pinvA, Tensor a) {
        int m = a.size(-2), n = a.size(-1);
        Tensor pinvAh = pinvA.mT(), gradh = grad.mT();
        if (m <= n) {
            Tensor k = gradh.matmul(pinvA), kpinvAh = k.matmul(pinvAh);
            return pinvA.matmul(k).mT().neg().add(kpinvAh).sub(a.matmul(pinvA).matmul(kpinvAh))
                    .add(pinvAh.matmul(pinvA).matmul(gradh.sub(k.matmul(a))));
        }
        Tensor k = pinvA.matmul(gradh), pinvAhK = pinvAh.matmul(k);
        return k.matmul(pinvA).mT().neg().add(gradh.sub(a.matmul(k)).matmul(pinvA).matmul(pinvAh)).add(pinvAhK)
                .sub(pinvAhK.matmul(pinvA).matmul(a));
    }

    /**
     * {@code torch.linalg.matrix_rank(a, atol, rtol)}: how many singular values exceed {@code max(atol, rtol * max(s))}
     * (int64); the default tolerance is pinv's.
     */
    static Tensor matrixRank(Tensor a, Double atol, Double rtol) {
        if (a.dim() < 2) throw new IllegalArgumentException("torch.linalg.matrix_rank: The input tensor input must have at least 2 dimensions.");
        if (!a.isFloatingPoint()) throw new IllegalArgumentException("This function doesn't handle types other than float and double");
        int m = a.size(-2), n = a.size(-1);
        double at = atol == null ? 0 : atol;
        double rt = rtol != null ? rtol : atol == null ? eps(a.dtype()) * Math.max(m, n) : 0;
        try (var g = GradMode.noGrad()) {
            Tensor s = svdvals(a);
            if (s.size(-1) == 0) return Kernels.zeros(Arrays.copyOf(s.layout().shape(), s.dim() - 1), DType.INT64, a.device());
            Tensor tol = s.narrow(-1, 0, 1).mul(rt).clampMin(at);
            return s.gt(tol).sum(new int[] {-1}, false);
        }
    }

    /** The 2 (largest), -2 (smallest) or nuclear (summed) norm of the singular values over dims, as ATen 1.13 composes it. */
    static Tensor matrixNorm(Tensor a, String kind, int d0, int d1, boolean keepdim) {
        int[] perm = backshift(d0, d1, a.dim());
        Tensor s = svdvals(a.permute(perm));
        int[] last = {-1};
        Tensor r = switch (kind) {
            case "2" -> s.amax(last, keepdim);
            case "-2" -> s.amin(last, keepdim);
            default -> s.sum(last, keepdim);
        };
        if (!keepdim) return r;
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[perm[i]] = i;
        return r.unsqueeze(-1).permute(inverse);
    }

    /** ATen's create_dim_backshift_permutation: every other dim in order, then d0 and d1. */
    private static int[] backshift(int d0, int d1, int rank) {
        int[] perm = new int[rank];
        int j = 0;
        for (int i = 0; i < rank; i++) if (i != d0 && i != d1) perm[j++] = i;
        perm[j++] = d0;
        perm[j] = d1;
        return perm;
    }

    private static double eps(DType t) {
        return switch (t) {
            case FLOAT64 -> Math.ulp(1.0);
            case FLOAT16 -> 0.0009765625;
            case BFLOAT16 -> 0.0078125;
            default -> Math.ulp(1.0f);
        };
    }

    private static int[] append(int[] s, int... more) {
        int[] out = Arrays.copyOf(s, s.length + more.length);
        System.arraycopy(more, 0, out, s.length, more.length);
        return out;
    }
}
