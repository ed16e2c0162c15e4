package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * A X = B for triangular A, in the order of LAPACK's trsm (left side, no transpose): each solved entry of a column
 * is divided by its diagonal and then subtracted from the entries still to solve, skipping an entry that is zero.
 * A zero diagonal is not an error: it leaves the infinities and NaNs that the divisions give, as LAPACK does.
 */
final class TriangularSolver {
    private TriangularSolver() {}

    /**
     * Overwrites each [n, k] matrix of b (row-major, contiguous) with X; a holds one [n, n] matrix (row-major,
     * contiguous) per matrix of b, of which only the triangle {@code upper} names is read (its diagonal taken as ones
     * when {@code unitriangular}).
     */
    static void solve(Strided a, Strided b, boolean upper, boolean unitriangular) {
        HostStorage sa = Elementwise.host(a), sb = Elementwise.host(b);
        int[] shape = b.shape();
        int n = shape[shape.length - 2], k = shape[shape.length - 1];
        if (n == 0 || k == 0) return;
        int count = b.numel() / (n * k);
        boolean single = sb.dtype() == DType.FLOAT32;
        double[] m = new double[n * n], x = new double[n * k];
        for (int c = 0; c < count; c++) {
            for (int i = 0; i < n * n; i++) m[i] = sa.getDouble(a.layout().offset() + c * n * n + i);
            int base = b.layout().offset() + c * n * k;
            for (int i = 0; i < n * k; i++) x[i] = sb.getDouble(base + i);
            for (int col = 0; col < k; col++) {
                for (int step = 0; step < n; step++) {
                    int j = upper ? n - 1 - step : step;
                    if (x[j * k + col] == 0) continue;
                    if (!unitriangular) x[j * k + col] = round(x[j * k + col] / m[j * n + j], single);
                    double xj = x[j * k + col];
                    int from = upper ? 0 : j + 1, to = upper ? j : n;
                    for (int i = from; i < to; i++) x[i * k + col] = round(x[i * k + col] - round(xj * m[i * n + j], single), single);
                }
            }
            for (int i = 0; i < n * k; i++) sb.setDouble(base + i, x[i]);
        }
    }

    private static double round(double v, boolean single) { return single ? (float) v : v; }
}
