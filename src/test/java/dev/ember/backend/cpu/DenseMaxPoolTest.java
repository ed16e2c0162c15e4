package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.WindowAxis;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vectorised max pool against the general loop on the same values (the general loop reads a transposed copy,
 * which the fast path declines): values bit for bit and PyTorch's indices, on planes full of ties (ReLU zeros),
 * -inf and NaN, for window shapes with and without overlap and output counts around the vector length.
 */
class DenseMaxPoolTest {
    private static final CpuBackend CPU = new CpuBackend();

    @Test
    void sameValuesAndIndicesAsTheGeneralLoop() {
        SplittableRandom r = new SplittableRandom(3);
        // h, w, kh, kw, sh, sw
        int[][] cases = {{28, 28, 2, 2, 2, 2}, {10, 10, 2, 2, 2, 2}, {13, 9, 3, 3, 2, 2}, {7, 11, 3, 2, 1, 1}, {5, 5, 1, 1, 1, 1},
                {9, 10, 3, 3, 3, 3}, {4, 37, 2, 5, 2, 4}, {1, 1, 1, 1, 1, 1}};
        for (int[] k : cases) {
            int n = 3, c = 5, h = k[0], w = k[1];
            WindowAxis rows = WindowAxis.sliding(h, (h - k[2]) / k[4] + 1, k[2], k[4], 0, 1);
            WindowAxis cols = WindowAxis.sliding(w, (w - k[3]) / k[5] + 1, k[3], k[5], 0, 1);
            float[] x = new float[n * c * h * w];
            for (int i = 0; i < x.length; i++) {
                double u = r.nextDouble();
                x[i] = u < 0.4 ? 0f : u < 0.45 ? Float.NEGATIVE_INFINITY : u < 0.47 ? Float.NaN : u < 0.5 ? -0f : (float) r.nextInt(-3, 4);
            }
            int[] shape = {n, c, h, w}, out = {n, c, rows.outputSize(), cols.outputSize()};
            Strided dense = new Strided(HostStorage.wrap(DType.FLOAT32, x, CPU), Layout.contiguous(shape));
            // the same logical tensor stored with H and W swapped, which only the general loop reads
            float[] t = new float[x.length];
            for (int p = 0; p < n * c; p++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++) t[p * h * w + j * h + i] = x[p * h * w + i * w + j];
            Strided swapped = new Strided(HostStorage.wrap(DType.FLOAT32, t, CPU), new Layout(shape, new int[] {c * h * w, h * w, 1, h}, 0));
            float[] v1 = new float[n * c * out[2] * out[3]], v2 = v1.clone();
            long[] i1 = new long[v1.length], i2 = new long[v1.length];
            assertThat(DenseMaxPool.run(dense, rows, cols, wrap(v1, out), wrap(i1, out))).isTrue();
            if (h > 1 && w > 1) assertThat(DenseMaxPool.run(swapped, rows, cols, wrap(v2, out), wrap(i2, out))).isFalse(); // 1x1 planes are contiguous either way
            CPU.maxPool2d(swapped, rows, cols, wrap(v2, out), wrap(i2, out));
            for (int e = 0; e < v1.length; e++)
                assertThat(Float.floatToRawIntBits(v1[e])).as("value %d of case %s", e, java.util.Arrays.toString(k)).isEqualTo(Float.floatToRawIntBits(v2[e]));
            assertThat(i1).as("indices of case %s", java.util.Arrays.toString(k)).containsExactly(i2);
        }
    }

    @Test
    void declinesPaddingDilationAndCeilOverhang() {
        float[] x = new float[36];
        Strided src = new Strided(HostStorage.wrap(DType.FLOAT32, x, CPU), Layout.contiguous(1, 1, 6, 6));
        Strided v = wrap(new float[16], new int[] {1, 1, 4, 4}), i = wrap(new long[16], new int[] {1, 1, 4, 4});
        WindowAxis plain = WindowAxis.sliding(6, 3, 2, 2, 0, 1);
        assertThat(DenseMaxPool.run(src, WindowAxis.sliding(6, 4, 2, 2, 1, 1), plain, v, i)).isFalse(); // padding
        assertThat(DenseMaxPool.run(src, WindowAxis.sliding(6, 2, 2, 2, 0, 2), plain, v, i)).isFalse(); // dilation
        assertThat(DenseMaxPool.run(src, WindowAxis.sliding(6, 3, 3, 2, 0, 1), plain, v, i)).isFalse(); // ceil mode: last window leaves the image
    }

    private static Strided wrap(Object array, int[] shape) {
        DType t = array instanceof float[] ? DType.FLOAT32 : DType.INT64;
        return new Strided(HostStorage.wrap(t, array, CPU), Layout.contiguous(shape));
    }
}
