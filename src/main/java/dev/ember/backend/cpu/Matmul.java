package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Shape;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ProductKernel;
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
 * <p>Integer and float16 products are plain loops (int64 arithmetic wraps like C; float16 accumulates in float32);
 * bfloat16 rounds as PyTorch's kernels do ({@link BFloat16Products}).
 */
final class Matmul {
    private Matmul() {}

    /** Multiply-adds per product below which a batch is split across cores instead of each product. */
    private static final long SMALL = 1L << 18;

    static void matmul(Strided a, Strided b, Strided dst, double beta, double alpha, ProductKernel kernel) {
        int[] ds = dst.shape();
        int nd = ds.length;
        int m = ds[nd - 2], n = ds[nd - 1], k = a.shape()[nd - 1];
        if (dst.numel() == 0) return;
        if (k == 0) {
            Elementwise.fill(dst, 0L);
            return;
        }
        if (dst.dtype() == DType.BFLOAT16) {
            BFloat16Products.matmul(a, b, dst, m, n, k, beta, alpha, kernel);
            return;
        }
        if (beta != 0 || alpha != 1) throw new IllegalArgumentException("only bfloat16 products scale inside the kernel, not " + dst.dtype());
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

    /**
     * Where row {@code row} of the results stacked as [batch * m] rows starts: {that row of a, b's matrix, that row of
     * dst}; {@code bs} are the batch dims.
     */
    static int[] rowStart(int row, int m, int[] bs, Layout la, Layout lb, Layout lc) {
        int bi = row / m, i = row % m, nd = lc.dim();
        int ao = la.offset(), bo = lb.offset(), co = lc.offset();
        for (int d = bs.length - 1, rem = bi; d >= 0; d--) {
            int idx = rem % bs[d];
            rem /= bs[d];
            ao += idx * la.strides()[d];
            bo += idx * lb.strides()[d];
            co += idx * lc.strides()[d];
        }
        return new int[] {ao + i * la.strides()[nd - 2], bo, co + i * lc.strides()[nd - 2]};
    }

    private static void loops(Strided a, Strided b, Strided dst, int m, int n, int k) {
        HostStorage ha = Elementwise.host(a), hb = Elementwise.host(b), hd = Elementwise.host(dst);
        Layout la = a.layout(), lb = b.layout(), lc = dst.layout();
        int nd = lc.dim(), nb = nd - 2;
        int[] bs = java.util.Arrays.copyOf(lc.shape(), nb);
        int batch = Shape.numel(bs);
        int acs = la.strides()[nd - 1], brs = lb.strides()[nd - 2], bcs = lb.strides()[nd - 1];
        int ccs = lc.strides()[nd - 1];
        boolean integral = !dst.dtype().isFloatingPoint();
        Parallel.forRange(batch * m, Math.max(1, Parallel.GRAIN / Math.max(1, n * k)), (from, to) -> {
            for (int row = from; row < to; row++) {
                int[] at = rowStart(row, m, bs, la, lb, lc);
                int arow = at[0], bo = at[1], crow = at[2];
                for (int j = 0; j < n; j++) {
                    int bcol = bo + j * bcs;
                    if (integral) {
                        long s = 0;
                        for (int p = 0; p < k; p++) s += ha.getLong(arow + p * acs) * hb.getLong(bcol + p * brs);
                        hd.setLong(crow + j * ccs, s);
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
