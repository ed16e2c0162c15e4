package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/**
 * The direct weight gradient against a float64 loop over the definition: output channels in and out of whole
 * blocks of four, an odd number of taps (the last pair is one tap), widths around the vector length, operands at an
 * offset inside larger arrays, an empty batch (a zero gradient); and its refusals.
 */
class DirectWeightGradTest {
    private static final CpuBackend CPU = new CpuBackend();

    @Test
    void matchesTheDefinition() {
        SplittableRandom r = new SplittableRandom(3);
        // n, c, h, w, o, kh, kw
        int[][] shapes = {{1, 1, 5, 5, 1, 5, 5}, {64, 1, 32, 32, 6, 5, 5}, {3, 6, 14, 14, 16, 5, 5}, {1, 3, 9, 40, 7, 3, 2},
                {4, 2, 17, 33, 5, 1, 1}, {2, 5, 6, 6, 9, 3, 3}, {1, 1, 1, 70, 3, 1, 4}, {5, 4, 12, 7, 32, 4, 7}, {0, 2, 6, 6, 3, 3, 3}};
        for (int[] s : shapes) for (int lead : new int[] {0, 5}) check(r, s, lead);
    }

    private static void check(SplittableRandom r, int[] s, int lead) {
        int n = s[0], c = s[1], h = s[2], w = s[3], o = s[4], kh = s[5], kw = s[6], oh = h - kh + 1, ow = w - kw + 1;
        float[] x = random(r, lead + n * c * h * w), gy = random(r, lead + n * o * oh * ow), gw = new float[lead + o * c * kh * kw];
        Arrays.fill(gw, Float.NaN); // every element must be written
        Strided src = strided(x, lead, n, c, h, w), grad = strided(gy, lead, n, o, oh, ow), dst = strided(gw, lead, o, c, kh, kw);
        assertThat(CPU.convWeightGradDirect(src, grad, dst)).isTrue();
        for (int oi = 0; oi < o; oi++)
            for (int ci = 0; ci < c; ci++)
                for (int p = 0; p < kh; p++)
                    for (int q = 0; q < kw; q++) {
                        double want = 0, scale = 0;
                        for (int ni = 0; ni < n; ni++)
                            for (int i = 0; i < oh; i++)
                                for (int j = 0; j < ow; j++) {
                                    double term = (double) gy[lead + ((ni * o + oi) * oh + i) * ow + j] * x[lead + ((ni * c + ci) * h + i + p) * w + j + q];
                                    want += term;
                                    scale += Math.abs(term);
                                }
                        float got = gw[lead + ((oi * c + ci) * kh + p) * kw + q];
                        assertThat((double) got).as("shape %s lead %d at o%d c%d (%d, %d)", Arrays.toString(s), lead, oi, ci, p, q)
                                .isCloseTo(want, offset(1e-6 * scale + 1e-7));
                    }
    }

    @Test
    void refusesWhatItHasNoKernelFor() {
        Strided x64 = new Strided(HostStorage.allocate(DType.FLOAT64, 16, CPU), Layout.contiguous(new int[] {1, 1, 4, 4}));
        Strided g64 = new Strided(HostStorage.allocate(DType.FLOAT64, 9, CPU), Layout.contiguous(new int[] {1, 1, 3, 3}));
        Strided w64 = new Strided(HostStorage.allocate(DType.FLOAT64, 4, CPU), Layout.contiguous(new int[] {1, 1, 2, 2}));
        assertThat(CPU.convWeightGradDirect(x64, g64, w64)).isFalse();
        float[] before = {1, 2, 3, 4};
        Strided w = new Strided(HostStorage.wrap(DType.FLOAT32, before.clone(), CPU), Layout.contiguous(new int[] {1, 1, 2, 2}));
        Strided g = new Strided(HostStorage.allocate(DType.FLOAT32, 9, CPU), Layout.contiguous(new int[] {1, 1, 3, 3}).permute(0, 1, 3, 2));
        Strided x = new Strided(HostStorage.allocate(DType.FLOAT32, 16, CPU), Layout.contiguous(new int[] {1, 1, 4, 4}));
        assertThat(CPU.convWeightGradDirect(x, g, w)).isFalse(); // a transposed gradient: the caller's GEMM path reads any layout
        assertThat(Elementwise.host(w).floats()).containsExactly(before); // and nothing was written
    }

    private static Strided strided(float[] data, int lead, int... shape) {
        return new Strided(HostStorage.wrap(DType.FLOAT32, data, CPU), new Layout(shape, Layout.contiguous(shape).strides(), lead));
    }

    private static float[] random(SplittableRandom r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextDouble() * 2 - 1);
        return a;
    }
}
