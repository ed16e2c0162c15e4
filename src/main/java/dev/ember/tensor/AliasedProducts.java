package dev.ember.tensor;

import dev.ember.tensor.spi.HostStorage;

/**
 * {@code mm}/{@code mv}/{@code bmm} into an out= tensor that shares memory with an operand ({@code matmul(a, a, out=a)}). PyTorch
 * 1.13 lays the operands out for BLAS as ATen's {@code addmm_impl_cpu_}/{@code addmv_out_cpu} choose, then runs the
 * loops straight over the shared memory: with beta 0 the reference BLAS it links clears each output column before
 * it reads the operands, so later reads see the cleared and the already written elements (all zeros when out is the
 * left operand). Integer products run ATen's own loops, which clear all of out first. This replays those loops on the
 * storage, element by element; an operand ATen copies (neither row- nor column-major) is read from a copy.
 */
final class AliasedProducts {
    private AliasedProducts() {}

    /** Whether {@code out} shares storage with an operand, which only these loops reproduce. */
    static boolean shares(Tensor out, Tensor a, Tensor b) {
        return out.storage() instanceof HostStorage && (out.storage() == a.storage() || out.storage() == b.storage());
    }

    /**
     * Whether the product must be replayed: out shares storage with an operand, or two of its elements share a slot
     * (an expanded out, which mv and bmm's small loop write through, so that the last write to a slot wins; {@code a}
     * is the left operand, whose last dim is contracted).
     */
    static boolean replays(Tensor out, Tensor a, Tensor b) {
        // with nothing to contract ATen only zero-fills out, which any out takes
        return shares(out, a, b) || a.size(-1) != 0 && out.storage() instanceof HostStorage && MemoryOverlap.mayOverlapItself(out);
    }

    /** A column-major matrix over storage: element (i, j) at {@code offset + i + j * ld}, or transposed. */
    private record Matrix(HostStorage s, int offset, int ld, boolean transposed, boolean floating) {
        double get(int i, int j) { return s.getDouble(index(i, j)); }

        long getLong(int i, int j) { return s.getLong(index(i, j)); }

        int index(int i, int j) { return transposed ? offset + j + i * ld : offset + i + j * ld; }
    }

    /** {@code out = m1 @ m2} (2-D, out already of the result's shape and dtype). */
    static void mm(Tensor out, Tensor m1, Tensor m2) {
        int[] rs = out.strides(), rsz = out.layout().shape();
        if (!(rs[0] == 1 && (rsz[1] == 1 || rs[1] >= Math.max(1, rsz[0]))) && !(rs[1] == 1 && (rsz[0] == 1 || rs[0] >= Math.max(1, rsz[1])))) {
            // ATen computes into a column-major copy of out, so the operands are read before anything is written
            out.copy_(m1.mm(m2));
            return;
        }
        boolean transposeC = !(rs[0] == 1 && (rsz[1] == 1 || rs[1] >= Math.max(1, rsz[0])));
        if (transposeC) {
            Tensor t = m1;
            m1 = m2;
            m2 = t;
        }
        int m = rsz[transposeC ? 1 : 0], n = rsz[transposeC ? 0 : 1], k = m1.layout().shape()[transposeC ? 0 : 1];
        Matrix a = operand(m1, transposeC, m, k), b = operand(m2, transposeC, k, n);
        Matrix c = new Matrix((HostStorage) out.storage(), out.storageOffset(), rs[transposeC ? 0 : 1], false, out.isFloatingPoint());
        if (c.floating) blasGemm(a, b, c, m, n, k, out.dtype() == DType.FLOAT32);
        else atenGemm(a, b, c, m, n, k);
    }

    /** {@code m1} as the column-major {@code rows x cols} operand BLAS reads, as addmm_impl_cpu_ casts it. */
    private static Matrix operand(Tensor t, boolean transposeC, int rows, int cols) {
        int[] st = t.strides();
        int inner = st[transposeC ? 1 : 0], outer = st[transposeC ? 0 : 1];
        if (inner == 1 && outer >= Math.max(1, rows)) return new Matrix((HostStorage) t.storage(), t.storageOffset(), outer, false, t.isFloatingPoint());
        if (outer == 1 && inner >= Math.max(1, cols)) return new Matrix((HostStorage) t.storage(), t.storageOffset(), inner, true, t.isFloatingPoint());
        Tensor copy = Kernels.copy(t); // row-major: transposed unless out is
        int ld = copy.strides()[0];
        return new Matrix((HostStorage) copy.storage(), 0, ld, !transposeC, t.isFloatingPoint());
    }

    /** Reference BLAS {@code ?gemm} with alpha 1 and beta 0, accumulating in the element type. */
    private static void blasGemm(Matrix a, Matrix b, Matrix c, int m, int n, int k, boolean single) {
        for (int j = 0; j < n; j++) {
            if (!a.transposed) {
                for (int i = 0; i < m; i++) c.s.setDouble(c.index(i, j), 0);
                for (int l = 0; l < k; l++) {
                    double temp = b.get(l, j);
                    for (int i = 0; i < m; i++) c.s.setDouble(c.index(i, j), round(c.get(i, j) + round(temp * a.get(i, l), single), single));
                }
            } else {
                for (int i = 0; i < m; i++) {
                    double temp = 0;
                    for (int l = 0; l < k; l++) temp = round(temp + round(a.get(i, l) * b.get(l, j), single), single);
                    c.s.setDouble(c.index(i, j), temp);
                }
            }
        }
    }

