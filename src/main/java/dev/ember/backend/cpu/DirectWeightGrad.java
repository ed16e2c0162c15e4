package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.Strided;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The weight gradient of a stride-1 convolution computed from the image and the output gradient, the partner of
 * {@link DirectConv} for LeNet-sized layers. Through im2col it is a GEMM with as many rows as output channels over
 * a column matrix that copies every input float kh*kw times; for LeNet that copy, and a GEMM of 6 or 16 rows, cost
 * about ten times the arithmetic.
 *
 * <p>DirectConv's trick, turned around: the output gradient is laid out at the input's full width, with zeros in the
 * columns {@code ow >= OW} and past the last pixel, so that for tap (c, i, j) the input under pixel {@code p} is at
 * {@code c*H*W + i*W + j + p}, a contiguous vector, and the zeros cancel the pixels that are not windows. One unit
 * of work is two taps by four output channels: per step two input vectors and four gradient vectors feed eight
 * FMAs into eight accumulators, which become eight weights at the end.
 */
final class DirectWeightGrad {
    private DirectWeightGrad() {}

    private static final VectorSpecies<Float> S = FloatVectors.S;
    private static final int L = S.length();
    /** Output channels per unit. */
    private static final int BLOCK = 4;

    /**
     * dst[o][c][i][j] = sum over n, oh, ow of gradOut[n][o][oh][ow] * src[n][c][oh + i][ow + j], with src already
     * padded. False, having done nothing, when not float32 or not contiguous.
     */
    static boolean weightGrad(Strided src, Strided gradOut, Strided dst) {
        if (src.dtype() != DType.FLOAT32 || gradOut.dtype() != DType.FLOAT32 || dst.dtype() != DType.FLOAT32) return false;
        if (!src.layout().isContiguous() || !gradOut.layout().isContiguous() || !dst.layout().isContiguous()) return false;
        int[] xs = src.shape(), gs = gradOut.shape(), ws = dst.shape();
        int n = xs[0], c = xs[1], h = xs[2], w = xs[3], o = gs[1], oh = gs[2], ow = gs[3], kh = ws[2], kw = ws[3];
        if (gs[0] != n || ws[0] != o || ws[1] != c || oh != h - kh + 1 || ow != w - kw + 1)
            throw new IllegalArgumentException("direct weight gradient shapes do not fit");
        if (dst.numel() == 0) return true;
        float[] out = Elementwise.host(dst).floats();
        int outOffset = dst.layout().offset(), taps = c * kh * kw;
        int row = (oh * w + L - 1) / L * L, blocks = (o + BLOCK - 1) / BLOCK, plane = c * h * w;
        float[] g = wide(Elementwise.host(gradOut).floats(), gradOut.layout().offset(), n, o, oh, ow, w, row, blocks);
        // the vectors of a sample's last pixels read past its planes, up to `reach` floats from its start: if the
        // batch's last sample would read past the array, the whole input runs from a copy with room
        int reach = (c - 1) * h * w + (kh - 1) * w + (kw - 1) + row;
        float[] x = Elementwise.host(src).floats();
        int xo = src.layout().offset();
        if (n > 0 && (long) xo + (long) (n - 1) * plane + reach > x.length) {
            float[] room = new float[(n - 1) * plane + reach];
            System.arraycopy(x, xo, room, 0, n * plane);
            x = room;
            xo = 0;
        }
        int[] tapOffset = new int[taps];
        for (int ci = 0, t = 0; ci < c; ci++)
            for (int i = 0; i < kh; i++)
                for (int j = 0; j < kw; j++) tapOffset[t++] = (ci * h + i) * w + j;
        int pairs = (taps + 1) / 2;
        long fmasPerUnit = (long) n * (row / L) * 2 * BLOCK;
        Sums sums = new Sums(x, xo, plane, tapOffset, g, blocks, row, n, out, outOffset, o, pairs);
        Parallel.forRange(pairs * blocks, (int) Math.max(1, Parallel.GRAIN / Math.max(1, fmasPerUnit)), (from, to) -> {
            float[] lanes = new float[2 * BLOCK * L];
            for (int u = from; u < to; u++) sums.unit(u, lanes);
        });
        return true;
    }

