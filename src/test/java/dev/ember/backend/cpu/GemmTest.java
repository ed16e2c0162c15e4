package dev.ember.backend.cpu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both GEMMs (OpenBLAS via FFM and the pure-Java one) against a naive float64 reference, over transposes,
 * leading dimensions larger than the matrix, array offsets, edge tiles and sizes that cross every block
 * boundary of the Java kernel (KC, MC, NC) and its parallel split.
 */
class GemmTest {

    static Stream<Gemm> gemms() {
        List<Gemm> all = new ArrayList<>();
        all.add(new JavaGemm());
        CpuGemm.get();
        assertThat(CpuGemm.openBlasUnavailableReason()).as("OpenBLAS must load on the build machine").isNull();
        CpuGemm.use("openblas");
        all.add(CpuGemm.get());
        CpuGemm.use("java");
        return all.stream();
    }

    static final int[][] SIZES = {
        {1, 1, 1}, {1, 7, 5}, {7, 1, 5}, {3, 4, 1}, {6, 32, 8}, {5, 33, 17}, {13, 31, 300}, {97, 65, 257},
        {130, 70, 20}, {2, 9, 700}, {7, 4100, 3}, {200, 150, 130}, {20, 300, 100}};

    @ParameterizedTest
    @MethodSource("gemms")
    void floatMatchesReference(Gemm g) {
        SplittableRandom r = new SplittableRandom(1);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                int lda = (ta ? m : k) + 3, ldb = (tb ? k : n) + 1, ldc = n + 2;
                int ao = 5, bo = 2, co = 7;
                float[] a = rand(r, ao + lda * (ta ? k : m)), b = rand(r, bo + ldb * (tb ? n : k));
                float[] c = new float[co + ldc * m];
                java.util.Arrays.fill(c, Float.NaN); // beta is 0: old contents must not leak in
                g.sgemm(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc, true);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double e = 0, mag = 0;
                        for (int p = 0; p < k; p++) {
                            double x = ta ? a[ao + p * lda + i] : a[ao + i * lda + p], y = tb ? b[bo + j * ldb + p] : b[bo + p * ldb + j];
                            e += x * y;
                            mag += Math.abs(x * y);
                        }
                        float got = c[co + i * ldc + j];
                        assertThat(Math.abs(got - e)).as("%s %s ta=%s tb=%s (%d,%d)", g.name(), java.util.Arrays.toString(s), ta, tb, i, j)
                                .isLessThanOrEqualTo(1e-5 * mag + 1e-6);
                    }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("gemms")
    void doubleMatchesReference(Gemm g) {
        SplittableRandom r = new SplittableRandom(2);
        for (int[] s : SIZES) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int m = s[0], n = s[1], k = s[2];
                int lda = (ta ? m : k) + 1, ldb = (tb ? k : n) + 2, ldc = n + 1;
                double[] a = new double[3 + lda * (ta ? k : m)], b = new double[1 + ldb * (tb ? n : k)];
                for (int i = 0; i < a.length; i++) a[i] = r.nextDouble(-1, 1);
                for (int i = 0; i < b.length; i++) b[i] = r.nextDouble(-1, 1);
                double[] c = new double[4 + ldc * m];
                g.dgemm(ta, tb, m, n, k, a, 3, lda, b, 1, ldb, c, 4, ldc, true);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        double e = 0;
                        for (int p = 0; p < k; p++) e += (ta ? a[3 + p * lda + i] : a[3 + i * lda + p]) * (tb ? b[1 + j * ldb + p] : b[1 + p * ldb + j]);
                        assertThat(c[4 + i * ldc + j]).as("%s %s ta=%s tb=%s", g.name(), java.util.Arrays.toString(s), ta, tb).isCloseTo(e, org.assertj.core.data.Offset.offset(1e-12 * k + 1e-13));
                    }
            }
        }
    }

    @Test
    void openBlasReportsItsCore() {
        CpuGemm.get();
        assertThat(CpuGemm.openBlasCoreName()).isNotBlank();
    }

    private static float[] rand(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }
}
