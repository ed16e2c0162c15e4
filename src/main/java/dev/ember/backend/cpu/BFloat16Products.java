package dev.ember.backend.cpu;

import dev.ember.tensor.Layout;
import dev.ember.tensor.Shape;
import dev.ember.tensor.spi.HalfFloats;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.ProductKernel;
import dev.ember.tensor.spi.Strided;

/**
 * bfloat16 matrix products, {@code dst = beta * dst + alpha * (a @ b)}, rounded where PyTorch 1.13's CPU kernels round,
 * which depends on the CPU as PyTorch's do. With AVX-512 (BW, VL and DQ) ATen hands a product of more than 16^3
 * multiply-adds (counted over all batches: b*m*k*n, m*k for mv, k for dot) to MKL-DNN, which sums in float and rounds
 * the result once ({@link CpuGemm#oneDnnBfloat16()}). Smaller products, and every product without AVX-512, run ATen's
 * fallback kernels, which keep a bfloat16 running sum, rounding each product and each partial sum, except cpublas's
 * gemm_transa_, which takes float dot products. The kernels differ in where alpha and beta enter and whether they are
 * rounded to bfloat16 first, which is why the caller names the kernel.
 */
final class BFloat16Products {
    private BFloat16Products() {}

    /** MKL-DNN's size test in ATen (use_mkldnn_bf16_matmul's checksize): more multiply-adds than this. */
    private static final long ONEDNN_MIN = 16 * 16 * 16;

    static void matmul(Strided a, Strided b, Strided dst, int m, int n, int k, double beta, double alpha, ProductKernel kernel) {
        HostStorage ha = Elementwise.host(a), hb = Elementwise.host(b), hd = Elementwise.host(dst);
        Layout la = a.layout(), lb = b.layout(), lc = dst.layout();
        int nd = lc.dim(), nb = nd - 2;
        int[] bs = java.util.Arrays.copyOf(lc.shape(), nb);
        int acs = la.strides()[nd - 1], brs = lb.strides()[nd - 2], bcs = lb.strides()[nd - 1];
        int ccs = lc.strides()[nd - 1];
        boolean oneDnn = CpuGemm.oneDnnBfloat16() && (long) Shape.numel(bs) * m * k * n > ONEDNN_MIN;
        Dot dot = oneDnn ? oneDnn((float) beta, (float) alpha) : switch (kernel) {
            case GEMM -> gemm(la, lb, lc, m, n, k, (float) beta, (float) alpha);
            case BATCH_LOOP -> batchLoop(bf16((float) beta), bf16((float) alpha));
            case GEMV -> gemv(la, m, k, bf16((float) beta), bf16((float) alpha));
        };
        Parallel.forRange(Shape.numel(bs) * m, Math.max(1, Parallel.GRAIN / Math.max(1, n * k)), (from, to) -> {
            float[] x = new float[k], y = new float[k];
            for (int row = from; row < to; row++) {
                int[] at = Matmul.rowStart(row, m, bs, la, lb, lc);
                int arow = at[0], bo = at[1], crow = at[2];
                for (int p = 0; p < k; p++) x[p] = (float) ha.getDouble(arow + p * acs);
                for (int j = 0; j < n; j++) {
                    int bcol = bo + j * bcs;
                    for (int p = 0; p < k; p++) y[p] = (float) hb.getDouble(bcol + p * brs);
                    float c = beta == 0 ? 0 : (float) hd.getDouble(crow + j * ccs);
                    hd.setDouble(crow + j * ccs, dot.apply(x, y, k, c));
                }
            }
        });
    }

    /** One result element from a row of a, a column of b and the element's old value (0 when beta is 0). */
    private interface Dot {
        float apply(float[] x, float[] y, int k, float c);
    }

