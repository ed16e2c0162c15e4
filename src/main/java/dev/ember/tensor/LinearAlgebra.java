package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;

/**
 * torch.linalg as of 1.13 on real matrices: {@code det}, {@code slogdet}, {@code logdet}, {@code inv} and
 * {@code solve}, batched, on the backend's LU factorisation with partial pivoting (LAPACK's getrf and getrs).
 * As ATen, solve (and inv, which solves against the identity) factors Aᵀ when A is contiguous and solves the
 * transposed system, and returns its result column-major. Backward rules are PyTorch's, written with inv and solve,
 * so double backward works; a singular matrix's det gradient under create_graph (which PyTorch takes from an SVD) is
 * not covered.
 */
final class LinearAlgebra {
    private LinearAlgebra() {}

    static void checkSquare(Tensor a, String fn) {
        if (a.dim() < 2) throw new IllegalArgumentException(fn + ": The input tensor A must have at least 2 dimensions.");
        if (a.size(-1) != a.size(-2))
            throw new IllegalArgumentException(fn + ": A must be batches of square matrices, but they are " + a.size(-2) + " by " + a.size(-1) + " matrices");
    }

    static void checkFloating(Tensor a, String fn) {
        checkFloatingOrComplex(a, fn);
        if (a.dtype().isReducedFloat())
            throw new IllegalArgumentException(fn + ": Low precision dtypes not supported. Got " + TypePromotion.typeName(a.dtype()));
    }

    /** ATen's checkFloatingOrComplex: half dtypes pass it, to fail at the kernel's dispatch instead. */
    static void checkFloatingOrComplex(Tensor a, String fn) {
        if (!a.dtype().isFloatingPoint())
            throw new IllegalArgumentException(fn + ": Expected a floating point or complex tensor as input. Got " + TypePromotion.typeName(a.dtype()));
    }

    /** The LU factors of each matrix of a, with LAPACK's pivots and info (both int32). */
    private record Factors(Tensor lu, Tensor pivots, Tensor info) {}

    /** det(Aᵀ) = det(A): ATen factors the transpose of a contiguous matrix, which LAPACK then reads without a copy. */
    private static Factors factorForDet(Tensor a) { return factor(a.isContiguous() ? a.mT() : a); }

    private static Factors factor(Tensor a) {
        int[] shape = a.layout().shape();
        int[] batch = Arrays.copyOf(shape, shape.length - 2);
        Tensor lu = Kernels.copy(a.detach());
        Tensor pivots = Kernels.empty(append(batch, shape[shape.length - 1]), DType.INT32, a.device());
        Tensor info = Kernels.empty(batch, DType.INT32, a.device());
        a.backend().luFactor(lu.strided(), pivots.strided(), info.strided());
        return new Factors(lu, pivots, info);
    }

    /** (-1)^(rows swapped) per matrix, in dtype: the determinant of the permutation. */
    private static Tensor permutationSign(Tensor pivots, DType dtype) {
        int n = pivots.size(-1);
        int[] batch = Arrays.copyOf(pivots.layout().shape(), pivots.dim() - 1);
        int count = Shape.numel(batch);
        long[] p = Indexing.hostLongs(pivots);
        double[] sign = new double[count];
        for (int b = 0; b < count; b++) {
            int swaps = 0;
            for (int i = 0; i < n; i++) if (p[b * n + i] != i + 1) swaps++;
            sign[b] = swaps % 2 == 0 ? 1 : -1;
        }
        return Creation.fromArray(sign, DType.FLOAT64, batch).to(dtype).to(pivots.device());
    }

    static Tensor det(Tensor a) {
        checkSquare(a, "linalg.det");
        checkFloating(a, "linalg.det");
        Tensor out;
        Factors f;
        try (var g = GradMode.noGrad()) {
            f = factorForDet(a);
            out = f.lu.diagonal(0, -2, -1).prod(-1).mul(permutationSign(f.pivots, a.dtype()));
        }
        boolean factoredTranspose = a.isContiguous();
        // d det / dA = det · A⁻ᵀ
        return Autograd.record("LinalgDetBackward0", out, new Tensor[] {a}, new Tensor[] {a, out}, c -> {
            Tensor det = c.saved(1), scaled = c.grad().mul(det);
            if (GradMode.isEnabled()) {
                // differentiable for double backward; PyTorch 1.13 takes a singular matrix's cofactors from an SVD
                // here, which Ember lacks: it gives such a matrix a zero gradient
                Tensor g = asMatrices(scaled).mul(inverse(c.saved(0), false).mT());
                return new Tensor[] {Tensor.where(asMatrices(det.eq(0.0)), 0.0, g)};
            }
            // 1.13 solves with the forward's factors, a zero pivot replaced by epsilon: det is then 0, so is
            // grad · det, and the gradient comes out 0 (NaN where grad is not finite)
            Tensor pivotsOfU = f.lu.diagonal(0, -2, -1);
            double eps = Math.ulp(a.dtype() == DType.FLOAT64 ? 1.0 : 1.0f);
            Tensor lu = f.lu.add(pivotsOfU.eq(0.0).mul(eps).diagEmbed());
            return new Tensor[] {solvedWith(new Factors(lu, f.pivots, f.info), scaled, factoredTranspose)};
        });
    }

