package dev.ember.tensor;

import dev.ember.tensor.spi.HalfFloats;
import dev.ember.tensor.spi.HostStorage;

/**
 * {@code arange}, {@code linspace} and {@code logspace} with the arithmetic of PyTorch 1.13's CPU kernels, so
 * the values agree bit for bit (aten/src/ATen/native/RangeFactories.cpp and cpu/RangeFactoriesKernel.cpp).
 *
 * <p>Those kernels run through {@code cpu_serial_kernel_vec}: blocks of two AVX2 vectors (32 bytes each) are
 * filled by {@code Vectorized::arange(base, step)} = {@code base + k * step} from a rounded {@code base}, and the
 * tail element by element; GCC contracts some {@code a + b * c} into fused multiply-adds. Which ones was
 * measured against torch 1.13 and is reproduced with {@link Math#fma}. Results assume one thread (PyTorch splits
 * ranges above 32768 elements across threads, which moves the block boundaries).
 */
final class Ranges {
    private Ranges() {}

    private static final int VECTOR_BYTES = 32;

    // ------------------------------------------------------------ arange

    static Tensor arange(Scalar start, Scalar end, Scalar step, DType dtype) {
        if (dtype == DType.BOOL) throw new IllegalArgumentException("\"arange_cpu\" not implemented for 'Bool'");
        // the accumulate type: int64 for integers, double for float32/float64, float for float16/bfloat16
        boolean integral = dtype.isIntegral();
        DType acc = integral ? DType.INT64 : dtype.isReducedFloat() ? DType.FLOAT32 : DType.FLOAT64;
        Scalar xstart = start.checkedFor(acc), xend = end.checkedFor(acc), xstep = step.checkedFor(acc);
        long lstart = integral ? asLong(xstart) : 0, lend = integral ? asLong(xend) : 0, lstep = integral ? asLong(xstep) : 0;
        double dstart = accDouble(xstart, acc), dend = accDouble(xend, acc), dstep = accDouble(xstep, acc);
        if (integral ? lstep == 0 : !(dstep > 0 || dstep < 0)) throw new IllegalArgumentException("step must be nonzero");
        if (!integral && !(Double.isFinite(dstart) && Double.isFinite(dend)))
            throw new IllegalArgumentException("unsupported range: " + NumberFormat.cpp(dstart) + " -> " + NumberFormat.cpp(dend));
        boolean consistent = integral ? (lstep > 0 && lend >= lstart) || (lstep < 0 && lend <= lstart)
                : (dstep > 0 && dend >= dstart) || (dstep < 0 && dend <= dstart);
        if (!consistent) throw new IllegalArgumentException("upper bound and larger bound inconsistent with step sign");
        double sizeD = dtype == DType.INT64 ? Math.ceil((double) (lend - lstart) / (double) lstep)
                : Math.ceil((end.toDouble() - start.toDouble()) / step.toDouble());
        if (!(sizeD >= 0 && sizeD <= 0x1p63)) throw new IllegalArgumentException("invalid size, possible overflow?");
        int n = Shape.numel(new int[] {(int) Math.min(sizeD, Integer.MAX_VALUE)});
        HostStorage h = HostStorage.allocate(dtype, n, Backends.cpu());
        if (integral) {
            for (int i = 0; i < n; i++) h.setLong(i, lstart + lstep * i); // wraps like the int64 kernel
        } else if (dtype.isReducedFloat()) {
            float s = (float) dstart, st = (float) dstep;
            fill(h, n, i -> Math.fma(st, (float) i, s), (base, k) -> Math.fma((float) k, st, (float) base));
        } else {
            fill(h, n, i -> Math.fma(dstep, (double) i, dstart), (base, k) -> Math.fma((double) k, dstep, base));
        }
        return new Tensor(h, Layout.contiguous(n));
    }

    private static long asLong(Scalar s) { return s.isFloating() ? HostStorage.toInt64(s.doubleValue()) : s.longValue(); }

    /** The value as the accumulate type holds it (a float for float16/bfloat16). */
    private static double accDouble(Scalar s, DType acc) { return acc == DType.FLOAT32 ? (float) s.toDouble() : s.toDouble(); }

    // ------------------------------------------------------------ linspace