    /**
     * cpublas gemm with float alpha and beta. Its kernel follows from addmm_impl_cpu_'s layout choice: a row-major
     * result is computed transposed (the operands swap), each operand is read transposed or not by its strides, and
     * one that is neither is copied and read as the result is. gemm_transa_ takes a float dot product and scales it
     * with the old value in float; the others scale the old value first ({@code c *= beta}, beta rounded by the
     * bfloat16 product) and add each product, the right factor taken times alpha in float, rounded.
     */
    private static Dot gemm(Layout la, Layout lb, Layout lc, int m, int n, int k, float beta, float alpha) {
        int nd = lc.dim();
        int[] cs = {lc.strides()[nd - 2], lc.strides()[nd - 1]};
        boolean transC = !(cs[0] == 1 && (n == 1 || cs[1] >= Math.max(1, m))) && cs[1] == 1 && (m == 1 || cs[0] >= Math.max(1, n));
        Layout m1 = transC ? lb : la, m2 = transC ? la : lb;
        boolean transA = readTransposed(m1, transC, transC ? n : m, k), transB = readTransposed(m2, transC, k, transC ? m : n);
        if (transA && !transB) return (x, y, kk, c) -> {
            float s = 0;
            for (int p = 0; p < kk; p++) s += x[p] * y[p];
            return beta == 0 ? alpha * s : beta * c + alpha * s;
        };
        float scale = bf16(beta);
        return (x, y, kk, c) -> {
            float s = beta == 1 ? c : bf16(c * scale);
            for (int p = 0; p < kk; p++) s = bf16(s + bf16(x[p] * (y[p] * alpha)));
            return s;
        };
    }

    /** MKL-DNN's bfloat16 matmul: a float dot product, scaled and added to the old value in float, rounded once. */
    private static Dot oneDnn(float beta, float alpha) {
        return (x, y, k, c) -> {
            float s = 0;
            for (int p = 0; p < k; p++) s += x[p] * y[p];
            return beta == 0 ? alpha * s : beta * c + alpha * s;
        };
    }

    /** addmm_impl_cpu_'s test of one operand in the result's (possibly swapped) frame, {@code lead} its leading size. */
    private static boolean readTransposed(Layout l, boolean transC, int lead, int inner) {
        int nd = l.dim();
        int s0 = l.strides()[nd - (transC ? 1 : 2)], s1 = l.strides()[nd - (transC ? 2 : 1)];
        if (s0 == 1 && s1 >= Math.max(1, lead)) return false;
        if (s1 == 1 && s0 >= Math.max(1, inner)) return true;
        return !transC;
    }

    /** baddbmm_cpu_kernel in bfloat16 throughout: {@code r *= beta; r += alpha * a * b} per term (bmm: alpha 1, from 0). */
    private static Dot batchLoop(float beta, float alpha) {
        return (x, y, k, c) -> {
            float s = bf16(c * beta);
            for (int p = 0; p < k; p++) s = bf16(s + bf16(bf16(alpha * x[p]) * y[p]));
            return s;
        };
    }

    /**
     * gemv with bfloat16 alpha and beta. A column-major matrix runs its 'n' loop (the old value scaled, then
     * alpha * x[p] rounded times each column added); any other its 't' loop (a bfloat16 dot from 0, then
     * {@code beta * y + alpha * dot}, every step rounded). dot is the 't' loop with alpha 1 and beta 0.
     */
    private static Dot gemv(Layout mat, int m, int k, float beta, float alpha) {
        int nd = mat.dim();
        boolean columnMajor = mat.strides()[nd - 2] == 1 && (k == 1 || mat.strides()[nd - 1] >= Math.max(1, m));
        if (columnMajor) return (x, y, kk, c) -> {
            float s = beta == 0 || beta == 1 ? c : bf16(c * beta);
            for (int p = 0; p < kk; p++) s = bf16(s + bf16(x[p] * bf16(alpha * y[p])));
            return s;
        };
        return (x, y, kk, c) -> {
            float s = 0;
            for (int p = 0; p < kk; p++) s = bf16(s + bf16(y[p] * x[p]));
            return beta == 0 ? bf16(alpha * s) : bf16(bf16(beta * c) + bf16(alpha * s));
        };
    }

    private static float bf16(float v) { return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v)); }
}
