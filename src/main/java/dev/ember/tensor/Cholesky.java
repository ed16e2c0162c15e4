package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;

/**
 * The Cholesky factorisation and what is built on it: {@code torch.linalg.cholesky} (and the older
 * {@code torch.cholesky}), {@code torch.cholesky_solve} and {@code torch.cholesky_inverse}, batched, on the backend's
 * potrf and trsm. Results are column-major, as LAPACK leaves them. Backward rules are PyTorch 1.13's, written with
 * solve_triangular and cholesky_solve, so double backward works.
 */
final class Cholesky {
    private Cholesky() {}

    /** {@code linalg} picks torch.linalg.cholesky's checks, error prefix and node over torch.cholesky's. */
    static Tensor cholesky(Tensor a, boolean upper, boolean linalg) {
        String fn = linalg ? "linalg.cholesky" : "cholesky";
        LinearAlgebra.checkSquare(a, fn);
        if (linalg) LinearAlgebra.checkFloatingOrComplex(a, fn);
        TriangularSolves.notImplementedForIntegers(a.dtype(), "cholesky_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            // potrf reads one triangle: the upper one of A is the lower one of Aᵀ, and U = Lᵀ of that
            Tensor l = Kernels.copy(upper ? a.detach().mT() : a.detach());
            int[] shape = a.layout().shape();
            Tensor info = Kernels.empty(Arrays.copyOf(shape, shape.length - 2), DType.INT32, a.device());
            a.backend().choleskyFactor(l.strided(), info.strided());
            checkPositiveDefinite(info, fn, a.dim() > 2);
            out = TriangularSolves.columnMajor(upper ? l.mT() : l);
        }
        return Autograd.record(linalg ? "LinalgCholeskyExBackward0" : "CholeskyBackward0", out, new Tensor[] {a}, new Tensor[] {out},
                c -> new Tensor[] {backward(c.grad(), c.saved(0), upper)});
    }

    private static void checkPositiveDefinite(Tensor info, String fn, boolean batched) {
        int[] codes = info.toIntArray();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == 0) continue;
            throw new IllegalArgumentException(fn + ": " + (batched ? "(Batch element " + i + "): " : "")
                    + "The factorization could not be completed because the input is not positive-definite (the leading minor of order "
                    + codes[i] + " is not positive-definite).");
        }
    }

    /**
     * Iain Murray's rule (arXiv 1602.07527), symmetrised as PyTorch's: Φ = tril(Lᴴ gL) with its diagonal halved, and
     * gA = L⁻ᴴ ½(Φ + Φᴴ) L⁻¹, taken as two triangular solves.
     */
    private static Tensor backward(Tensor gl, Tensor l, boolean upper) {
        if (upper) {
            l = l.mT();
            gl = gl.mT();
        }
        Tensor phi = l.mT().matmul(gl).tril();
        Tensor ga = phi.add(phi.tril(-1).mT()).mul(0.5);
        ga = Tensor.solveTriangular(l.mT(), ga, true, true, false);
        return Tensor.solveTriangular(l, ga, false, false, false);
    }

    /** {@code torch.cholesky_solve(b, u, upper)}: X with A X = b, A = u uᴴ (uᴴ u when upper), over the broadcast batch. */
    static Tensor choleskySolve(Tensor b, Tensor u, boolean upper) {
        if (b.dim() < 2) throw new IllegalArgumentException("b should have at least 2 dimensions, but has " + b.dim() + " dimensions instead");
        if (u.dim() < 2) throw new IllegalArgumentException("u should have at least 2 dimensions, but has " + u.dim() + " dimensions instead");
        TriangularSolves.checkSolveInputs(b, u, "cholesky_solve");
        TriangularSolves.notImplementedForIntegers(u.dtype(), "cholesky_solve_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = TriangularSolves.columnMajor(solved(b, u, upper));
        }
        // gB = A⁻¹ gX; gL = -(S) L with S = gB Xᴴ + X gBᴴ (-U S when upper)
        // 1.13's node also saves b, which its formula never reads: writing to b in place then fails backward
        return Autograd.record("CholeskySolveBackward0", out, new Tensor[] {b, u}, new Tensor[] {b, u, out}, c -> {
            c.unpackAll();
            Tensor factor = c.saved(1), x = c.saved(2);
            Tensor gb = Tensor.choleskySolve(c.grad(), factor, upper);
            Tensor gu = null;
            if (c.needs(1)) {
                Tensor common = gb.matmul(x.mT());
                common = common.add(common.mT());
                gu = (upper ? factor.matmul(common) : common.matmul(factor)).neg();
            }
            return new Tensor[] {c.needs(0) ? gb : null, gu};
        });
    }

    /** The two triangular solves, L then Lᴴ (Uᴴ then U when upper), unrecorded and contiguous. */
    private static Tensor solved(Tensor b, Tensor u, boolean upper) {
        Tensor first = upper ? u.mT() : u;
        Tensor y = TriangularSolves.solved(first, b, false, false);
        return TriangularSolves.solved(first.mT(), y, true, false);
    }

    /** {@code torch.cholesky_inverse(u, upper)}: A⁻¹ for A = u uᴴ (uᴴ u when upper). */
    static Tensor choleskyInverse(Tensor u, boolean upper) {
        String fn = "cholesky_inverse";
        LinearAlgebra.checkSquare(u, fn);
        TriangularSolves.notImplementedForIntegers(u.dtype(), "cholesky_inverse_out_cpu");
        int n = u.size(-1);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor identity = Tensor.eye(n, n, u.dtype()).to(u.device()).expand(u.layout().shape());
            out = TriangularSolves.columnMajor(solved(identity, u, upper));
        }
        // gL = -(A⁻¹ (g + gᴴ) A⁻¹) L (-U (…) when upper)
        return Autograd.record("CholeskyInverseBackward0", out, new Tensor[] {u}, new Tensor[] {u, out}, c -> {
            Tensor factor = c.saved(0), inverse = c.saved(1);
            Tensor common = inverse.matmul(c.grad().add(c.grad().mT()).matmul(inverse));
            return new Tensor[] {(upper ? factor.matmul(common) : common.matmul(factor)).neg()};
        });
    }
}
