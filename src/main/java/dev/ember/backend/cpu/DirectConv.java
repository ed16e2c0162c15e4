package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.Strided;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * A float32 convolution with stride 1 and no dilation computed straight from the image, for layers whose GEMM
 * would be tiny (LeNet's 1→6 and 6→16 channels, 5x5): there the im2col copy, 25 floats written per input float
 * in rows of a few elements, costs more than the arithmetic, and a GEMM of 6 or 16 rows runs far below the
 * BLAS kernel's speed.
 *
 * <p>The trick that keeps the inner loop a contiguous vector FMA: compute the output at full input width, i.e.
 * output pixel {@code p = oh * W + ow} for every {@code ow < W}, not just {@code ow < OW}. Then the input element
 * under kernel tap (c, i, j) is at {@code c*H*W + i*W + j + p}, linear in p, so one vector load serves L output
 * pixels; the columns {@code ow >= OW} are computed and dropped. Four output channels are accumulated at once so
 * each loaded input vector feeds four FMAs.
 */
final class DirectConv {
    private DirectConv() {}

    private static final VectorSpecies<Float> S = FloatVectors.S;
    private static final int L = S.length();
    /** Output channels accumulated together. */
    private static final int BLOCK = 4;

    /**
     * dst[n][o][oh][ow] = bias[o] + sum over c, i, j of w[o][c][i][j] * src[n][c][oh + i][ow + j]; the image is
     * already padded, every operand contiguous, bias null for none. False when not float32 or not contiguous, for
     * the caller's GEMM path.
     */
    static boolean conv(Strided src, Strided weight, Strided bias, Strided dst) {
        if (src.dtype() != DType.FLOAT32 || weight.dtype() != DType.FLOAT32 || dst.dtype() != DType.FLOAT32) return false;
        if (!src.layout().isContiguous() || !weight.layout().isContiguous() || !dst.layout().isContiguous()) return false;
        if (bias != null && (bias.dtype() != DType.FLOAT32 || !bias.layout().isContiguous())) return false;
        int[] xs = src.shape(), ws = weight.shape(), ys = dst.shape();
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = ws[0], kh = ws[2], kw = ws[3], oh = ys[2], ow = ys[3];
        if (ws[1] != c || ys[1] != o || oh != h - kh + 1 || ow != w - kw + 1) throw new IllegalArgumentException("direct conv shapes do not fit");
        if (dst.numel() == 0) return true;
        float[] x = Elementwise.host(src).floats(), y = Elementwise.host(dst).floats();
        int blocks = (o + BLOCK - 1) / BLOCK, taps = c * kh * kw;
        float[] packed = pack(Elementwise.host(weight).floats(), weight.layout().offset(), o, taps);
        float[] b = new float[blocks * BLOCK];
        if (bias != null) System.arraycopy(Elementwise.host(bias).floats(), bias.layout().offset(), b, 0, o);
        int xo = src.layout().offset(), yo = dst.layout().offset(), plane = c * h * w;
        Geometry g = new Geometry(x, xo, c, h, w, packed, b, o, kh, kw, y, yo, oh, ow);
        // The vectors of a sample's last pixels read up to g.reach() floats from its start, past its own planes; in
        // the batch's last samples that can be past the array's end. Those samples run from a copy with room.
        int direct = n;
        while (direct > 0 && (long) xo + (long) (direct - 1) * plane + g.reach() > x.length) direct--;
        int units = direct * blocks;
        long fmasPerUnit = (long) (g.rowLength / L) * taps * BLOCK;
        Parallel.forRange(units, (int) Math.max(1, Parallel.GRAIN / Math.max(1, fmasPerUnit)), (from, to) -> {
            float[] rows = new float[BLOCK * g.rowLength];
            for (int u = from; u < to; u++) g.unit(u / blocks, u % blocks, rows);
        });
        float[] rows = new float[BLOCK * g.rowLength], room = new float[Math.max(plane, g.reach())];
        for (int s = direct; s < n; s++) {
            System.arraycopy(x, xo + s * plane, room, 0, plane);
            Geometry one = new Geometry(room, 0, c, h, w, packed, b, o, kh, kw, y, yo + s * o * oh * ow, oh, ow);
            for (int blk = 0; blk < blocks; blk++) one.unit(0, blk, rows);
        }
        return true;
    }

    /**
     * The weights as [block][tap][BLOCK]: the four channels' weights for one tap side by side, read in order.
     * Channels past o (in the last block) get zero weights; their rows are computed and not stored.
     */
    private static float[] pack(float[] wt, int wo, int o, int taps) {
        int blocks = (o + BLOCK - 1) / BLOCK;
        float[] p = new float[blocks * taps * BLOCK];
        for (int ch = 0; ch < o; ch++)
            for (int t = 0; t < taps; t++) p[((ch / BLOCK) * taps + t) * BLOCK + ch % BLOCK] = wt[wo + ch * taps + t];
        return p;
    }

    /** One convolution's arrays and sizes; {@link #unit} computes one sample's block of output channels. */
    private record Geometry(float[] x, int xo, int c, int h, int w, float[] wp, float[] bias, int o, int kh, int kw,
                            float[] y, int yo, int oh, int ow, int pixels, int rowLength) {
        Geometry(float[] x, int xo, int c, int h, int w, float[] wp, float[] bias, int o, int kh, int kw, float[] y, int yo, int oh, int ow) {
            this(x, xo, c, h, w, wp, bias, o, kh, kw, y, yo, oh, ow, oh * w, (oh * w + 2 * L - 1) / (2 * L) * (2 * L));
        }

        /** Floats read from a sample's start: the last tap of the last lane of its last pixel pair, plus one. */
        int reach() { return (c - 1) * h * w + (kh - 1) * w + (kw - 1) + rowLength; }

        /** Output channels of block b of sample s, at full width into {@code rows}, then their valid columns into y. */
        void unit(int s, int b, float[] rows) {
            int base = xo + s * c * h * w;
            // lanes past the last pixel compute into the rows' padding and are never stored
            for (int p = 0; p < pixels; p += 2 * L) pair(p, base, b, rows);
            int o0 = b * BLOCK;
            for (int k = 0; k < BLOCK && o0 + k < o; k++) {
                int dst = yo + ((s * o) + o0 + k) * oh * ow;
                for (int r = 0; r < oh; r++) System.arraycopy(rows, k * rowLength + r * w, y, dst + r * ow, ow);
            }
        }

        /** Pixels [p, p + 2L) of the block's four channels: two input vectors and four weights per tap, eight FMAs. */
        private void pair(int p, int base, int b, float[] rows) {
            FloatVector a0 = FloatVector.broadcast(S, bias[b * BLOCK]), a1 = FloatVector.broadcast(S, bias[b * BLOCK + 1]);
            FloatVector a2 = FloatVector.broadcast(S, bias[b * BLOCK + 2]), a3 = FloatVector.broadcast(S, bias[b * BLOCK + 3]);
            FloatVector b0 = a0, b1 = a1, b2 = a2, b3 = a3;
            int t = b * c * kh * kw * BLOCK;
            for (int ci = 0; ci < c; ci++) {
                for (int i = 0; i < kh; i++) {
                    int xi = base + (ci * h + i) * w + p;
                    for (int j = 0; j < kw; j++, t += BLOCK) {
                        FloatVector u = FloatVector.fromArray(S, x, xi + j), v = FloatVector.fromArray(S, x, xi + j + L);
                        FloatVector k0 = FloatVector.broadcast(S, wp[t]), k1 = FloatVector.broadcast(S, wp[t + 1]);
                        FloatVector k2 = FloatVector.broadcast(S, wp[t + 2]), k3 = FloatVector.broadcast(S, wp[t + 3]);
                        a0 = u.fma(k0, a0);
                        b0 = v.fma(k0, b0);
                        a1 = u.fma(k1, a1);
                        b1 = v.fma(k1, b1);
                        a2 = u.fma(k2, a2);
                        b2 = v.fma(k2, b2);
                        a3 = u.fma(k3, a3);
                        b3 = v.fma(k3, b3);
                    }
                }
            }
            a0.intoArray(rows, p);
            b0.intoArray(rows, p + L);
            a1.intoArray(rows, rowLength + p);
            b1.intoArray(rows, rowLength + p + L);
            a2.intoArray(rows, 2 * rowLength + p);
            b2.intoArray(rows, 2 * rowLength + p + L);
            a3.intoArray(rows, 3 * rowLength + p);
            b3.intoArray(rows, 3 * rowLength + p + L);
        }
    }
}
