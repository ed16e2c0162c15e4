package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The direct convolution against a float64 loop over the definition: output channels in and out of whole blocks of
 * four, widths around the vector length, batches whose last vectors reach the array's end, an image at an offset
 * inside a larger array (a batch chunk), with and without bias; and its refusals.
 */
class DirectConvTest {
    private static final CpuBackend CPU = new CpuBackend();

    @Test
    void matchesTheDefinition() {
        SplittableRandom r = new SplittableRandom(7);
        // n, c, h, w, o, kh, kw
        int[][] shapes = {{1, 1, 5, 5, 1, 5, 5}, {2, 1, 32, 32, 6, 5, 5}, {3, 6, 14, 14, 16, 5, 5}, {1, 3, 9, 40, 7, 3, 2},
                {4, 2, 17, 33, 5, 1, 1}, {2, 5, 6, 6, 9, 3, 3}, {1, 1, 1, 70, 3, 1, 4}, {5, 4, 12, 7, 32, 4, 7}};
        for (int[] s : shapes) {
            for (int lead : new int[] {0, 13}) {
                for (boolean withBias : new boolean[] {false, true}) check(r, s, lead, withBias);
            }
        }
    }

    private static void check(SplittableRandom r, int[] s, int lead, boolean withBias) {
        int n = s[0], c = s[1], h = s[2], w = s[3], o = s[4], kh = s[5], kw = s[6], oh = h - kh + 1, ow = w - kw + 1;
        float[] x = random(r, lead + n * c * h * w), wt = random(r, o * c * kh * kw), b = random(r, o);
        Strided src = new Strided(HostStorage.wrap(DType.FLOAT32, x, CPU), new Layout(new int[] {n, c, h, w}, Layout.contiguous(n, c, h, w).strides(), lead));
        Strided weight = new Strided(HostStorage.wrap(DType.FLOAT32, wt, CPU), Layout.contiguous(new int[] {o, c, kh, kw}));
        Strided bias = withBias ? new Strided(HostStorage.wrap(DType.FLOAT32, b, CPU), Layout.contiguous(new int[] {o})) : null;
        float[] y = new float[n * o * oh * ow];
        Strided dst = new Strided(HostStorage.wrap(DType.FLOAT32, y, CPU), Layout.contiguous(new int[] {n, o, oh, ow}));
        assertThat(CPU.convDirect(src, weight, bias, dst)).isTrue();
        for (int ni = 0; ni < n; ni++)
            for (int oi = 0; oi < o; oi++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double want = withBias ? b[oi] : 0, scale = Math.abs(want);
                        for (int ci = 0; ci < c; ci++)
                            for (int p = 0; p < kh; p++)
                                for (int q = 0; q < kw; q++) {
                                    double term = (double) wt[((oi * c + ci) * kh + p) * kw + q] * x[lead + ((ni * c + ci) * h + i + p) * w + j + q];
                                    want += term;
                                    scale += Math.abs(term);
                                }
                        float got = y[((ni * o + oi) * oh + i) * ow + j];
                        assertThat((double) got).as("shape %s lead %d bias %s at n%d o%d (%d, %d)", java.util.Arrays.toString(s), lead, withBias, ni, oi, i, j)
                                .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-6 * scale + 1e-7));
                    }
    }

    @Test
    void refusesWhatItHasNoKernelFor() {
        Strided x64 = new Strided(HostStorage.allocate(DType.FLOAT64, 16, CPU), Layout.contiguous(new int[] {1, 1, 4, 4}));
        Strided w64 = new Strided(HostStorage.allocate(DType.FLOAT64, 4, CPU), Layout.contiguous(new int[] {1, 1, 2, 2}));
        Strided y64 = new Strided(HostStorage.allocate(DType.FLOAT64, 9, CPU), Layout.contiguous(new int[] {1, 1, 3, 3}));
        assertThat(CPU.convDirect(x64, w64, null, y64)).isFalse();
        Strided xt = new Strided(HostStorage.allocate(DType.FLOAT32, 16, CPU), Layout.contiguous(new int[] {1, 1, 4, 4}).permute(0, 1, 3, 2));
        Strided w = new Strided(HostStorage.allocate(DType.FLOAT32, 4, CPU), Layout.contiguous(new int[] {1, 1, 2, 2}));
        Strided y = new Strided(HostStorage.allocate(DType.FLOAT32, 9, CPU), Layout.contiguous(new int[] {1, 1, 3, 3}));
        assertThat(CPU.convDirect(xt, w, null, y)).isFalse(); // a transposed image: the caller's GEMM path reads any layout
        float[] before = Elementwise.host(y).floats().clone();
        assertThat(Elementwise.host(y).floats()).containsExactly(before); // and nothing was written
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }
}
