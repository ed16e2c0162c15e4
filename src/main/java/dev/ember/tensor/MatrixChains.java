package dev.ember.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Products of several matrices, composed of matmul/mm as ATen 1.13 composes them (so graphs and grad_fn names are
 * its): {@code matrix_power} by repeated squaring, {@code linalg.multi_dot} in the cheapest order of the chain, and
 * the deprecated {@code chain_matmul}.
 */
final class MatrixChains {
    private MatrixChains() {}

    static Tensor matrixPower(Tensor t, int n) {
        LinearAlgebra.checkSquare(t, "linalg.matrix_power");
        if (n == 0) {
            // a clone keeps the result in the graph (CopyBackwards, with no gradient to self)
            return Movement.contiguousCopy(t).copy_(Tensor.eye(t.size(-1), t.size(-1), t.dtype()).to(t.device()));
        }
        if (n == -1) return t.inverse();
        Tensor a = n < 0 ? t.inverse() : t;
        int k = Math.abs(n);
        if (k == 1) return Movement.contiguousCopy(a);
        if (k == 2) return a.matmul(a);
        if (k == 3) return a.matmul(a).matmul(a);
        // the bits of k from the lowest: z runs through a^(2^i), the result collects those the bits name
        Tensor z = null, result = null;
        while (k > 0) {
            boolean bit = (k & 1) == 1;
            k >>= 1;
            z = z == null ? a : z.matmul(z);
            if (bit) result = result == null ? z : result.matmul(z);
        }
        return result;
    }

    static Tensor multiDot(List<Tensor> tensors) {
        int n = tensors.size();
        if (n < 2) throw new IllegalArgumentException("multi_dot(): expected at least 2 tensors but got " + n);
        Tensor[] m = tensors.toArray(new Tensor[0]);
        int[] outShape = new int[0];
        Tensor first = m[0], last = m[n - 1];
        if (first.dim() == 1) m[0] = first.unsqueeze(0);
        else if (first.dim() == 2) outShape = new int[] {first.size(0)};
        else throw new IllegalArgumentException("multi_dot(): the first tensor must be 1D or 2D but got " + first.dim() + "D");
        if (last.dim() == 1) m[n - 1] = last.unsqueeze(-1);
        else if (last.dim() == 2) outShape = Arrays.copyOf(outShape, outShape.length + 1);
        else throw new IllegalArgumentException("multi_dot(): the last tensor must be 1D or 2D but got " + last.dim() + "D");
        if (last.dim() == 2) outShape[outShape.length - 1] = last.size(1);
        for (int i = 1; i < n - 1; i++)
            if (m[i].dim() != 2) throw new IllegalArgumentException("multi_dot(): tensor " + i + " must be 2D but got " + m[i].dim() + "D");
        for (int i = 1; i < n; i++) {
            if (m[i].dtype() != m[0].dtype())
                throw new IllegalArgumentException("multi_dot(): all tensors must have be the same dtype but tensor 0 is " + TypePromotion.cppTypeName(m[0].dtype())
                        + " and tensor " + i + " " + TypePromotion.cppTypeName(m[i].dtype()));
            Kernels.checkSameDevice(m[0], m[i]);
            if (m[i - 1].size(-1) != m[i].size(0))
                throw new IllegalArgumentException("multi_dot(): tensors " + (i - 1) + " and " + i + " with shapes " + Shape.str(tensors.get(i - 1).layout().shape())
                        + " and " + Shape.str(tensors.get(i).layout().shape()) + " cannot be multiplied");
        }
        Tensor result = n == 2 ? m[0].mm(m[1]) : n == 3 ? three(m[0], m[1], m[2]) : chain(m, order(m), 0, n - 1);
        return result.view(outShape);
    }

    /** (AB)C or A(BC), whichever needs fewer multiplications; (AB)C on a tie. */
    private static Tensor three(Tensor a, Tensor b, Tensor c) {
        long p = a.size(0), q = b.size(0), r = c.size(0), s = c.size(1);
        long leftFirst = p * r * (q + s), rightFirst = q * s * (p + r);
        return leftFirst > rightFirst ? a.mm(b.mm(c)) : a.mm(b).mm(c);
    }

    /** The textbook matrix-chain table: split[i][j] is where the cheapest product of m[i..j] splits (the first such). */
    private static int[][] order(Tensor[] m) {
        int n = m.length;
        long[] dims = new long[n + 1];
        for (int i = 0; i < n; i++) dims[i] = m[i].size(0);
        dims[n] = m[n - 1].size(1);
        long[][] cost = new long[n][n];
        int[][] split = new int[n][n];
        for (int len = 1; len < n; len++) {
            for (int i = 0; i + len < n; i++) {
                int j = i + len;
                cost[i][j] = Long.MAX_VALUE;
                for (int k = i; k < j; k++) {
                    long q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1];
                    if (q < cost[i][j]) {
                        cost[i][j] = q;
                        split[i][j] = k;
                    }
                }
            }
        }
        return split;
    }

    private static Tensor chain(Tensor[] m, int[][] split, int i, int j) {
        if (i == j) return m[i];
        return chain(m, split, i, split[i][j]).mm(chain(m, split, split[i][j] + 1, j));
    }

    static Tensor chainMatmul(List<Tensor> matrices) {
        for (Tensor t : matrices)
            if (t.dim() != 2) throw new IllegalArgumentException("Tensor dimension is " + t.dim() + ", expected 2 instead.");
        if (matrices.isEmpty()) throw new IllegalArgumentException("chain_matmul(): Expected one or more matrices");
        if (matrices.size() == 1) return matrices.get(0).clone();
        return multiDot(matrices);
    }
}
