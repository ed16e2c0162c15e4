package dev.ember.tensor;

import dev.ember.autograd.GradMode;

/**
 * Placing values into bins: {@code searchsorted}/{@code bucketize} (binary search in sorted boundaries),
 * {@code bincount} (counts or summed weights per non-negative integer) and {@code histc} (equal-width bins).
 * None is differentiable. Each follows ATen 1.13's CPU kernel where a value sits on an edge or is NaN.
 */
final class Bucketing {
    private Bucketing() {}

    /**
     * {@code torch.searchsorted(boundaries, values, right)}: for each value, the index of the first boundary
     * {@code >= value} ({@code > value} when {@code right}), in its row of an N-d boundaries tensor. A NaN value
     * or boundary compares false, as in ATen's loop, so a NaN value lands past the end.
     */
    static Tensor searchsorted(Tensor boundaries, Tensor values, boolean right, boolean outInt32) {
        if (boundaries.dim() == 0)
            throw new IllegalArgumentException("torch.searchsorted(): boundaries tensor should have positive dimension, but got 0 dimension");
        int[] bs = boundaries.layout().shape(), vs = values.layout().shape();
        boolean rows = boundaries.dim() > 1;
        if (rows && (values.dim() != bs.length || !java.util.Arrays.equals(java.util.Arrays.copyOf(bs, bs.length - 1), java.util.Arrays.copyOf(vs, vs.length - 1))))
            throw new IllegalArgumentException("torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 dimensions of boundaries tensor "
                    + "and input value tensor must match, but we got boundaries tensor " + Shape.str(bs) + " and input value tensor " + Shape.str(vs));
        DType common = TypePromotion.resultType(boundaries, values);
        // no bool kernel, though with no values to look up none is dispatched
        if (common == DType.BOOL && values.numel() > 0) throw new IllegalArgumentException("\"searchsorted_out_cpu\" not implemented for 'Bool'");
        // each side read once, as doubles when floating and as longs otherwise (int64 beyond 2^53 stays exact)
        Tensor cb = Kernels.cast(boundaries, common).contiguous(), cv = Kernels.cast(values, common).contiguous();
        boolean floating = common.isFloatingPoint();
        double[] b = floating ? cb.toDoubleArray() : null, v = floating ? cv.toDoubleArray() : null;
        long[] lb = floating ? null : cb.toLongArray(), lv = floating ? null : cv.toLongArray();
        int count = cv.numel(), len = bs[bs.length - 1], inner = rows ? Math.max(1, vs[vs.length - 1]) : Math.max(1, count);
        long[] out = new long[count];
        for (int i = 0; i < count; i++) {
            int start = rows ? (i / inner) * len : 0, lo = start, hi = start + len;
            while (lo < hi) {
                int mid = lo + ((hi - lo) >> 1);
                boolean after = floating ? (right ? b[mid] > v[i] : b[mid] >= v[i]) : (right ? lb[mid] > lv[i] : lb[mid] >= lv[i]);
                if (!after) lo = mid + 1;
                else hi = mid;
            }
            out[i] = lo - start;
        }
        Tensor r = Creation.adopt(out, vs).to(values.device());
        return outInt32 ? r.to(DType.INT32) : r;
    }

    /** {@code torch.bucketize(input, boundaries, right)}: searchsorted with the arguments the other way round, 1-d boundaries. */
    static Tensor bucketize(Tensor input, Tensor boundaries, boolean right, boolean outInt32) {
        if (boundaries.dim() != 1) throw new IllegalArgumentException("boundaries tensor must be 1 dimension, but got dim(" + boundaries.dim() + ")");
        return searchsorted(boundaries, input, right, outInt32);
    }

