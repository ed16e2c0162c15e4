package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code interpolate} (nearest, nearest-exact, linear, bilinear, area) and {@code pixel_shuffle}, written as gathers
 * along each spatial dim and weighted sums, so autograd gives the adjoint (the scatter-add PyTorch's upsample
 * backward computes). Source coordinates follow ATen's {@code area_pixel_compute_source_index} and
 * {@code nearest_idx}: a given scale factor is used as is unless {@code recompute_scale_factor} is true.
 */
public final class Resampling {
    private Resampling() {}

    /**
     * {@code F.interpolate(x, size, scale_factor, mode, align_corners, recompute_scale_factor)} over the trailing
     * {@code x.dim() - 2} spatial dims; {@code size} or {@code scaleFactor} (one value or one per dim) is given.
     */
    static Tensor interpolate(Tensor x, int[] size, double[] scaleFactor, String mode, Boolean alignCorners, Boolean recomputeScaleFactor) {
        int spatial = x.dim() - 2;
        if (spatial < 1 || spatial > 2)
            throw new UnsupportedOperationException("Ember: interpolate supports 3-D and 4-D inputs (got " + x.dim() + "-D); " + mode + " over " + spatial
                    + " spatial dims is not implemented yet");
        boolean linear = mode.equals("linear") || mode.equals("bilinear");
        if (!linear && alignCorners != null)
            throw new IllegalArgumentException("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
        if ((size == null) == (scaleFactor == null)) throw new IllegalArgumentException("only one of size or scale_factor should be defined");
        int[] out = new int[spatial];
        double[] scales = new double[spatial];
        for (int d = 0; d < spatial; d++) {
            int in = x.size(2 + d);
            if (size != null) {
                int s = size.length == 1 ? size[0] : size[d];
                if (size.length != 1 && size.length != spatial)
                    throw new IllegalArgumentException("Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of "
                            + Arrays.toString(Arrays.copyOfRange(x.shape(), 2, x.dim())) + " and output size of " + Arrays.toString(size)
                            + ". Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.");
                out[d] = s;
                scales[d] = (double) in / s;
            } else {
                double f = scaleFactor.length == 1 ? scaleFactor[0] : scaleFactor[d];
                out[d] = (int) Math.floor(in * f);
                scales[d] = Boolean.TRUE.equals(recomputeScaleFactor) ? (double) in / out[d] : 1 / f;
            }
            if (out[d] <= 0) throw new IllegalArgumentException("Input and output sizes should be greater than 0, but got input (" + in + ") and output (" + out[d] + ")");
        }
        return resample(x, out, scales, mode, Boolean.TRUE.equals(alignCorners));
    }

    /**
     * Resamples the spatial dims of {@code x} to {@code out}, where {@code ratios[d]} is the input step per output
     * step (input/output size, or 1/scale_factor); ATen's upsample ops carry exactly these.
     */
    public static Tensor resample(Tensor x, int[] out, double[] ratios, String mode, boolean alignCorners) {
        int spatial = out.length;
        Tensor y = x;
        switch (mode) {
            case "nearest", "nearest-exact" -> {
                for (int d = 0; d < spatial; d++) y = y.indexSelect(2 + d, nearest(x.size(2 + d), out[d], ratios[d], mode.equals("nearest-exact")));
            }
            case "linear", "bilinear" -> {
                if (mode.equals("linear") != (spatial == 1))
                    throw new IllegalArgumentException("Got " + x.dim() + "D input, but " + mode + " mode needs " + (mode.equals("linear") ? 3 : 4) + "D input");
                for (int d = 0; d < spatial; d++) y = linear(y, 2 + d, out[d], ratios[d], alignCorners);
            }
            case "area" -> y = spatial == 1 ? F.adaptiveAvgPool1d(x, out[0]) : F.adaptiveAvgPool2d(x, out);
            default -> throw new UnsupportedOperationException("Ember: interpolate mode '" + mode + "' is not implemented yet");
        }
        return y;
    }

    /**
     * ATen's nearest source index in float arithmetic, as its CPU kernel computes it: floor(o * scale) (nearest) or
     * floor((o + 0.5) * scale) (nearest-exact), clamped to the input.
     */
    private static Tensor nearest(int in, int out, double scale, boolean exact) {
        float s = (float) scale;
        long[] idx = new long[out];
        for (int o = 0; o < out; o++) idx[o] = Math.min((long) Math.floor(exact ? (o + 0.5f) * s : o * s), in - 1);
        return Tensor.tensor(idx);
    }

    /**
     * Linear interpolation along {@code dim}: (1 - l) * x[i0] + l * x[i1], source coordinates computed in the
     * precision ATen's CPU kernel uses (double for float64 input, float otherwise).
     */
    private static Tensor linear(Tensor x, int dim, int out, double scale, boolean alignCorners) {
        int in = x.size(dim);
        if (in == out) return x;
        boolean dbl = x.dtype() == dev.ember.tensor.DType.FLOAT64;
        double ratio = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : scale;
        if (!dbl) ratio = (float) ratio;
        long[] i0 = new long[out], i1 = new long[out];
        double[] lambda = new double[out];
        for (int o = 0; o < out; o++) {
            double src = alignCorners ? ratio * o : dbl ? Math.max(ratio * (o + 0.5) - 0.5, 0) : Math.max((float) ((float) ratio * (o + 0.5f)) - 0.5f, 0f);
            if (!dbl) src = (float) src;
            int lo = Math.min((int) src, in - 1);
            i0[o] = lo;
            i1[o] = lo < in - 1 ? lo + 1 : lo;
            lambda[o] = Math.min(Math.max(src - lo, 0), 1);
            if (!dbl) lambda[o] = (float) lambda[o];
        }
        int[] shape = new int[x.dim()];
        Arrays.fill(shape, 1);
        shape[dim] = out;
        Tensor l = Tensor.tensor(lambda).to(x.dtype()).reshape(shape);
        Tensor a = x.indexSelect(dim, Tensor.tensor(i0)), b = x.indexSelect(dim, Tensor.tensor(i1));
        return a.mul(l.rsub(1.0)).add(b.mul(l));
    }

    /** (N, C*r*r, H, W) -> (N, C, H*r, W*r). */
    static Tensor pixelShuffle(Tensor x, int r) {
        if (x.dim() < 3) throw new IllegalArgumentException("pixel_shuffle expects input to have at least 3 dimensions, but got input with " + x.dim() + " dimension(s)");
        int n = x.dim(), c = x.size(n - 3), h = x.size(n - 2), w = x.size(n - 1);
        if (c % (r * r) != 0)
            throw new IllegalArgumentException("pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)="
                    + c + " is not divisible by " + r * r);
        int[] batch = Arrays.copyOf(x.shape(), n - 3);
        int b = 1;
        for (int s : batch) b *= s;
        Tensor y = x.reshape(b, c / (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3);
        int[] shape = Arrays.copyOf(batch, n);
        shape[n - 3] = c / (r * r);
        shape[n - 2] = h * r;
        shape[n - 1] = w * r;
        return y.reshape(shape);
    }

}