    /** gradOut as [n][blocks*BLOCK][row]: each plane at full input width, zero where there is no window. */
    private static float[] wide(float[] gy, int go, int n, int o, int oh, int ow, int w, int row, int blocks) {
        float[] g = new float[n * blocks * BLOCK * row];
        for (int s = 0; s < n; s++)
            for (int ch = 0; ch < o; ch++)
                for (int r = 0; r < oh; r++)
                    System.arraycopy(gy, go + ((s * o + ch) * oh + r) * ow, g, (s * blocks * BLOCK + ch) * row + r * w, ow);
        return g;
    }

    /** One weight gradient's operands; {@link #unit} computes one pair of taps for one block of output channels. */
    private record Sums(float[] x, int xo, int plane, int[] tapOffset, float[] g, int blocks, int row, int n,
                        float[] out, int outOffset, int o, int pairs) {

        /** Unit u: taps t0 and t1 (the same tap when their count is odd and this is the last pair) of block b. */
        void unit(int u, float[] lanes) {
            int b = u / pairs, taps = tapOffset.length, t0 = 2 * (u % pairs), t1 = Math.min(t0 + 1, taps - 1);
            accumulate(x, xo, plane, tapOffset[t0], tapOffset[t1], g, b * BLOCK * row, blocks * BLOCK * row, row, n, lanes);
            for (int k = 0; k < BLOCK && b * BLOCK + k < o; k++) {
                int q = outOffset + (b * BLOCK + k) * taps;
                out[q + t0] = sum(lanes, 2 * k * L);
                if (t1 != t0) out[q + t1] = sum(lanes, (2 * k + 1) * L);
            }
        }
    }

    /**
     * The eight accumulators of a unit over every sample, left in {@code lanes} as [channel][tap][L]. A small method
     * of its own, with the vectors never leaving it but through intoArray, so that the JIT always compiles the loop
     * with the vectors in registers.
     */
    private static void accumulate(float[] x, int xo, int plane, int d0, int d1, float[] g, int gb, int gStride, int row, int n, float[] lanes) {
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
        for (int s = 0; s < n; s++) {
            int xb = xo + s * plane, gs = gb + s * gStride;
            for (int p = 0; p < row; p += L) {
                FloatVector v0 = FloatVector.fromArray(S, x, xb + d0 + p), v1 = FloatVector.fromArray(S, x, xb + d1 + p);
                FloatVector g0 = FloatVector.fromArray(S, g, gs + p), g1 = FloatVector.fromArray(S, g, gs + row + p);
                FloatVector g2 = FloatVector.fromArray(S, g, gs + 2 * row + p), g3 = FloatVector.fromArray(S, g, gs + 3 * row + p);
                a0 = g0.fma(v0, a0);
                b0 = g0.fma(v1, b0);
                a1 = g1.fma(v0, a1);
                b1 = g1.fma(v1, b1);
                a2 = g2.fma(v0, a2);
                b2 = g2.fma(v1, b2);
                a3 = g3.fma(v0, a3);
                b3 = g3.fma(v1, b3);
            }
        }
        a0.intoArray(lanes, 0);
        b0.intoArray(lanes, L);
        a1.intoArray(lanes, 2 * L);
        b1.intoArray(lanes, 3 * L);
        a2.intoArray(lanes, 4 * L);
        b2.intoArray(lanes, 5 * L);
        a3.intoArray(lanes, 6 * L);
        b3.intoArray(lanes, 7 * L);
    }

    /** The L lanes from {@code from}, added in order. */
    private static float sum(float[] lanes, int from) {
        float s = 0;
        for (int i = 0; i < L; i++) s += lanes[from + i];
        return s;
    }
}