    static Tensor linspace(Scalar start, Scalar end, int steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        if (dtype == DType.BOOL) throw new IllegalArgumentException("\"linspace_cpu\" not implemented for 'Bool'");
        HostStorage h = HostStorage.allocate(dtype, steps, Backends.cpu());
        if (steps == 1) start.checkedFor(dtype).storeInto(h, 0);
        if (steps <= 1) return new Tensor(h, Layout.contiguous(steps));
        int halfway = steps / 2;
        // the kernel's start and end are already of the output type
        HostStorage ends = HostStorage.allocate(dtype, 2, Backends.cpu());
        start.checkedFor(dtype).storeInto(ends, 0);
        end.checkedFor(dtype).storeInto(ends, 1);
        switch (dtype) {
            case FLOAT64 -> {
                double s = ends.getDouble(0), e = ends.getDouble(1), step = (e - s) / (steps - 1);
                fill(h, steps, i -> i < halfway ? Math.fma(step, (double) i, s) : Math.fma(-step, (double) (steps - i - 1), e),
                        (base, k) -> base + k * step);
            }
            case FLOAT32 -> {
                float s = (float) ends.getDouble(0), e = (float) ends.getDouble(1), step = (e - s) / (float) (steps - 1);
                fill(h, steps, i -> i < halfway ? Math.fma(step, (float) i, s) : Math.fma(-step, (float) (steps - i - 1), e),
                        (base, k) -> (float) base + (float) k * step);
            }
            case FLOAT16, BFLOAT16 -> {
                // c10::Half/BFloat16 arithmetic: every operation computes in float and rounds back
                Half r = dtype == DType.FLOAT16 ? Ranges::roundHalf : Ranges::roundBf16;
                float s = (float) ends.getDouble(0), e = (float) ends.getDouble(1);
                float step = r.round(r.round(e - s) / r.round(steps - 1));
                fill(h, steps, i -> i < halfway ? r.round(s + r.round(step * r.round(i))) : r.round(e - r.round(step * r.round(steps - i - 1))),
                        (base, k) -> r.round((float) base + r.round(step * r.round(k))));
            }
            default -> {
                // integers: the step is a double; storing converts each element back to the integer type
                long s = ends.getLong(0), e = ends.getLong(1);
                double step = ((double) e - (double) s) / (steps - 1);
                fill(h, steps, i -> i < halfway ? Math.fma(step, (double) i, (double) s) : Math.fma(-step, (double) (steps - i - 1), (double) e),
                        (base, k) -> base + k * step);
            }
        }
        return new Tensor(h, Layout.contiguous(steps));
    }

    @FunctionalInterface
    private interface Half { float round(float v); }

    private static float roundHalf(float v) { return Float.float16ToFloat(Float.floatToFloat16(v)); }

    private static float roundBf16(float v) { return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v)); }

    // ------------------------------------------------------------ logspace

    /**
     * {@code base ** linspace(start, end)}, element by element with the same halfway split and no fused
     * multiply-add; float16 has no CPU kernel. {@link Math#pow} stands in for glibc's {@code pow}: they agree on
     * almost every input and differ by at most one ulp (which only float64 results can show).
     */
    static Tensor logspace(Scalar start, Scalar end, int steps, double base, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("number of steps must be non-negative");
        HostStorage h = HostStorage.allocate(dtype, steps, Backends.cpu());
        // one or no step is a fill, which every dtype has; the kernel below is what bool and float16 lack
        if (steps == 1) Scalar.of(Math.pow(base, start.toDouble())).checkedFor(dtype).storeInto(h, 0);
        if (steps <= 1) return new Tensor(h, Layout.contiguous(steps));
        if (dtype == DType.BOOL || dtype == DType.FLOAT16)
            throw new IllegalArgumentException("\"logspace_cpu\" not implemented for '" + TypePromotion.typeName(dtype) + "'");
        HostStorage ends = HostStorage.allocate(dtype, 2, Backends.cpu());
        start.checkedFor(dtype).storeInto(ends, 0);
        end.checkedFor(dtype).storeInto(ends, 1);
        double s, e, diff;
        if (dtype.isFloatingPoint()) {
            s = ends.getDouble(0);
            e = ends.getDouble(1);
            // end - start is computed in the output type before widening to double
            HostStorage d = HostStorage.allocate(dtype, 1, Backends.cpu());
            d.setDouble(0, dtype == DType.FLOAT64 ? e - s : (float) e - (float) s);
            diff = d.getDouble(0);
        } else {
            long ls = ends.getLong(0), le = ends.getLong(1);
            s = ls;
            e = le;
            diff = (double) (le - ls);
        }
        double step = diff / (steps - 1);
        int halfway = steps / 2;
        for (int i = 0; i < steps; i++) {
            double v = Math.pow(base, i < halfway ? s + step * i : e - step * (steps - i - 1));
            // this kernel's double -> uint8_t compiles to a 32-bit conversion (a cast kernel's to a 64-bit one):
            // 2^31.5 gives 0 here, not the low byte of 3037000499
            if (dtype == DType.UINT8) h.setLong(i, HostStorage.toInt32(v));
            else h.setDouble(i, v);
        }
        return new Tensor(h, Layout.contiguous(steps));
    }

    // ------------------------------------------------------------ the vectorised loop

    @FunctionalInterface
    private interface ScalarOp { double at(int index); }

    @FunctionalInterface
    private interface VectorLane { double at(double base, int lane); }

    /**
     * {@code vectorized_loop}: full blocks of two vectors, each vector from {@code base = scalar(i)} converted to
     * the output type and lanes {@code lane(base, k)}; the tail from {@code scalar(i)}. The callbacks return
     * values before the conversion to the output type, which storing performs.
     */
    private static void fill(HostStorage h, int n, ScalarOp scalar, VectorLane lane) {
        int width = VECTOR_BYTES / h.dtype().itemSize();
        HostStorage one = HostStorage.allocate(h.dtype(), 1, Backends.cpu());
        boolean integral = !h.dtype().isFloatingPoint();
        int i = 0;
        for (; i <= n - 2 * width; i += 2 * width) {
            for (int v = i; v < i + 2 * width; v += width) {
                one.setDouble(0, scalar.at(v));
                if (integral) h.setLong(v, one.getLong(0));
                else h.setDouble(v, one.getDouble(0));
                double base = one.getDouble(0); // an int64 base widens to double in base + k * step, as in C++
                for (int k = 1; k < width; k++) h.setDouble(v + k, lane.at(base, k));
            }
        }
        for (; i < n; i++) h.setDouble(i, scalar.at(i));
    }
}
