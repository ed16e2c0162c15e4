package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Matrices assembled from smaller pieces, each written as ATen 1.13 composes it so that its graph is PyTorch's:
 * {@code block_diag} (its own {@code BlockDiagBackward0}), {@code cartesian_prod} and {@code combinations} (meshgrids
 * stacked, {@code StackBackward0}), {@code vander} (a cumulative product, flipped), and the index pairs of a triangle
 * ({@code tril_indices}, {@code triu_indices}).
 */
final class MatrixBuilders {
    private MatrixBuilders() {}

    /** {@code torch.block_diag(tensors)}: the inputs (0-D and 1-D as one row) along the diagonal of a zero matrix. */
    static Tensor blockDiag(List<Tensor> tensors) {
        if (tensors.isEmpty()) return Creation.zeros(new int[] {1, 0}, DType.FLOAT32);
        for (Tensor t : tensors)
            if (!t.device().equals(tensors.get(0).device())) throw new IllegalArgumentException("torch.block_diag: input tensors must all be on the same device.");
        DType rt = TypePromotion.resultType(tensors.toArray(Tensor[]::new));
        int rows = 0, cols = 0;
        int[][] blocks = new int[tensors.size()][];
        for (int i = 0; i < blocks.length; i++) {
            Tensor t = tensors.get(i);
            if (t.dim() > 2)
                throw new IllegalArgumentException("torch.block_diag: Input tensors must have 2 or fewer dimensions. Input " + i + " has " + t.dim() + " dimensions");
            blocks[i] = t.dim() == 2 ? t.layout().shape() : new int[] {1, t.dim() == 1 ? t.size(0) : 1};
            rows += blocks[i][0];
            cols += blocks[i][1];
        }
        Tensor out = Creation.zeros(new int[] {rows, cols}, rt, tensors.get(0).device());
        try (var g = GradMode.noGrad()) {
            int r = 0, c = 0;
            for (int i = 0; i < blocks.length; i++) {
                Kernels.write(tensors.get(i).expand(blocks[i]), out.narrow(0, r, blocks[i][0]).narrow(1, c, blocks[i][1]));
                r += blocks[i][0];
                c += blocks[i][1];
            }
        }
        return Autograd.record("BlockDiagBackward0", out, tensors.toArray(Tensor[]::new), new Tensor[0], c -> {
            Tensor[] grads = new Tensor[blocks.length];
            int r = 0, col = 0;
            for (int i = 0; i < blocks.length; i++) {
                if (c.needs(i)) grads[i] = c.grad().narrow(0, r, blocks[i][0]).narrow(1, col, blocks[i][1]).reshape(tensors.get(i).layout().shape());
                r += blocks[i][0];
                col += blocks[i][1];
            }
            return grads;
        });
    }

    /** {@code torch.cartesian_prod(tensors)}: every combination of one element from each vector, as rows. */
    static Tensor cartesianProd(List<Tensor> tensors) {
        for (Tensor t : tensors) checkVector(t);
        if (tensors.size() == 1) return tensors.get(0);
        List<Tensor> columns = new ArrayList<>();
        for (Tensor grid : Movement.meshgrid("ij", tensors)) columns.add(grid.flatten());
        return Joining.stack(columns, 1);
    }

    /**
     * {@code torch.combinations(t, r, with_replacement)}: the r-element combinations of a vector's elements in
     * lexicographic order of their positions, as rows; a meshgrid of r copies masked to increasing positions.
     */
    static Tensor combinations(Tensor t, int r, boolean withReplacement) {
        checkVector(t);
        if (r < 0) throw new IllegalArgumentException("Expect a non-negative number, but got " + r);
        if (r == 0) return Creation.zeros(new int[] {0}, t.dtype(), t.device());
        Tensor mask = increasingPositions(t.numel(), r, withReplacement, t.device());
        List<Tensor> columns = new ArrayList<>();
        for (Tensor grid : Movement.meshgrid("ij", Collections.nCopies(r, t))) columns.add(grid.maskedSelect(mask));
        return Joining.stack(columns, 1);
    }

    /** ATen's {@code _triu_mask}: true where the r positions increase (or never decrease, with replacement). */
    private static Tensor increasingPositions(int n, int r, boolean withReplacement, Device device) {
        Tensor range = Tensor.arange(n).to(device);
        List<Tensor> grids = Movement.meshgrid("ij", Collections.nCopies(r, range));
        Tensor mask = Creation.full(grids.get(0).layout().shape(), Scalar.of(true), DType.BOOL, device);
        for (int i = 0; i + 1 < r; i++) mask = mask.mul(withReplacement ? grids.get(i).le(grids.get(i + 1)) : grids.get(i).lt(grids.get(i + 1)));
        return mask;
    }

    private static void checkVector(Tensor t) {
        if (t.dim() != 1) throw new IllegalArgumentException("Expect a 1D vector, but got shape " + Shape.str(t.layout().shape()));
    }

    /**
     * {@code torch.vander(x, N, increasing)}: the powers {@code x^0 .. x^(N-1)} of each element as a row (decreasing
     * unless asked), in x's dtype promoted with int64; ATen fills ones, copies x into the later columns and replaces
     * them by their cumulative product, then flips.
     */
    static Tensor vander(Tensor x, Integer columns, boolean increasing) {
        if (x.dim() != 1) throw new IllegalArgumentException("x must be a one-dimensional tensor.");
        int n = columns == null ? x.size(0) : columns;
        if (n < 0) throw new IllegalArgumentException("N must be non-negative.");
        Tensor result = Creation.zeros(new int[] {x.size(0), n}, DType.promote(x.dtype(), DType.INT64), x.device());
        if (n > 0) {
            result.fill_(1L);
            if (n > 1) {
                result.narrow(1, 1, n - 1).copy_(x.unsqueeze(1));
                result.narrow(1, 1, n - 1).copy_(result.narrow(1, 1, n - 1).cumprod(1));
            }
        }
        return increasing ? result : result.flip(1);
    }

    /** {@code torch.tril_indices(row, col, offset)}: the (row, column) pairs on and below diagonal offset, row by row. */
    static Tensor trilIndices(int row, int col, int offset, DType dtype) { return triangleIndices(row, col, offset, dtype, false); }

    /** {@code torch.triu_indices(row, col, offset)}: the (row, column) pairs on and above diagonal offset, row by row. */
    static Tensor triuIndices(int row, int col, int offset, DType dtype) { return triangleIndices(row, col, offset, dtype, true); }

    private static Tensor triangleIndices(int row, int col, int offset, DType dtype, boolean upper) {
        if (row < 0) throw new IllegalArgumentException("row must be non-negative, got" + row);
        if (col < 0) throw new IllegalArgumentException("col must be non-negative, got" + col);
        if (dtype != DType.INT64 && dtype != DType.INT32)
            throw new UnsupportedOperationException("\"" + (upper ? "triu" : "tril") + "_indices\" not implemented for '" + TypePromotion.typeName(dtype) + "'");
        long[] rows = new long[Math.max(0, row * col)], cols = new long[rows.length];
        int k = 0;
        for (int i = 0; i < row; i++) {
            for (int j = 0; j < col; j++) {
                if (upper ? j - i >= offset : j - i <= offset) {
                    rows[k] = i;
                    cols[k++] = j;
                }
            }
        }
        long[] pairs = new long[2 * k];
        System.arraycopy(rows, 0, pairs, 0, k);
        System.arraycopy(cols, 0, pairs, k, k);
        return Kernels.cast(Creation.adopt(pairs, 2, k), dtype);
    }
}
