package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;

/**
 * Solves with triangular matrices: {@code torch.linalg.solve_triangular} and the older {@code torch.triangular_solve}
 * (which also returns a copy of A), batched with broadcasting, on the backend's trsm. Results are column-major, as
 * LAPACK leaves them. Backward rules are PyTorch 1.13's, written with solve_triangular itself, so double backward works.
 */
final class TriangularSolves {
    private TriangularSolves() {}

    /**
     * X with A X = B over the broadcast batch, contiguous and unrecorded; A read in its upper or lower triangle.
     * Every other solve with a triangular factor (Cholesky's, the right-hand and transposed forms) comes here.
     */
    static Tensor solved(Tensor a, Tensor b, boolean upper, boolean unitriangular) {
        int n = a.size(-1), k = b.size(-1);
        int[] as = a.layout().shape(), bs = b.layout().shape();
        // B's batch first: its size is "tensor a" in the broadcast error, as in ATen
        int[] batch = Shape.broadcast(Arrays.copyOf(bs, bs.length - 2), Arrays.copyOf(as, as.length - 2));
        try (var g = GradMode.noGrad()) {
            Tensor matrices = Kernels.copy(a.detach().expand(LinearAlgebra.append(batch, n, n)));
            Tensor x = Kernels.copy(b.detach().expand(LinearAlgebra.append(batch, n, k)));
            a.backend().triangularSolve(matrices.strided(), x.strided(), upper, unitriangular);
            return x;
        }
    }

    /** X A = B is Aᵀ Xᵀ = Bᵀ, and Aᵀ's triangle is the other one. */
    private static Tensor solvedOnTheRight(Tensor a, Tensor b, boolean upper, boolean unitriangular) {
        return solved(a.mT(), b.mT(), !upper, unitriangular).mT();
    }

    /** A copy of t laid out column-major, as LAPACK returns its matrices. */
    static Tensor columnMajor(Tensor t) {
        Tensor out = Kernels.empty(LinearAlgebra.columnMajor(t.layout().shape()), t.dtype(), t.device());
        Kernels.write(t, out);
        return out;
    }