    static Tensor.SignLogAbsDet slogdet(Tensor a) {
        checkSquare(a, "linalg.slogdet");
        checkFloating(a, "linalg.slogdet");
        Tensor sign, logabsdet;
        Factors f;
        try (var g = GradMode.noGrad()) {
            f = factorForDet(a);
            Tensor diagonal = f.lu.diagonal(0, -2, -1);
            sign = diagonal.sign().prod(-1).mul(permutationSign(f.pivots, a.dtype()));
            logabsdet = diagonal.abs().log().sum(-1);
        }
        boolean factoredTranspose = a.isContiguous();
        // only log|det| has a gradient for real matrices: A⁻ᵀ, solved with the forward's factors even when U has a
        // zero pivot (the infinities and NaNs getrs leaves); double backward solves with A itself
        // PyTorch's node saves the sign output too, so writing to it in place fails backward
        Autograd.recordMulti("LinalgSlogdetBackward0", new Tensor[] {sign, logabsdet}, new Tensor[] {a}, new Tensor[] {a, sign}, c -> {
            c.saved(1);
            // only the sign reached: no gradient, as PyTorch's undefined one (zeros would solve to 0/0 at a singular A)
            if (!c.hasGrad(1)) return new Tensor[] {null};
            if (GradMode.isEnabled()) return new Tensor[] {c.saved(0).mT().solve(c.grad(1).unsqueeze(-1).expand(c.saved(0).layout().shape()).diagEmbed())};
            return new Tensor[] {solvedWith(f, c.grad(1), factoredTranspose)};
        });
        return new Tensor.SignLogAbsDet(sign, logabsdet);
    }

    /**
     * A⁻ᵀ diag(g) for a batch of g, from A's factors ({@code factoredTranspose}: of Aᵀ, as det factors a contiguous A),
     * column-major as getrs leaves it: PyTorch's lu_solve(LU, pivots, diag(g), adjoint=!factoredTranspose).
     */
    private static Tensor solvedWith(Factors f, Tensor g, boolean factoredTranspose) {
        int n = f.lu.size(-1);
        int[] diagonals = f.pivots.layout().shape(); // the batch, then n
        Tensor x = Kernels.copy(g.unsqueeze(-1).expand(diagonals).diagEmbed());
        f.lu.backend().luSolve(f.lu.strided(), f.pivots.strided(), x.strided(), !factoredTranspose);
        Tensor out = Kernels.empty(columnMajor(append(Arrays.copyOf(diagonals, diagonals.length - 1), n, n)), x.dtype(), x.device());
        Kernels.write(x, out);
        return out;
    }

    /** {@code torch.logdet}: log det, NaN where the determinant is negative. */
    static Tensor logdet(Tensor a) {
        checkSquare(a, "logdet");
        checkFloating(a, "logdet");
        Tensor.SignLogAbsDet s = a.slogdet();
        return Tensor.where(s.sign().eq(-1.0), Double.NaN, s.logabsdet());
    }

    static Tensor inverse(Tensor a) { return inverse(a, true); }

