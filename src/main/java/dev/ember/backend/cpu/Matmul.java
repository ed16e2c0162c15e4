package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Shape;
import dev.ember.tensor.spi.HalfFloats;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;

/**
 * The backend's batched matrix product: {@code a [..., M, K] x b [..., K, N] -> dst [..., M, N]}.
 *
 * <p>float32/float64 go to the selected {@link Gemm}. Each matrix's strides become a BLAS transpose flag and
 * leading dimension, so row-major, column-major (transposed views), sliced and stride-0 batch operands are
 * read in place; only a matrix that is neither row- nor column-major is copied. A column-major output is
 * computed as {@code C^T = B^T A^T}. Batches whose right operand is broadcast fold into one tall product.
 * Small products in a batch run side by side on the cores; large ones let the GEMM use them.
 *
 * <p>Integer, float16 and bfloat16 products are plain loops (int64 arithmetic wraps like C); bfloat16 sums the
 * way ATen 1.13's fallback BLAS does ({@link #roundsEachStep}).
 */
final class Matmul {
    private Matmul() {}

    /** Multiply-adds per product below which a batch is split across cores instead of each product. */
    private static final long SMALL = 1L << 18;

    static void matmul(Strided a, Strided b, Strided dst) {
        int[] ds = dst.shape();
        int nd = ds.length;
        int m = ds[nd - 2], n = ds[nd - 1], k = a.shape()[nd - 1];
        if (dst.numel() == 0) return;
        if (k == 0) {
            Elementwise.fill(dst, 0L);
            return;
        }
        switch (dst.dtype()) {
            case FLOAT32, FLOAT64 -> blas(a, b, dst, m, n, k);
            default -> loops(a, b, dst, m, n, k);
        }
    }

    /** How a GEMM reads one stored matrix: transposed or not, and its leading dimension. */
    record MatView(boolean trans, int ld) {
        /** Null when the matrix is neither row- nor column-major (overlapping or doubly strided rows). */
        static MatView of(int rows, int cols, int rs, int cs) {
            if ((cols <= 1 || cs == 1) && (rows <= 1 || rs >= Math.max(1, cols))) return new MatView(false, rows <= 1 ? Math.max(1, cols) : rs);
            if ((rows <= 1 || rs == 1) && (cols <= 1 || cs >= Math.max(1, rows))) return new MatView(true, cols <= 1 ? Math.max(1, rows) : cs);
            return null;
        }

        static MatView of(Layout l) {
            int d = l.dim();
            return of(l.shape()[d - 2], l.shape()[d - 1], l.strides()[d - 2], l.strides()[d - 1]);
        }
    }

    private static void blas(Strided a, Strided b, Strided dst, int m, int n, int k) {
        if (MatView.of(a.layout()) == null) a = densify(a);
        if (MatView.of(b.layout()) == null) b = densify(b);
        Strided c = dst;
        if (MatView.of(c.layout()) == null) c = new Strided(HostStorage.allocate(dst.dtype(), dst.numel(), Elementwise.host(dst).backend()), Layout.contiguous(dst.shape()));

        Layout la = a.layout(), lb = b.layout(), lc = c.layout();
        int nb = lc.dim() - 2;
        int batch = 1;
        for (int d = 0; d < nb; d++) batch *= lc.shape()[d];
        if (batch > 1 && broadcastBatch(lb, nb)) {
            // every product shares B: stack the A matrices into one tall [batch*M, K] product when the strides allow
            Layout fa = la.view(new int[] {batch * m, k}), fc = lc.view(new int[] {batch * m, n});
            if (fa != null && fc != null && MatView.of(fa) != null && MatView.of(fc) != null) {
                la = fa;
                lc = fc;
                lb = new Layout(new int[] {k, n}, new int[] {lb.strides()[nb], lb.strides()[nb + 1]}, lb.offset());
                m = batch * m;
                nb = 0;
                batch = 1;
            }
        }
        MatView va = MatView.of(la), vb = MatView.of(lb), vc = MatView.of(lc);
        Gemm g = CpuGemm.get();
        Object aa = Elementwise.host(a).array(), ba = Elementwise.host(b).array(), ca = Elementwise.host(c).array();
        boolean f32 = dst.dtype() == DType.FLOAT32;
        boolean small = batch > 1 && (long) m * n * k < SMALL;
        int[] bs = java.util.Arrays.copyOf(lc.shape(), nb);
        Layout fla = la, flb = lb, flc = lc;
        int fm = m, fnb = nb;
        Parallel.Range body = (from, to) -> {
            for (int bi = from; bi < to; bi++) {
                int ao = fla.offset(), bo = flb.offset(), co = flc.offset();
                for (int d = fnb - 1, rem = bi; d >= 0; d--) {
                    int idx = rem % bs[d];
                    rem /= bs[d];
                    ao += idx * fla.strides()[d];
                    bo += idx * flb.strides()[d];
                    co += idx * flc.strides()[d];
                }
                gemm(g, f32, va, vb, vc, fm, n, k, aa, ao, ba, bo, ca, co, !small);
            }
        };
        if (small) Parallel.forRange(batch, (int) Math.max(1, SMALL / Math.max(1L, (long) m * n * k)), body);
        else body.run(0, batch);
        if (c != dst) Elementwise.copy(c, dst);
    }

