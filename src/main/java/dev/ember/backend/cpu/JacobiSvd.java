package dev.ember.backend.cpu;

import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * Singular value decompositions by one-sided Jacobi rotations (Hestenes), in double whatever the dtype: the columns of
 * A (of Aᵀ when A is wide) are rotated in pairs until every pair is orthogonal, then their norms are the singular
 * values and the accumulated rotations the right singular vectors. Slower than LAPACK's divide and conquer (gesdd,
 * which PyTorch calls) but accurate to a few ulps of the largest singular value, and short. Singular values come
 * sorted descending; a singular vector's sign is not PyTorch's (LAPACK's choice is its own), which no well-posed use
 * depends on. Columns of U (or V) for zero singular values, and the extra ones of full_matrices, complete an
 * orthonormal basis by Gram-Schmidt against the unit vectors.
 */
final class JacobiSvd {
    private JacobiSvd() {}

    private static final int MAX_SWEEPS = 80;

    /**
     * Each [m, n] matrix of a (row-major, contiguous, one after another) into s ([.., k], k = min(m, n)) and, when u is
     * not null, u ([.., m, ku]) and vh ([.., kv, n]), row-major and contiguous: ku = kv = k, or m and n for full_matrices.
     */
    static void decompose(Strided a, Strided u, Strided s, Strided vh) {
        HostStorage ha = Elementwise.host(a), hs = Elementwise.host(s);
        int[] shape = a.shape();
        int m = shape[shape.length - 2], n = shape[shape.length - 1], k = Math.min(m, n);
        int count = k == 0 ? batchCount(shape) : a.numel() / (m * n);
        int ku = u == null ? 0 : u.shape()[u.shape().length - 1], kv = vh == null ? 0 : vh.shape()[vh.shape().length - 2];
        for (int b = 0; b < count; b++) {
            double[] x = new double[m * n];
            for (int i = 0; i < m * n; i++) x[i] = ha.getDouble(a.layout().offset() + b * m * n + i);
            // columns of w (length rows) are rotated; tall: w = A (m x n), wide: w = A^T (n x m)
            boolean wide = m < n;
            int rows = wide ? n : m, cols = wide ? m : n;
            double[][] w = new double[cols][rows], v = new double[cols][cols];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    if (wide) w[i][j] = x[i * n + j];
                    else w[j][i] = x[i * n + j];
                }
            for (int j = 0; j < cols; j++) v[j][j] = 1;
            rotate(w, v);
            double[] sigma = new double[cols];
            for (int j = 0; j < cols; j++) sigma[j] = Math.sqrt(dot(w[j], w[j]));
            Integer[] order = new Integer[cols];
            for (int j = 0; j < cols; j++) order[j] = j;
            java.util.Arrays.sort(order, (p, q) -> Double.compare(sigma[q], sigma[p]));
            for (int j = 0; j < k; j++) hs.setDouble(s.layout().offset() + b * k + j, sigma[order[j]]);
            if (u == null) continue;
            // left vectors of w (length rows) and right ones (length cols), sorted
            double[][] left = new double[rows][], right = new double[cols][];
            int known = 0;
            for (int j = 0; j < cols; j++) {
                right[j] = v[order[j]];
                double sj = sigma[order[j]];
                if (sj > 0 && known == j) {
                    left[j] = scaled(w[order[j]], 1 / sj);
                    known++;
                }
            }
            complete(left, known, Math.max(wide ? kv : ku, k));
            // tall: U = left, V = right; wide: U = right, V = left
            double[][] uCols = wide ? right : left, vCols = wide ? left : right;
            HostStorage hu = Elementwise.host(u), hv = Elementwise.host(vh);
            for (int i = 0; i < m; i++)
                for (int j = 0; j < ku; j++) hu.setDouble(u.layout().offset() + (b * m + i) * ku + j, uCols[j][i]);
            for (int i = 0; i < kv; i++)
                for (int j = 0; j < n; j++) hv.setDouble(vh.layout().offset() + (b * kv + i) * n + j, vCols[i][j]);
        }
    }

    private static int batchCount(int[] shape) {
        int c = 1;
        for (int d = 0; d < shape.length - 2; d++) c *= shape[d];
        return c;
    }

    /** Hestenes sweeps over all column pairs until none needs a rotation. */
    private static void rotate(double[][] w, double[][] v) {
        int cols = w.length;
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < cols - 1; p++) {
                for (int q = p + 1; q < cols; q++) {
                    double alpha = dot(w[p], w[p]), beta = dot(w[q], w[q]), gamma = dot(w[p], w[q]);
                    if (gamma == 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
                    rotated = true;
                    double zeta = (beta - alpha) / (2 * gamma);
                    double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                    double c = 1 / Math.sqrt(1 + t * t), sn = c * t;
                    apply(w[p], w[q], c, sn);
                    apply(v[p], v[q], c, sn);
                }
            }
            if (!rotated) return;
        }
    }

    private static void apply(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i], b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    /** Fills vectors[known..want) with unit vectors orthogonal to those before them (Gram-Schmidt, twice for accuracy). */
    private static void complete(double[][] vectors, int known, int want) {
        int len = vectors.length;
        for (int e = 0; known < want && e < len; e++) {
            double[] c = new double[len];
            c[e] = 1;
            for (int pass = 0; pass < 2; pass++)
                for (int j = 0; j < known; j++) {
                    double d = dot(c, vectors[j]);
                    for (int i = 0; i < len; i++) c[i] -= d * vectors[j][i];
                }
            double norm = Math.sqrt(dot(c, c));
            if (norm < 1e-8) continue;
            vectors[known++] = scaled(c, 1 / norm);
        }
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    private static double[] scaled(double[] x, double f) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = x[i] * f;
        return r;
    }
}
