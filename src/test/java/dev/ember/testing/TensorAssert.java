package dev.ember.testing;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/** {@code torch.testing.assert_close}-style checks that name the worst element when they fail. */
public final class TensorAssert {
    private TensorAssert() {}

    /** Default tolerances by dtype: float32 rtol 1e-5 / atol 1e-6 (the bound), exact for integers. */
    public static double[] defaultTolerance(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> new double[] {1e-5, 1e-6};
            case FLOAT64 -> new double[] {1e-7, 1e-9};
            case FLOAT16, BFLOAT16 -> new double[] {1e-2, 1e-3};
            default -> new double[] {0, 0};
        };
    }

    public static void assertClose(Tensor actual, Tensor expected) {
        double[] tol = defaultTolerance(expected.dtype());
        assertClose(actual, expected, tol[0], tol[1], "");
    }

    /**
     * Same dtype, same shape, and |a - e| <= atol + rtol * |e| everywhere (NaN matches NaN, infinities must be
     * equal). On failure the message names the worst element, its index and both values.
     */
    public static void assertClose(Tensor actual, Tensor expected, double rtol, double atol, String context) {
        String where = context.isEmpty() ? "" : context + ": ";
        if (actual == null) throw new AssertionError(where + "got null, expected " + expected.dtype() + Arrays.toString(expected.shape()));
        if (actual.dtype() != expected.dtype())
            throw new AssertionError(where + "dtype " + actual.dtype() + " but PyTorch gives " + expected.dtype());
        if (!Arrays.equals(actual.shape(), expected.shape()))
            throw new AssertionError(where + "shape " + Arrays.toString(actual.shape()) + " but PyTorch gives " + Arrays.toString(expected.shape()));
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        if (!expected.dtype().isFloatingPoint()) {
            long[] al = actual.toLongArray(), el = expected.toLongArray();
            for (int i = 0; i < al.length; i++)
                if (al[i] != el[i])
                    throw new AssertionError(where + "element " + index(i, expected.shape()) + " is " + al[i] + " but PyTorch gives " + el[i]);
            return;
        }
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) continue;
            if (Double.isInfinite(e[i]) && a[i] == e[i]) continue;
            double diff = Math.abs(a[i] - e[i]);
            double excess = diff - (atol + rtol * Math.abs(e[i]));
            if (Double.isNaN(diff) || excess > 0) {
                if (worst < 0 || Double.isNaN(diff) || excess > worstExcess) {
                    worst = i;
                    worstExcess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : excess;
                }
            }
        }
        if (worst >= 0) {
            int bad = 0;
            for (int i = 0; i < a.length; i++) {
                double diff = Math.abs(a[i] - e[i]);
                if (!(Double.isNaN(e[i]) && Double.isNaN(a[i])) && !(a[i] == e[i]) && (Double.isNaN(diff) || diff > atol + rtol * Math.abs(e[i]))) bad++;
            }
            throw new AssertionError(String.format("%s%d of %d elements differ beyond rtol=%g atol=%g; worst at %s: %s vs PyTorch %s (abs diff %g)",
                    where, bad, a.length, rtol, atol, index(worst, expected.shape()), a[worst], e[worst], Math.abs(a[worst] - e[worst])));
        }
    }

    /**
     * Where PyTorch gives a NaN, the same sign bit (PyTorch prints it: {@code nan} or {@code -nan}); assertClose
     * lets any NaN match any NaN. Widening to double keeps a float NaN's sign.
     */
    public static void assertNanSigns(Tensor actual, Tensor expected, String context) {
        if (!expected.dtype().isFloatingPoint() || actual.dtype() != expected.dtype()) return;
        double[] a = actual.toDoubleArray(), e = expected.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!Double.isNaN(e[i]) || !Double.isNaN(a[i])) continue;
            boolean ne = Double.doubleToRawLongBits(e[i]) < 0, na = Double.doubleToRawLongBits(a[i]) < 0;
            if (ne != na)
                throw new AssertionError((context.isEmpty() ? "" : context + ": ") + "element " + index(i, expected.shape()) + " is " + (na ? "-nan" : "nan")
                        + " but PyTorch gives " + (ne ? "-nan" : "nan"));
        }
    }

    static String index(int flat, int[] shape) {
        int[] idx = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? 0 : flat / shape[d];
        }
        return Arrays.toString(idx);
    }
}