    /** One product, with C^T = B^T A^T when C is stored column-major. */
    private static void gemm(Gemm g, boolean f32, MatView va, MatView vb, MatView vc, int m, int n, int k,
                             Object a, int ao, Object b, int bo, Object c, int co, boolean parallel) {
        if (!vc.trans()) {
            if (f32) g.sgemm(va.trans(), vb.trans(), m, n, k, (float[]) a, ao, va.ld(), (float[]) b, bo, vb.ld(), (float[]) c, co, vc.ld(), parallel);
            else g.dgemm(va.trans(), vb.trans(), m, n, k, (double[]) a, ao, va.ld(), (double[]) b, bo, vb.ld(), (double[]) c, co, vc.ld(), parallel);
        } else {
            if (f32) g.sgemm(!vb.trans(), !va.trans(), n, m, k, (float[]) b, bo, vb.ld(), (float[]) a, ao, va.ld(), (float[]) c, co, vc.ld(), parallel);
            else g.dgemm(!vb.trans(), !va.trans(), n, m, k, (double[]) b, bo, vb.ld(), (double[]) a, ao, va.ld(), (double[]) c, co, vc.ld(), parallel);
        }
    }

    private static boolean broadcastBatch(Layout l, int nb) {
        for (int d = 0; d < nb; d++) if (l.strides()[d] != 0 && l.shape()[d] != 1) return false;
        return true;
    }

    /**
     * A row-major copy of an operand whose matrices BLAS cannot read. Broadcast (stride-0) batch dims stay
     * broadcast, so an expanded operand is not copied once per batch.
     */
    static Strided densify(Strided s) {
        int[] shape = s.shape(), st = s.layout().strides();
        int[] compact = shape.clone();
        for (int d = 0; d < shape.length - 2; d++) if (st[d] == 0) compact[d] = 1;
        HostStorage h = HostStorage.allocate(s.dtype(), Shape.numel(compact), Elementwise.host(s).backend());
        Layout dense = Layout.contiguous(compact);
        Elementwise.copy(new Strided(s.storage(), new Layout(compact, st, s.layout().offset())), new Strided(h, dense));
        return new Strided(h, dense.expand(shape));
    }

    // ------------------------------------------------------------ integer and half types

    /** Multiply-adds below which ATen's bmm runs its own loop rather than addmm's BLAS, batch by batch. */
    private static final int BMM_LOOP = 400;