    /** {@code linalg.inv}; unchecked, a singular matrix gives what the triangular solves leave (infinities, NaN). */
    private static Tensor inverse(Tensor a, boolean checked) {
        checkSquare(a, "linalg.inv");
        checkFloating(a, "linalg.inv");
        int n = a.size(-1);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = solved(a, Tensor.eye(n, n, a.dtype()).to(a.device()).expand(a.layout().shape()), false, checked ? "linalg.inv" : null);
        }
        return Autograd.record("LinalgInvExBackward0", out, new Tensor[] {a}, new Tensor[] {out}, c -> {
            Tensor inv = c.saved(0).mT();
            return new Tensor[] {inv.matmul(c.grad().matmul(inv)).neg()};
        });
    }

    static Tensor solve(Tensor a, Tensor b) {
        // 1.13's order: A's dtype, the two dtypes, then the shapes
        checkFloating(a, "linalg.solve");
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("linalg.solve: Expected A and B to have the same dtype, but found A of type " + TypePromotion.typeName(a.dtype())
                    + " and B of type " + TypePromotion.typeName(b.dtype()) + " instead");
        checkSquare(a, "linalg.solve");
        boolean vector = isVector(a, b);
        Tensor rhs = vector ? b.unsqueeze(-1) : b;
        if (rhs.dim() < 2) throw new IllegalArgumentException("linalg.solve: The input tensor B must have at least 2 dimensions.");
        if (rhs.size(-2) != a.size(-1))
            throw new IllegalArgumentException("linalg.solve: Incompatible shapes of A and B for the equation AX = B (" + a.size(-2) + "x" + a.size(-1)
                    + " and " + rhs.size(-2) + "x" + rhs.size(-1) + ")");
        Kernels.checkSameDevice(a, b);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = solved(a, rhs, vector, "torch.linalg.solve");
        }
        // gB = A⁻ᵀ gX, gA = -gB Xᵀ
        return Autograd.record("LinalgSolveExBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, out}, c -> {
            Tensor gb = c.saved(0).mT().solve(c.grad());
            Tensor x = c.saved(1);
            // PyTorch 1.13 takes a vector of size 1 for a [..., 1] matrix here, so its gradient of A has X's shape and
            // the engine refuses it; Ember's rule does the same
            Tensor ga = !c.needs(0) ? null : vector && a.size(-1) == 1 ? gb.mul(x).neg()
                    : vector ? gb.unsqueeze(-1).mul(x.unsqueeze(-2)).neg() : gb.matmul(x.mT()).neg();
            return new Tensor[] {ga, c.needs(1) ? gb : null};
        });
    }

    /** numpy's rule: B is a vector (or a batch of them) when it is 1-D or has A's shape without its last dim. */
    private static boolean isVector(Tensor a, Tensor b) {
        int[] as = a.layout().shape();
        return b.dim() == 1 || (b.dim() == a.dim() - 1 && Arrays.equals(b.layout().shape(), Arrays.copyOf(as, as.length - 1)));
    }

    /**
     * X with A X = B over the broadcast batch, column-major as LAPACK leaves it ({@code vector} drops B's last dim
     * again); a singular matrix fails with the text {@code fn}'s check gives (none when fn is null).
     */
    private static Tensor solved(Tensor a, Tensor b, boolean vector, String fn) {
        int n = a.size(-1), k = b.size(-1);
        int[] as = a.layout().shape(), bs = b.layout().shape();
        int[] batch = Shape.broadcast(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2));
        Tensor matrices = a.expand(append(batch, n, n));
        boolean transposed = a.isContiguous();
        Factors f = factor(transposed ? matrices.mT() : matrices);
        Tensor x = Kernels.copy(b.expand(append(batch, n, k)));
        a.backend().luSolve(f.lu.strided(), f.pivots.strided(), x.strided(), transposed);
        if (fn != null) checkSingular(f.info, fn, a.dim() > 2);
        if (vector) x = x.squeeze(-1);
        int[] shape = x.layout().shape();
        Tensor out = Kernels.empty(columnMajor(shape), x.dtype(), x.device());
        Kernels.write(x, out);
        return out;
    }

    private static void checkSingular(Tensor info, String fn, boolean batched) {
        int[] codes = info.toIntArray();
        for (int i = 0; i < codes.length; i++) {
            if (codes[i] == 0) continue;
            String where = fn + ": " + (batched ? "(Batch element " + i + "): " : "");
            if (fn.equals("linalg.inv"))
                throw new IllegalArgumentException(where + "The diagonal element " + codes[i] + " is zero, the inversion could not be completed because the input matrix is singular.");
            throw new IllegalArgumentException(where + "The solver failed because the input matrix is singular.");
        }
    }

    /** Row-major batches of column-major matrices (a 1-D shape is its own column). */
    static Layout columnMajor(int[] shape) {
        int d = shape.length;
        if (d < 2) return Layout.contiguous(shape);
        int[] strides = new int[d];
        strides[d - 2] = 1;
        strides[d - 1] = Math.max(shape[d - 2], 1);
        int step = strides[d - 1] * Math.max(shape[d - 1], 1);
        for (int i = d - 3; i >= 0; i--) {
            strides[i] = step;
            step *= Math.max(shape[i], 1);
        }
        return new Layout(shape, strides, 0);
    }

    /** A batch of numbers as [..., 1, 1], to scale whole matrices. */
    private static Tensor asMatrices(Tensor t) { return t.unsqueeze(-1).unsqueeze(-1); }

    static int[] append(int[] batch, int... last) {
        int[] s = Arrays.copyOf(batch, batch.length + last.length);
        System.arraycopy(last, 0, s, batch.length, last.length);
        return s;
    }
}
