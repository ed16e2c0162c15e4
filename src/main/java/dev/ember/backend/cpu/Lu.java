package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * LU factorisation with partial pivoting and the solves with its factors, as LAPACK's unblocked getf2 and getrs
 * do them: the pivot is the first element of largest magnitude in the column, the column below it is scaled by the
 * pivot's reciprocal, and a zero pivot is reported (the first one) rather than stopped at. Matrices come row-major
 * and contiguous, one after another; float32 rounds every stored intermediate to float, as sgetrf's arithmetic does.
 */
final class Lu {
    private Lu() {}

    /** Factors each [n, n] matrix of a in place (L below the unit diagonal, U on and above it). */
    static void factor(Strided a, Strided pivots, Strided info) {
        HostStorage s = Elementwise.host(a), p = Elementwise.host(pivots), inf = Elementwise.host(info);
        int[] shape = a.shape();
        int n = shape[shape.length - 1], count = n == 0 ? 0 : a.numel() / (n * n);
        boolean single = s.dtype() == DType.FLOAT32;
        double[] m = new double[n * n];
        for (int b = 0; b < count; b++) {
            int base = a.layout().offset() + b * n * n;
            for (int i = 0; i < n * n; i++) m[i] = s.getDouble(base + i);
            int firstZero = 0;
            for (int j = 0; j < n; j++) {
                int piv = j;
                for (int i = j + 1; i < n; i++) if (Math.abs(m[i * n + j]) > Math.abs(m[piv * n + j])) piv = i;
                p.setLong(pivots.layout().offset() + b * n + j, piv + 1);
                if (m[piv * n + j] != 0) {
                    if (piv != j) swapRows(m, n, j, piv, 0, n);
                    double r = round(1 / m[j * n + j], single);
                    for (int i = j + 1; i < n; i++) m[i * n + j] = round(m[i * n + j] * r, single);
                } else if (firstZero == 0) firstZero = j + 1;
                for (int i = j + 1; i < n; i++) {
                    double l = m[i * n + j];
                    if (l == 0) continue;
                    for (int k = j + 1; k < n; k++) m[i * n + k] = round(m[i * n + k] - round(l * m[j * n + k], single), single);
                }
            }
            inf.setLong(info.layout().offset() + b, firstZero);
            for (int i = 0; i < n * n; i++) s.setDouble(base + i, m[i]);
        }
    }

    /**
     * Overwrites each [n, k] matrix of b with the solution of A X = B, or of Aᵀ X = B when {@code transposed}, A
     * given by its factors; lu's batch holds one matrix per matrix of b. The loops are reference getrs/trsm's, column
     * by column: the non-transposed solves skip an unknown that is exactly 0 (so 0 · inf never arises there and a
     * singular U still leaves zeros), the transposed ones are dot products that do not; slogdet's gradient at a
     * singular matrix is these infinities and NaNs.
     */
    static void solve(Strided lu, Strided pivots, Strided b, boolean transposed) {
        HostStorage f = Elementwise.host(lu), p = Elementwise.host(pivots), s = Elementwise.host(b);
        int[] shape = b.shape();
        int n = shape[shape.length - 2], k = shape[shape.length - 1];
        if (n == 0 || k == 0) return;
        int count = b.numel() / (n * k);
        boolean single = s.dtype() == DType.FLOAT32;
        double[] a = new double[n * n], x = new double[n];
        int[] piv = new int[n];
        for (int c = 0; c < count; c++) {
            for (int i = 0; i < n * n; i++) a[i] = f.getDouble(lu.layout().offset() + c * n * n + i);
            for (int i = 0; i < n; i++) piv[i] = (int) p.getLong(pivots.layout().offset() + c * n + i) - 1;
            int base = b.layout().offset() + c * n * k;
            for (int col = 0; col < k; col++) {
                for (int i = 0; i < n; i++) x[i] = s.getDouble(base + i * k + col);
                if (transposed) solveTransposed(a, piv, x, n, single);
                else solve(a, piv, x, n, single);
                for (int i = 0; i < n; i++) s.setDouble(base + i * k + col, x[i]);
            }
        }
    }

    /** P L U x = b: the row swaps, then L (unit diagonal) forwards and U backwards, each known unknown eliminated from the rest. */
    private static void solve(double[] a, int[] piv, double[] x, int n, boolean single) {
        for (int i = 0; i < n; i++) swap(x, i, piv[i]);
        for (int j = 0; j < n; j++) {
            if (x[j] == 0) continue;
            for (int i = j + 1; i < n; i++) x[i] = round(x[i] - round(x[j] * a[i * n + j], single), single);
        }
        for (int j = n - 1; j >= 0; j--) {
            if (x[j] == 0) continue;
            x[j] = round(x[j] / a[j * n + j], single);
            for (int i = 0; i < j; i++) x[i] = round(x[i] - round(x[j] * a[i * n + j], single), single);
        }
    }

    /** (P L U)ᵀ x = b: Uᵀ forwards and Lᵀ backwards, each unknown from a dot product with the ones before, then the swaps undone. */
    private static void solveTransposed(double[] a, int[] piv, double[] x, int n, boolean single) {
        for (int i = 0; i < n; i++) {
            double t = x[i];
            for (int j = 0; j < i; j++) t = round(t - round(a[j * n + i] * x[j], single), single);
            x[i] = round(t / a[i * n + i], single);
        }
        for (int i = n - 1; i >= 0; i--) {
            double t = x[i];
            for (int j = i + 1; j < n; j++) t = round(t - round(a[j * n + i] * x[j], single), single);
            x[i] = t;
        }
        for (int i = n - 1; i >= 0; i--) swap(x, i, piv[i]);
    }

    private static void swap(double[] x, int i, int j) {
        double t = x[i];
        x[i] = x[j];
        x[j] = t;
    }

    private static void swapRows(double[] m, int cols, int i, int j, int from, int to) {
        for (int c = from; c < to; c++) {
            double t = m[i * cols + c];
            m[i * cols + c] = m[j * cols + c];
            m[j * cols + c] = t;
        }
    }

    private static double round(double v, boolean single) { return single ? (float) v : v; }
}