    /** ATen's gemm_notrans_/transb_ (clear out, then l, j, i) and gemm_transa_/transab_ (a dot per element, i then j). */
    private static void atenGemm(Matrix a, Matrix b, Matrix c, int m, int n, int k) {
        if (!a.transposed) {
            for (int j = 0; j < n; j++) for (int i = 0; i < m; i++) c.s.setLong(c.index(i, j), 0);
            for (int l = 0; l < k; l++)
                for (int j = 0; j < n; j++) {
                    long v = b.getLong(l, j);
                    for (int i = 0; i < m; i++) c.s.setLong(c.index(i, j), c.getLong(i, j) + a.getLong(i, l) * v);
                }
        } else {
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    long dot = 0;
                    for (int l = 0; l < k; l++) dot += a.getLong(i, l) * b.getLong(l, j);
                    c.s.setLong(c.index(i, j), dot);
                }
        }
    }

    /** {@code out = mat @ vec} as addmv_out_cpu runs {@code gemv}, over a column-major ('n') or row-major ('t') matrix. */
    static void mv(Tensor out, Tensor mat, Tensor vec) {
        int[] st = mat.strides(), sz = mat.layout().shape();
        Matrix a;
        int rows, cols;
        if (st[0] == 1 && st[1] >= Math.max(1, sz[0])) {
            a = new Matrix((HostStorage) mat.storage(), mat.storageOffset(), st[1], false, mat.isFloatingPoint());
            rows = sz[0];
            cols = sz[1];
        } else {
            Tensor m = st[1] == 1 && st[0] >= Math.max(1, sz[1]) ? mat : Kernels.copy(mat);
            a = new Matrix((HostStorage) m.storage(), m.storageOffset(), m.strides()[0], true, mat.isFloatingPoint());
            rows = sz[0];
            cols = sz[1];
        }
        HostStorage y = (HostStorage) out.storage(), x = (HostStorage) vec.storage();
        int yOff = out.storageOffset(), yInc = out.strides()[0], xOff = vec.storageOffset(), xInc = vec.strides()[0];
        boolean single = out.dtype() == DType.FLOAT32, floating = out.isFloatingPoint();
        // reference BLAS clears y first; ATen's integer 'n' loop clears each y element just before its first addition,
        // inside the first column's pass, and its 't' loop assigns each dot
        if (floating) for (int i = 0; i < rows; i++) y.setLong(yOff + i * yInc, 0);
        if (!a.transposed) {
            for (int j = 0; j < cols; j++) {
                // both read x[j] once per column (BLAS's TEMP, ATen's z), before the column's writes
                int xj = xOff + j * xInc;
                double temp = floating ? x.getDouble(xj) : 0;
                long z = floating ? 0 : x.getLong(xj);
                for (int i = 0; i < rows; i++) {
                    int yi = yOff + i * yInc;
                    if (floating) {
                        y.setDouble(yi, round(y.getDouble(yi) + round(temp * a.get(i, j), single), single));
                    } else {
                        if (j == 0) y.setLong(yi, 0);
                        y.setLong(yi, y.getLong(yi) + z * a.getLong(i, j));
                    }
                }
            }
        } else {
            for (int i = 0; i < rows; i++) {
                double temp = 0;
                long dot = 0;
                for (int j = 0; j < cols; j++) {
                    int xj = xOff + j * xInc;
                    if (floating) temp = round(temp + round(a.get(i, j) * x.getDouble(xj), single), single);
                    else dot += a.getLong(i, j) * x.getLong(xj);
                }
                if (floating) y.setDouble(yOff + i * yInc, temp);
                else y.setLong(yOff + i * yInc, dot);
            }
        }
    }

    /**
     * ATen 1.13's own loop for small batched products ({@code baddbmm_cpu_kernel}, is_bmm): each out element set to 0
     * and then accumulated in place, batch by batch, row by row, so a later read of a shared element sees the sum so far.
     */
    static void bmm(Tensor out, Tensor a, Tensor b) {
        HostStorage r = (HostStorage) out.storage(), sa = (HostStorage) a.storage(), sb = (HostStorage) b.storage();
        int[] rs = out.strides(), as = a.strides(), bs = b.strides();
        int batches = out.size(0), rows = out.size(1), cols = out.size(2), k = a.size(2);
        boolean single = out.dtype() == DType.FLOAT32, floating = out.isFloatingPoint();
        for (int n = 0; n < batches; n++)
            for (int i = 0; i < rows; i++)
                for (int j = 0; j < cols; j++) {
                    int ri = out.storageOffset() + n * rs[0] + i * rs[1] + j * rs[2];
                    r.setLong(ri, 0);
                    for (int l = 0; l < k; l++) {
                        int ai = a.storageOffset() + n * as[0] + i * as[1] + l * as[2], bi = b.storageOffset() + n * bs[0] + l * bs[1] + j * bs[2];
                        if (floating) r.setDouble(ri, round(r.getDouble(ri) + round(sa.getDouble(ai) * sb.getDouble(bi), single), single));
                        else r.setLong(ri, r.getLong(ri) + sa.getLong(ai) * sb.getLong(bi));
                    }
                }
    }

    private static double round(double v, boolean single) { return single ? (float) v : v; }
}
