package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * QR by Householder reflections in LAPACK's conventions (geqr2, larfg, org2r): reflection i maps column i's part
 * from row i down onto beta e₁ with beta = -sign(alpha)·‖x‖, so R's diagonal is negative where the column's leading
 * entry was positive; a column with nothing below its diagonal gets no reflection (tau 0) and keeps its sign. The
 * reflection's vector has an implicit 1 on the diagonal and is stored below it; float32 rounds every stored
 * intermediate to float.
 */
final class Householder {
    private Householder() {}

    /** Each [m, n] matrix of a (row-major, contiguous) becomes R above its diagonal and the vectors below; tau gets [.., min(m, n)]. */
    static void factor(Strided a, Strided tau) {
        HostStorage s = Elementwise.host(a), t = Elementwise.host(tau);
        int[] shape = a.shape();
        int m = shape[shape.length - 2], n = shape[shape.length - 1], k = Math.min(m, n);
        if (m == 0 || n == 0) return;
        int count = a.numel() / (m * n);
        boolean single = s.dtype() == DType.FLOAT32;
        double[] x = new double[m * n];
        for (int b = 0; b < count; b++) {
            int base = a.layout().offset() + b * m * n;
            for (int i = 0; i < m * n; i++) x[i] = s.getDouble(base + i);
            for (int i = 0; i < k; i++) {
                double ti = reflect(x, m, n, i, single);
                t.setDouble(tau.layout().offset() + b * k + i, ti);
                if (ti != 0) applyLeft(x, x, m, n, n, i, i + 1, n, ti, single);
            }
            for (int i = 0; i < m * n; i++) s.setDouble(base + i, x[i]);
        }
    }

    /**
     * Q's first q columns ([.., m, q], row-major, contiguous) from factor's output a ([.., m, n]) and tau: the product
     * of the reflections applied to the identity's columns, the last reflection first.
     */
    static void product(Strided a, Strided tau, Strided q) {
        HostStorage s = Elementwise.host(a), t = Elementwise.host(tau), out = Elementwise.host(q);
        int[] shape = a.shape(), qs = q.shape();
        int m = shape[shape.length - 2], n = shape[shape.length - 1], k = Math.min(m, n), cols = qs[qs.length - 1];
        if (m == 0 || cols == 0) return;
        int count = q.numel() / (m * cols);
        boolean single = out.dtype() == DType.FLOAT32;
        double[] v = new double[m * n], x = new double[m * cols];
        for (int b = 0; b < count; b++) {
            for (int i = 0; i < m * n; i++) v[i] = s.getDouble(a.layout().offset() + b * m * n + i);
            java.util.Arrays.fill(x, 0);
            for (int i = 0; i < Math.min(m, cols); i++) x[i * cols + i] = 1;
            for (int i = k - 1; i >= 0; i--) {
                double ti = t.getDouble(tau.layout().offset() + b * k + i);
                if (ti != 0) applyLeft(v, x, m, n, cols, i, i, cols, ti, single);
            }
            int base = q.layout().offset() + b * m * cols;
            for (int i = 0; i < m * cols; i++) out.setDouble(base + i, x[i]);
        }
    }

    /** larfg on column i from row i down: overwrites it with beta and the scaled vector; returns tau. */
    private static double reflect(double[] x, int m, int n, int i, boolean single) {
        double alpha = x[i * n + i], norm = 0;
        for (int r = i + 1; r < m; r++) norm = Math.hypot(norm, x[r * n + i]);
        norm = round(norm, single);
        if (norm == 0) return 0;
        double beta = round(-Math.copySign(round(Math.hypot(alpha, norm), single), alpha), single);
        double tau = round((beta - alpha) / beta, single);
        double scale = round(1 / round(alpha - beta, single), single);
        for (int r = i + 1; r < m; r++) x[r * n + i] = round(x[r * n + i] * scale, single);
        x[i * n + i] = beta;
        return tau;
    }

    /**
     * (I - tau v vᵀ) applied to rows i.. of columns from..to of target (width cols), v being column i of vectors
     * (width n) from row i, with its implicit leading 1.
     */
    private static void applyLeft(double[] vectors, double[] target, int m, int n, int cols, int i, int from, int to, double tau, boolean single) {
        for (int j = from; j < to; j++) {
            double w = target[i * cols + j];
            for (int r = i + 1; r < m; r++) w = round(w + round(vectors[r * n + i] * target[r * cols + j], single), single);
            double f = round(tau * w, single);
            target[i * cols + j] = round(target[i * cols + j] - f, single);
            for (int r = i + 1; r < m; r++) target[r * cols + j] = round(target[r * cols + j] - round(vectors[r * n + i] * f, single), single);
        }
    }

    private static double round(double v, boolean single) { return single ? (float) v : v; }
}