    /**
     * Whether ATen 1.13 rounds a bfloat16 product's running sum to bfloat16 after each multiply-add (the product itself
     * rounded first) instead of summing in float. Without AVX-512 it takes no MKL-DNN path: bmm's own loop for small
     * batches, gemv (mv), dot, and cpublas's gemm_notrans_, gemm_transb_ and gemm_transab_ keep a bfloat16 sum; only
     * gemm_transa_ takes float dot products. Which gemm kernel runs follows from addmm_impl_cpu_'s layout choice:
     * a row-major result is computed transposed (the operands swap), each operand is read transposed or not by its
     * strides, and one neither way is copied and read as the result is.
     */
    private static boolean roundsEachStep(Layout la, Layout lb, Layout lc, int m, int n, int k) {
        if (lc.dim() > 2 && (long) m * n * k < BMM_LOOP) return true;
        int nd = lc.dim();
        int[] cs = {lc.strides()[nd - 2], lc.strides()[nd - 1]};
        boolean transC = !(cs[0] == 1 && (n == 1 || cs[1] >= Math.max(1, m))) && cs[1] == 1 && (m == 1 || cs[0] >= Math.max(1, n));
        Layout m1 = transC ? lb : la, m2 = transC ? la : lb;
        int rows = transC ? n : m, cols = transC ? m : n;
        boolean transA = readTransposed(m1, transC, rows, k), transB = readTransposed(m2, transC, k, cols);
        return !(transA && !transB);
    }

    /** addmm_impl_cpu_'s test of one operand, in the result's (possibly swapped) frame: {@code lead} is its leading size. */
    private static boolean readTransposed(Layout l, boolean transC, int lead, int inner) {
        int nd = l.dim();
        int s0 = l.strides()[nd - (transC ? 1 : 2)], s1 = l.strides()[nd - (transC ? 2 : 1)];
        if (s0 == 1 && s1 >= Math.max(1, lead)) return false;
        if (s1 == 1 && s0 >= Math.max(1, inner)) return true;
        return !transC;
    }

    private static float bf16(float v) { return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v)); }

    private static void loops(Strided a, Strided b, Strided dst, int m, int n, int k) {
        HostStorage ha = Elementwise.host(a), hb = Elementwise.host(b), hd = Elementwise.host(dst);
        Layout la = a.layout(), lb = b.layout(), lc = dst.layout();
        int nd = lc.dim(), nb = nd - 2;
        int[] bs = java.util.Arrays.copyOf(lc.shape(), nb);
        int batch = Shape.numel(bs);
        int ars = la.strides()[nd - 2], acs = la.strides()[nd - 1], brs = lb.strides()[nd - 2], bcs = lb.strides()[nd - 1];
        int crs = lc.strides()[nd - 2], ccs = lc.strides()[nd - 1];
        boolean integral = !dst.dtype().isFloatingPoint();
        boolean stepRounded = dst.dtype() == DType.BFLOAT16 && roundsEachStep(la, lb, lc, m, n, k);
        Parallel.forRange(batch * m, Math.max(1, Parallel.GRAIN / Math.max(1, n * k)), (from, to) -> {
            for (int row = from; row < to; row++) {
                int bi = row / m, i = row % m;
                int ao = la.offset(), bo = lb.offset(), co = lc.offset();
                for (int d = nb - 1, rem = bi; d >= 0; d--) {
                    int idx = rem % bs[d];
                    rem /= bs[d];
                    ao += idx * la.strides()[d];
                    bo += idx * lb.strides()[d];
                    co += idx * lc.strides()[d];
                }
                int arow = ao + i * ars, crow = co + i * crs;
                for (int j = 0; j < n; j++) {
                    int bcol = bo + j * bcs;
                    if (integral) {
                        long s = 0;
                        for (int p = 0; p < k; p++) s += ha.getLong(arow + p * acs) * hb.getLong(bcol + p * brs);
                        hd.setLong(crow + j * ccs, s);
                    } else if (stepRounded) {
                        float s = 0;
                        for (int p = 0; p < k; p++) s = bf16(s + bf16((float) ha.getDouble(arow + p * acs) * (float) hb.getDouble(bcol + p * brs)));
                        hd.setDouble(crow + j * ccs, s);
                    } else {
                        float s = 0;
                        for (int p = 0; p < k; p++) s += (float) ha.getDouble(arow + p * acs) * (float) hb.getDouble(bcol + p * brs);
                        hd.setDouble(crow + j * ccs, s);
                    }
                }
            }
        });
    }
}
