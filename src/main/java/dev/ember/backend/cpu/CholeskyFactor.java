package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * Cholesky factorisation A = L Lᵀ as LAPACK's unblocked potf2 with uplo 'L' does it: column by column, the diagonal
 * from what is left of A's diagonal after the columns before it, the column below it divided by that root. Only the
 * lower triangle is read. The first diagonal that is not positive (or NaN) stops the matrix and is reported by its
 * 1-based order, as potrf's info; float32 rounds every stored intermediate to float.
 */
final class CholeskyFactor {
    private CholeskyFactor() {}

    /** Each [n, n] matrix of a (row-major, contiguous) becomes its L in place, zeros above the diagonal. */
    static void factor(Strided a, Strided info) {
        HostStorage s = Elementwise.host(a), inf = Elementwise.host(info);
        int[] shape = a.shape();
        int n = shape[shape.length - 1], count = n == 0 ? 0 : a.numel() / (n * n);
        boolean single = s.dtype() == DType.FLOAT32;
        double[] m = new double[n * n];
        for (int b = 0; b < count; b++) {
            int base = a.layout().offset() + b * n * n;
            for (int i = 0; i < n * n; i++) m[i] = s.getDouble(base + i);
            int failed = 0;
            for (int j = 0; j < n && failed == 0; j++) {
                double d = m[j * n + j];
                for (int k = 0; k < j; k++) d = round(d - round(m[j * n + k] * m[j * n + k], single), single);
                if (!(d > 0)) {
                    failed = j + 1;
                    break;
                }
                d = round(Math.sqrt(d), single);
                m[j * n + j] = d;
                for (int i = j + 1; i < n; i++) {
                    double v = m[i * n + j];
                    for (int k = 0; k < j; k++) v = round(v - round(m[i * n + k] * m[j * n + k], single), single);
                    m[i * n + j] = round(v / d, single);
                }
            }
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) m[i * n + j] = 0;
            inf.setLong(info.layout().offset() + b, failed);
            for (int i = 0; i < n * n; i++) s.setDouble(base + i, m[i]);
        }
    }

    private static double round(double v, boolean single) { return single ? (float) v : v; }
}