    /**
     * {@code torch.bincount(input, weights, minlength)}: how often each value of a 1-d non-negative integer tensor
     * occurs (int64), or the sum of its weights (float32 weights stay float32, any other weights sum in float64).
     */
    static Tensor bincount(Tensor input, Tensor weights, int minlength) {
        if (input.isFloatingPoint() || input.dtype() == DType.BOOL)
            throw new IllegalArgumentException("\"bincount_cpu\" not implemented for '" + TypePromotion.typeName(input.dtype()) + "'");
        if (minlength < 0) throw new IllegalArgumentException("minlength should be >= 0");
        long[] x = input.dim() == 1 ? input.contiguous().toLongArray() : null;
        long max = -1;
        if (x != null) for (long e : x) {
            if (e < 0) { x = null; break; }
            max = Math.max(max, e);
        }
        if (x == null) throw new IllegalArgumentException("bincount only supports 1-d non-negative integral inputs.");
        if (weights != null && (weights.dim() != 1 || weights.size(0) != x.length))
            throw new IllegalArgumentException("weights should be 1-d and have the same length as input");
        if (max + 1 > Integer.MAX_VALUE) throw new IllegalArgumentException("bincount: " + (max + 1) + " bins are more than a tensor holds");
        int n = (int) Math.max(max + 1, minlength);
        if (weights == null || x.length == 0) { // an empty input counts in int64 whatever the weights
            long[] counts = new long[n];
            for (long e : x) counts[(int) e]++;
            return Creation.adopt(counts, n).to(input.device());
        }
        double[] w = weights.contiguous().toDoubleArray();
        if (weights.dtype() == DType.FLOAT32) {
            float[] f = new float[n];
            for (int i = 0; i < x.length; i++) f[(int) x[i]] += (float) w[i]; // float32 weights accumulate in float32
            return Creation.adopt(f, n).to(input.device());
        }
        double[] sums = new double[n];
        for (int i = 0; i < x.length; i++) sums[(int) x[i]] += w[i];
        return Creation.adopt(sums, n).to(input.device());
    }

    /**
     * {@code torch.histc(input, bins, min, max)}: counts in {@code bins} equal-width bins over [min, max] (the data's
     * range when min == max), in the input's dtype. Values outside the range are ignored (NaN counts in bin 0, as in ATen 1.13); the last bin
     * includes its right edge. Like ATen 1.13, a value's bin comes from one division in the input's precision.
     */
    /** 1.13 builds the bin edges with linspace in the input's dtype before its histogram kernel refuses an integer one. */
    private static IllegalArgumentException histcDtype(DType t, double lo, double hi) {
        if (t == DType.BOOL) return new IllegalArgumentException("\"linspace_cpu\" not implemented for 'Bool'");
        if (t == DType.UINT8 && (lo < 0 || hi > 255)) return new IllegalArgumentException("value cannot be converted to type uint8_t without overflow");
        if (t == DType.INT8 && (lo < -128 || hi > 127)) return new IllegalArgumentException("value cannot be converted to type int8_t without overflow");
        return new IllegalArgumentException("\"histogram_cpu\" not implemented for '" + TypePromotion.typeName(t) + "'");
    }

    static Tensor histc(Tensor input, int bins, double min, double max) {
        if (bins <= 0) throw new IllegalArgumentException("torch.histogram(): bins must be > 0, but got " + bins + " for dimension 0");
        double lo = min, hi = max;
        try (var g = GradMode.noGrad()) {
            if (lo == hi && input.numel() > 0) {
                lo = input.min().to(DType.FLOAT64).item();
                hi = input.max().to(DType.FLOAT64).item();
            }
        }
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi))
            throw new IllegalArgumentException("torch.histc: range of [" + NumberFormat.cpp(lo) + ", " + NumberFormat.cpp(hi) + "] is not finite");
        if (!(lo < hi)) throw new IllegalArgumentException("torch.histc: max must be larger than min");
        if (!input.isFloatingPoint()) throw histcDtype(input.dtype(), lo, hi);
        boolean f32 = input.dtype() == DType.FLOAT32;
        DType compute = f32 ? DType.FLOAT32 : DType.FLOAT64;
        // the outer edges in the input's dtype, as linspace(min, max, bins + 1) gives them
        double[] edges = Tensor.fromArray(new double[] {lo, hi}, 2).to(input.dtype()).to(DType.FLOAT64).toDoubleArray();
        double[] x = input.contiguous().toDoubleArray();
        double[] counts = new double[bins];
        double left = edges[0], rightEdge = edges[1];
        for (double e : x) {
            if (e < left || rightEdge < e) continue; // NaN passes, as in ATen
            // one division in the input's precision, no check against the edges (a value a rounding away from an edge
            // may land in the neighbouring bin, as in ATen); NaN converts to bin 0 here as it does on x86 there
            long pos = f32 ? (long) (((float) e - (float) left) * (float) bins / ((float) rightEdge - (float) left))
                    : (long) ((e - left) * bins / (rightEdge - left));
            if (pos == bins) pos--;
            counts[(int) pos]++;
        }
        // ATen counts in the input's dtype, where adding 1 stops changing a count at 2^precision (256 in bfloat16)
        double saturated = Math.scalb(1.0, switch (input.dtype()) {
            case BFLOAT16 -> 8;
            case FLOAT16 -> 11;
            case FLOAT32 -> 24;
            default -> 53;
        });
        for (int i = 0; i < bins; i++) counts[i] = Math.min(counts[i], saturated);
        return Creation.adopt(counts, bins).to(compute).to(input.dtype()).to(input.device());
    }
}
