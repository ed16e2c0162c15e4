package dev.ember.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * GEMM in pure Java with the Vector API, used when OpenBLAS cannot load (or {@code -Dember.blas=java}).
 *
 * <p>float32 follows BLIS: B is packed into KC×NR column panels and A into MR×KC row panels, so the
 * micro-kernel streams both from L1/L2 while an MR×NR tile of C (12 vectors) stays in registers. The
 * micro-kernel is kept small on purpose: HotSpot never compiles methods over 8000 bytecodes, and a
 * larger tile also spills registers. Work splits once per call across the cores, each taking a band of
 * rows (or columns) with its own packing buffers, so threads never wait for each other mid-product.
 *
 * <p>float64 (gradient checks, rarely hot) uses a simpler register-tiled loop without packing.
 */
final class JavaGemm implements Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6, NR = 2 * L;
    private static final int KC = 256, MC = 16 * MR, NC = 128 * NR;
    /** Products below this many multiply-adds stay on one thread. */
    private static final long PARALLEL_MIN = 1L << 18;

    @Override
    public String name() { return "java"; }

    @Override
    public void sgemm(boolean ta, boolean tb, int m, int n, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                      float[] c, int co, int ldc, boolean parallel) {
        if (n == 1) {
            gemv(ta, tb, m, k, a, ao, lda, b, bo, ldb, c, co, ldc, parallel);
            return;
        }
        if (m == 1) {
            // one row of C is one column of C^T = B^T A^T
            gemv(!tb, !ta, n, k, b, bo, ldb, a, ao, lda, c, co, 1, parallel);
            return;
        }
        boolean split = parallel && Parallel.THREADS > 1 && (long) m * n * k >= PARALLEL_MIN;
        if (!split) {
            blocked(ta, tb, k, a, ao, lda, b, bo, ldb, c, co, ldc, 0, m, 0, n);
        } else if (m >= n) {
            Parallel.forRange(ceilDiv(m, MR), 1, (f, t) -> blocked(ta, tb, k, a, ao, lda, b, bo, ldb, c, co, ldc, f * MR, Math.min(t * MR, m), 0, n));
        } else {
            Parallel.forRange(ceilDiv(n, NR), 1, (f, t) -> blocked(ta, tb, k, a, ao, lda, b, bo, ldb, c, co, ldc, 0, m, f * NR, Math.min(t * NR, n)));
        }
    }

    /** Rows [i0, i1) and columns [j0, j1) of C, on the calling thread. */
    private static void blocked(boolean ta, boolean tb, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                                float[] c, int co, int ldc, int i0, int i1, int j0, int j1) {
        int kcMax = Math.min(KC, k);
        float[] ap = new float[Math.min(MC, roundUp(i1 - i0, MR)) * kcMax];
        float[] bp = new float[Math.min(NC, roundUp(j1 - j0, NR)) * kcMax];
        float[] tile = new float[MR * NR];
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(tb, b, bo, ldb, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(ta, a, ao, lda, ic, mc, pc, kc, ap);
                    macroKernel(kc, mc, nc, ap, bp, c, co + ic * ldc + jc, ldc, pc > 0, tile);
                }
            }
        }
    }

    private static void macroKernel(int kc, int mc, int nc, float[] ap, float[] bp, float[] c, int c0, int ldc, boolean acc, float[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int at = c0 + ir * ldc + jr;
                if (mr == MR && nr == NR) {
                    microKernel(kc, ap, ir * kc, bp, jr * kc, c, at, ldc, acc);
                } else {
                    microKernel(kc, ap, ir * kc, bp, jr * kc, tile, 0, NR, false);
                    for (int r = 0; r < mr; r++)
                        for (int j = 0; j < nr; j++) c[at + r * ldc + j] = acc ? c[at + r * ldc + j] + tile[r * NR + j] : tile[r * NR + j];
                }
            }
        }
    }

    /** C[6 × 2L] (+)= Ap[6 × kc] · Bp[kc × 2L] from packed panels; the 12 accumulators live in registers. */
    private static void microKernel(int kc, float[] ap, int ia, float[] bp, int ib, float[] c, int ic, int ldc, boolean acc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int ja = ia + p * MR, jb = ib + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, bp, jb), b1 = FloatVector.fromArray(S, bp, jb + L);
            FloatVector a0 = FloatVector.broadcast(S, ap[ja]);
            c00 = b0.fma(a0, c00);
            c01 = b1.fma(a0, c01);
            FloatVector a1 = FloatVector.broadcast(S, ap[ja + 1]);
            c10 = b0.fma(a1, c10);
            c11 = b1.fma(a1, c11);
            FloatVector a2 = FloatVector.broadcast(S, ap[ja + 2]);
            c20 = b0.fma(a2, c20);
            c21 = b1.fma(a2, c21);
            FloatVector a3 = FloatVector.broadcast(S, ap[ja + 3]);
            c30 = b0.fma(a3, c30);
            c31 = b1.fma(a3, c31);
            FloatVector a4 = FloatVector.broadcast(S, ap[ja + 4]);
            c40 = b0.fma(a4, c40);
            c41 = b1.fma(a4, c41);
            FloatVector a5 = FloatVector.broadcast(S, ap[ja + 5]);
            c50 = b0.fma(a5, c50);
            c51 = b1.fma(a5, c51);
        }
        store(c00, c01, c, ic, acc);
        store(c10, c11, c, ic + ldc, acc);
        store(c20, c21, c, ic + 2 * ldc, acc);
        store(c30, c31, c, ic + 3 * ldc, acc);
        store(c40, c41, c, ic + 4 * ldc, acc);
        store(c50, c51, c, ic + 5 * ldc, acc);
    }

    private static void store(FloatVector v0, FloatVector v1, float[] c, int at, boolean acc) {
        if (acc) {
            v0 = v0.add(FloatVector.fromArray(S, c, at));
            v1 = v1.add(FloatVector.fromArray(S, c, at + L));
        }
        v0.intoArray(c, at);
        v1.intoArray(c, at + L);
    }

    /** Rows [ic, ic+mc) × columns [pc, pc+kc) of op(A) as MR-row panels, element (p, r) at {@code panel + p*MR + r}; short panels zero-padded. */
    private static void packA(boolean ta, float[] a, int ao, int lda, int ic, int mc, int pc, int kc, float[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir), base = ir * kc;
            for (int r = 0; r < MR; r++) {
                if (r >= mr) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0f;
                } else if (!ta) {
                    int src = ao + (ic + ir + r) * lda + pc;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p];
                } else {
                    int src = ao + pc * lda + ic + ir + r;
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p * lda];
                }
            }
        }
    }

    /** Rows [pc, pc+kc) × columns [jc, jc+nc) of op(B) as NR-column panels, element (p, j) at {@code panel + p*NR + j}. */
    private static void packB(boolean tb, float[] b, int bo, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), base = jr * kc;
            if (!tb) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bo + (pc + p) * ldb + jc + jr, bp, base + p * NR, nr);
                    if (nr < NR) Arrays.fill(bp, base + p * NR + nr, base + (p + 1) * NR, 0f);
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    if (j >= nr) {
                        for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0f;
                        continue;
                    }
                    int src = bo + (jc + jr + j) * ldb + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                }
            }
        }
    }

    /** {@code c[i*ldc] = sum_p A(i,p) x(p)} where x is column 0 of op(B): matrix-vector products and dots. */
    private static void gemv(boolean ta, boolean tb, int m, int k, float[] a, int ao, int lda, float[] b, int bo, int ldb,
                             float[] c, int co, int ldc, boolean parallel) {
        float[] x;
        int xo;
        if (tb || ldb == 1 || k == 1) {
            x = b;
            xo = bo;
        } else {
            x = new float[k];
            xo = 0;
            for (int p = 0; p < k; p++) x[p] = b[bo + p * ldb];
        }
        if (!ta || m == 1) {
            int stride = ta ? 1 : lda;
            if (ta && k > 1) {
                // m == 1 with a transposed A: its single row runs down a column
                float[] row = new float[k];
                for (int p = 0; p < k; p++) row[p] = a[ao + p * lda];
                c[co] = dot(row, 0, x, xo, k);
                return;
            }
            Parallel.Range rows = (f, t) -> {
                for (int i = f; i < t; i++) c[co + i * ldc] = dot(a, ao + i * stride, x, xo, k);
            };
            if (parallel) Parallel.forRange(m, Math.max(1, Parallel.GRAIN / Math.max(k, 1)), rows);
            else rows.run(0, m);
            return;
        }
        // A transposed: C = sum_p x(p) * (column p of A^T), a contiguous run of m
        float[] y = new float[m];
        for (int p = 0; p < k; p++) axpy(x[xo + p], a, ao + p * lda, y, m);
        for (int i = 0; i < m; i++) c[co + i * ldc] = y[i];
    }

    private static float dot(float[] a, int ia, float[] b, int ib, int n) {
        FloatVector s0 = FloatVector.zero(S), s1 = s0;
        int i = 0;
        for (int ub = n - 2 * L + 1; i < ub; i += 2 * L) {
            s0 = FloatVector.fromArray(S, a, ia + i).fma(FloatVector.fromArray(S, b, ib + i), s0);
            s1 = FloatVector.fromArray(S, a, ia + i + L).fma(FloatVector.fromArray(S, b, ib + i + L), s1);
        }
        float s = FloatVectors.addLanes(s0.add(s1));
        for (; i < n; i++) s += a[ia + i] * b[ib + i];
        return s;
    }

    private static void axpy(float alpha, float[] x, int ix, float[] y, int n) {
        FloatVector va = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            FloatVector.fromArray(S, x, ix + i).fma(va, FloatVector.fromArray(S, y, i)).intoArray(y, i);
        for (; i < n; i++) y[i] += alpha * x[ix + i];
    }

    // ------------------------------------------------------------ float64

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final int DL = D.length();

    @Override
    public void dgemm(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                      double[] c, int co, int ldc, boolean parallel) {
        if (tb) {
            // rows of B must be contiguous for the vector loads
            double[] rowMajor = new double[k * n];
            for (int p = 0; p < k; p++) for (int j = 0; j < n; j++) rowMajor[p * n + j] = b[bo + j * ldb + p];
            b = rowMajor;
            bo = 0;
            ldb = n;
        }
        double[] bb = b;
        int bbo = bo, bld = ldb;
        int bands = ceilDiv(m, 4);
        Parallel.Range body = (f, t) -> {
            for (int band = f; band < t; band++) dgemmBand(ta, band * 4, Math.min(band * 4 + 4, m), n, k, a, ao, lda, bb, bbo, bld, c, co, ldc);
        };
        if (parallel && (long) m * n * k >= PARALLEL_MIN) Parallel.forRange(bands, 1, body);
        else body.run(0, bands);
    }

    /** Rows [i0, i1) of C (at most 4): 4 × 2 vectors of accumulators, then scalar edges. */
    private static void dgemmBand(boolean ta, int i0, int i1, int n, int k, double[] a, int ao, int lda, double[] b, int bo, int ldb,
                                  double[] c, int co, int ldc) {
        int rows = i1 - i0;
        int[] aRow = new int[4];
        int aStep = ta ? lda : 1;
        for (int r = 0; r < 4; r++) aRow[r] = ta ? ao + Math.min(i0 + r, i1 - 1) : ao + Math.min(i0 + r, i1 - 1) * lda;
        int j = 0;
        for (; j + 2 * DL <= n; j += 2 * DL) dgemmTile(k, a, aRow, aStep, b, bo + j, ldb, c, co + i0 * ldc + j, ldc, rows);
        for (int r = 0; r < rows; r++) {
            for (int jj = j; jj < n; jj++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[aRow[r] + p * aStep] * b[bo + p * ldb + jj];
                c[co + (i0 + r) * ldc + jj] = s;
            }
        }
    }

    private static void dgemmTile(int k, double[] a, int[] aRow, int aStep, double[] b, int bo, int ldb, double[] c, int ci, int ldc, int rows) {
        DoubleVector c00 = DoubleVector.zero(D), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int r0 = aRow[0], r1 = aRow[1], r2 = aRow[2], r3 = aRow[3];
        for (int p = 0; p < k; p++, r0 += aStep, r1 += aStep, r2 += aStep, r3 += aStep) {
            int at = bo + p * ldb;
            DoubleVector b0 = DoubleVector.fromArray(D, b, at), b1 = DoubleVector.fromArray(D, b, at + DL);
            DoubleVector x0 = DoubleVector.broadcast(D, a[r0]), x1 = DoubleVector.broadcast(D, a[r1]);
            DoubleVector x2 = DoubleVector.broadcast(D, a[r2]), x3 = DoubleVector.broadcast(D, a[r3]);
            c00 = b0.fma(x0, c00);
            c01 = b1.fma(x0, c01);
            c10 = b0.fma(x1, c10);
            c11 = b1.fma(x1, c11);
            c20 = b0.fma(x2, c20);
            c21 = b1.fma(x2, c21);
            c30 = b0.fma(x3, c30);
            c31 = b1.fma(x3, c31);
        }
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + DL);
        if (rows > 1) { c10.intoArray(c, ci + ldc); c11.intoArray(c, ci + ldc + DL); }
        if (rows > 2) { c20.intoArray(c, ci + 2 * ldc); c21.intoArray(c, ci + 2 * ldc + DL); }
        if (rows > 3) { c30.intoArray(c, ci + 3 * ldc); c31.intoArray(c, ci + 3 * ldc + DL); }
    }

    static int ceilDiv(int a, int b) { return (a + b - 1) / b; }

    private static int roundUp(int a, int b) { return ceilDiv(a, b) * b; }
}