    static Tensor solveTriangular(Tensor a, Tensor b, boolean upper, boolean left, boolean unitriangular) {
        String fn = "linalg.solve_triangular";
        if (a.dim() < 2) throw new IllegalArgumentException(fn + ": The input tensor A must have at least 2 dimensions.");
        if (b.dim() < 2) throw new IllegalArgumentException(fn + ": The input tensor B must have at least 2 dimensions.");
        LinearAlgebra.checkSquare(a, fn);
        int n = a.size(-1);
        if ((left ? b.size(-2) : b.size(-1)) != n)
            throw new IllegalArgumentException(fn + ": Incompatible shapes of A and B for the equation " + (left ? "AX = B" : "XA = B") + " (" + n + "x" + n
                    + " and " + b.size(-2) + "x" + b.size(-1) + ")");
        Kernels.checkSameDevice(a, b);
        // 1.13 solves in A's dtype, B cast to it; the kernel has no integer version
        DType dtype = a.dtype();
        notImplementedForIntegers(dtype, "triangular_solve_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor cb = b.to(dtype);
            out = columnMajor(left ? solved(a, cb, upper, unitriangular) : solvedOnTheRight(a, cb, upper, unitriangular));
        }
        // gB = A⁻ᴴ gX (a solve with Aᴴ, whose triangle is the other one); gA = -gB Xᴴ (-Xᴴ gB on the right), in A's triangle
        return Autograd.record("LinalgSolveTriangularBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, out}, c -> {
            Tensor ah = c.saved(0).mT(), x = c.saved(1);
            Tensor gb = Tensor.solveTriangular(ah, c.grad(), !upper, left, unitriangular);
            Tensor ga = null;
            if (c.needs(0)) {
                ga = (left ? gb.matmul(x.mT()) : x.mT().matmul(gb)).neg();
                ga = upper ? ga.triu(unitriangular ? 1 : 0) : ga.tril(unitriangular ? -1 : 0);
            }
            return new Tensor[] {ga, c.needs(1) ? gb : null};
        });
    }

    /** {@code torch.triangular_solve(b, A, upper, transpose, unitriangular)}: (X, a copy of A over the broadcast batch). */
    static Tensor.TriangularSolution triangularSolve(Tensor b, Tensor a, boolean upper, boolean transpose, boolean unitriangular) {
        if (b.dim() < 2) throw new IllegalArgumentException("torch.triangular_solve: Expected b to have at least 2 dimensions, but it has " + b.dim() + " dimensions instead");
        if (a.dim() < 2) throw new IllegalArgumentException("torch.triangular_solve: Expected A to have at least 2 dimensions, but it has " + a.dim() + " dimensions instead");
        checkSolveInputs(b, a, "triangular_solve");
        notImplementedForIntegers(a.dtype(), "triangular_solve_cpu");
        int n = a.size(-1);
        int[] as = a.layout().shape(), bs = b.layout().shape();
        int[] batch = Shape.broadcast(Arrays.copyOf(bs, bs.length - 2), Arrays.copyOf(as, as.length - 2));
        Tensor x, copy;
        try (var g = GradMode.noGrad()) {
            x = columnMajor(transpose ? solved(a.mT(), b, !upper, unitriangular) : solved(a, b, upper, unitriangular));
            copy = columnMajor(a.detach().expand(LinearAlgebra.append(batch, n, n)));
        }
        // gb = A⁻ᵀ gX (A⁻¹ gX when transposed); gA = -gb Xᵀ (-X gbᵀ when transposed) in A's triangle, plus the copy's gradient
        // 1.13's node also saves b, which its formula never reads: writing to b in place then fails backward
        Tensor[] outs = Autograd.recordMulti("TriangularSolveBackward0", new Tensor[] {x, copy}, new Tensor[] {b, a}, new Tensor[] {b, a, x}, c -> {
            c.unpackAll();
            Tensor coefficient = c.saved(1), solution = c.saved(2);
            Tensor gb = null, ga = null;
            if (c.hasGrad(0)) {
                gb = Tensor.triangularSolve(c.grad(0), coefficient, upper, !transpose, unitriangular).solution();
                if (c.needs(1)) {
                    ga = (transpose ? solution.matmul(gb.mT()) : gb.matmul(solution.mT())).neg();
                    ga = upper ? ga.triu(unitriangular ? 1 : 0) : ga.tril(unitriangular ? -1 : 0);
                }
            }
            if (c.needs(1) && c.hasGrad(1)) ga = ga == null ? c.grad(1) : ga.add(c.grad(1));
            return new Tensor[] {c.needs(0) ? gb : null, c.needs(1) ? ga : null};
        });
        return new Tensor.TriangularSolution(outs[0], outs[1]);
    }

    /** ATen's linearSolveCheckInputs, shared by triangular_solve and cholesky_solve: b's dtype, A square, the sizes. */
    static void checkSolveInputs(Tensor b, Tensor a, String name) {
        Kernels.checkSameDevice(b, a);
        if (b.dtype() != a.dtype())
            throw new IllegalArgumentException("Expected b and A to have the same dtype, but found b of type " + TypePromotion.typeName(b.dtype())
                    + " and A of type " + TypePromotion.typeName(a.dtype()) + " instead.");
        if (a.size(-1) != a.size(-2))
            throw new IllegalArgumentException("A must be batches of square matrices, but they are " + a.size(-2) + " by " + a.size(-1) + " matrices");
        if (a.size(-1) != b.size(-2))
            throw new IllegalArgumentException("Incompatible matrix sizes for " + name + ": each A matrix is " + a.size(-1) + " by " + a.size(-1)
                    + " but each b matrix is " + b.size(-2) + " by " + b.size(-1));
    }

    /** The dispatch error of a LAPACK kernel that has only float32 and float64 (and complex) versions. */
    static void notImplementedForIntegers(DType dtype, String kernel) {
        if (!dtype.isFloatingPoint() || dtype.isReducedFloat())
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(dtype) + "'");
    }
}
