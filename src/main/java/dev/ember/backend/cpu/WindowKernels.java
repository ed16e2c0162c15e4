package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.WindowAxis;

/**
 * Convolution columns (im2col/col2im) and window pooling over [N, C, H, W] planes, float32 and float64.
 * Work splits over the N*C planes, so every output element is written by one thread (col2im and the
 * pooling transpose accumulate without races). Row loops first find the in-bounds range of each window
 * offset, so the inner loops run without per-element bounds tests and copy contiguous rows whole.
 */
final class WindowKernels {
    private WindowKernels() {}

    private static void checkFloat(DType t, String op) {
        if (t != DType.FLOAT32 && t != DType.FLOAT64)
            throw new UnsupportedOperationException("\"" + op + "\" not implemented for '" + pyTypeName(t) + "'");
    }

    static String pyTypeName(DType t) {
        return switch (t) {
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
            case INT64 -> "Long";
            case INT32 -> "Int";
            case INT16 -> "Short";
            case INT8 -> "Char";
            case UINT8 -> "Byte";
            case BOOL -> "Bool";
            default -> t.pyName();
        };
    }

    /** Planes per parallel chunk so that each chunk does at least ~GRAIN element operations. */
    private static int grain(long workPerPlane) { return (int) Math.max(1, Parallel.GRAIN / Math.max(1, workPerPlane)); }

    /** First output index o with {@code o * s + off >= 0}. */
    private static int lowValid(int off, int s) { return off >= 0 ? 0 : (-off + s - 1) / s; }

    /** One past the last output index o with {@code o * s + off < size}, capped at {@code n}. */
    private static int highValid(int off, int s, int size, int n) {
        if (size - off <= 0) return 0;
        return (int) Math.min(n, ((long) size - off + s - 1) / s);
    }

    // ------------------------------------------------------------ im2col / col2im

    static void im2col(Strided src, WindowAxis rows, WindowAxis cols, Strided dst) { columns(src, rows, cols, dst, false); }

    static void col2im(Strided src, WindowAxis rows, WindowAxis cols, Strided dst) { columns(dst, rows, cols, src, true); }

    /** im2col reads {@code img} into {@code col}; the transpose (col2im) adds {@code col} back into {@code img}. */
    private static void columns(Strided img, WindowAxis rows, WindowAxis cols, Strided col, boolean transpose) {
        checkFloat(img.dtype(), transpose ? "col2im" : "im2col");
        if (rows.adaptive() || cols.adaptive()) throw new IllegalArgumentException("im2col needs sliding windows");
        int[] ish = img.shape();
        int KH = rows.kernel(), KW = cols.kernel(), OH = rows.outputSize(), OW = cols.outputSize();
        Parallel.forRange(ish[0] * ish[1], grain((long) KH * KW * OH * OW), (from, to) -> {
            if (img.dtype() == DType.FLOAT32) columnsFloat(img, rows, cols, col, transpose, from, to);
            else columnsDouble(img, rows, cols, col, transpose, from, to);
        });
    }

    /**
     * The float32 planes [from, to) of {@link #columns}. Per kernel offset (i, j) each output row oh reads (or
     * adds back) one image row; the in-bounds output columns [lo, hi) are found once per j, so the row loop
     * copies without bounds tests and zeroes only real padding.
     */
    private static void columnsFloat(Strided img, WindowAxis rows, WindowAxis cols, Strided col, boolean transpose, int from, int to) {
        float[] im = Elementwise.host(img).floats(), cb = Elementwise.host(col).floats();
        int[] ish = img.shape(), ist = img.layout().strides(), cst = col.layout().strides();
        int C = ish[1], H = ish[2], W = ish[3], KH = rows.kernel(), KW = cols.kernel(), OH = rows.outputSize(), OW = cols.outputSize();
        int io = img.layout().offset(), co = col.layout().offset();
        int sh = rows.stride(), ph = rows.padding(), dh = rows.dilation(), sw = cols.stride(), pw = cols.padding(), dw = cols.dilation();
        int cs4 = cst[4], cs5 = cst[5], is2 = ist[2], step = sw * ist[3];
        for (int p = from; p < to; p++) {
            int n = p / C, c = p % C;
            int ib = io + n * ist[0] + c * ist[1], pb = co + n * cst[0] + c * cst[1];
            for (int i = 0; i < KH; i++) {
                for (int j = 0; j < KW; j++) {
                    int woff = j * dw - pw;
                    int lo = Math.min(OW, lowValid(woff, sw)), hi = Math.max(lo, highValid(woff, sw, W, OW)), len = hi - lo;
                    int rowBase = pb + i * cst[2] + j * cst[3];
                    int srcCol = (lo * sw + woff) * ist[3];
                    for (int oh = 0; oh < OH; oh++) {
                        int h = oh * sh - ph + i * dh;
                        int cp = rowBase + oh * cs4;
                        boolean inside = h >= 0 && h < H;
                        if (transpose) {
                            if (inside && len > 0) addRow(cb, cp + lo * cs5, cs5, im, ib + h * is2 + srcCol, step, len);
                            continue;
                        }
                        if (!inside) {
                            zero(cb, cp, cs5, OW);
                            continue;
                        }
                        if (lo > 0) zero(cb, cp, cs5, lo);
                        if (len > 0) copyRow(im, ib + h * is2 + srcCol, step, cb, cp + lo * cs5, cs5, len);
                        if (hi < OW) zero(cb, cp + hi * cs5, cs5, OW - hi);
                    }
                }
            }
        }
    }

    private static void columnsDouble(Strided img, WindowAxis rows, WindowAxis cols, Strided col, boolean transpose, int from, int to) {
        double[] im = Elementwise.host(img).doubles(), cb = Elementwise.host(col).doubles();
        int[] ish = img.shape(), ist = img.layout().strides(), cst = col.layout().strides();
        int C = ish[1], H = ish[2], W = ish[3], KH = rows.kernel(), KW = cols.kernel(), OH = rows.outputSize(), OW = cols.outputSize();
        int io = img.layout().offset(), co = col.layout().offset();
        for (int p = from; p < to; p++) {
            int n = p / C, c = p % C;
            int ib = io + n * ist[0] + c * ist[1];
            int pb = co + n * cst[0] + c * cst[1];
            for (int i = 0; i < KH; i++) {
                for (int j = 0; j < KW; j++) {
                    int woff = j * cols.dilation() - cols.padding();
                    int lo = Math.min(OW, lowValid(woff, cols.stride())), hi = Math.max(lo, highValid(woff, cols.stride(), W, OW));
                    int rowBase = pb + i * cst[2] + j * cst[3];
                    for (int oh = 0; oh < OH; oh++) {
                        int h = oh * rows.stride() - rows.padding() + i * rows.dilation();
                        int cp = rowBase + oh * cst[4];
                        boolean inside = h >= 0 && h < H;
                        int ip = ib + h * ist[2] + (lo * cols.stride() + woff) * ist[3];
                        if (transpose) {
                            if (inside) addRow(cb, cp + lo * cst[5], cst[5], im, ip, cols.stride() * ist[3], hi - lo);
                            continue;
                        }
                        if (!inside) { zero(cb, cp, cst[5], OW); continue; }
                        zero(cb, cp, cst[5], lo);
                        copyRow(im, ip, cols.stride() * ist[3], cb, cp + lo * cst[5], cst[5], hi - lo);
                        zero(cb, cp + hi * cst[5], cst[5], OW - hi);
                    }
                }
            }
        }
    }

    private static void zero(float[] d, int at, int stride, int n) {
        if (stride == 1) java.util.Arrays.fill(d, at, at + n, 0f);
        else for (int k = 0; k < n; k++) d[at + k * stride] = 0f;
    }

    private static void zero(double[] d, int at, int stride, int n) {
        if (stride == 1) java.util.Arrays.fill(d, at, at + n, 0.0);
        else for (int k = 0; k < n; k++) d[at + k * stride] = 0.0;
    }

    private static void copyRow(float[] s, int sp, int ss, float[] d, int dp, int ds, int n) {
        if (ss == 1 && ds == 1) System.arraycopy(s, sp, d, dp, n);
        else for (int k = 0; k < n; k++) d[dp + k * ds] = s[sp + k * ss];
    }

    private static void copyRow(double[] s, int sp, int ss, double[] d, int dp, int ds, int n) {
        if (ss == 1 && ds == 1) System.arraycopy(s, sp, d, dp, n);
        else for (int k = 0; k < n; k++) d[dp + k * ds] = s[sp + k * ss];
    }

    private static void addRow(float[] s, int sp, int ss, float[] d, int dp, int ds, int n) {
        if (ss == 1 && ds == 1) FloatVectors.accumulate(s, sp, d, dp, n);
        else for (int k = 0; k < n; k++) d[dp + k * ds] += s[sp + k * ss];
    }

    private static void addRow(double[] s, int sp, int ss, double[] d, int dp, int ds, int n) {
        for (int k = 0; k < n; k++) d[dp + k * ds] += s[sp + k * ss];
    }

    // ------------------------------------------------------------ pooling

    /** PyTorch's cpu_max_pool / cpu_adaptive_max_pool loop: the first in-bounds element seeds the index. */
    static void maxPool2d(Strided src, WindowAxis rows, WindowAxis cols, Strided values, Strided indices) {
        checkFloat(src.dtype(), "max_pool2d");
        if (DenseMaxPool.run(src, rows, cols, values, indices)) return;
        int[] sh = src.shape();
        int[][] rw = ranges(rows), cw = ranges(cols);
        Parallel.forRange(sh[0] * sh[1], grain((long) rows.outputSize() * cols.outputSize() * rows.maxSize() * cols.maxSize()), (from, to) -> {
            if (src.dtype() == DType.FLOAT32) maxPoolFloat(src, rows, cols, values, indices, rw, cw, from, to);
            else maxPoolDouble(src, rows, cols, values, indices, rw, cw, from, to);
        });
    }

    private static void maxPoolFloat(Strided src, WindowAxis rows, WindowAxis cols, Strided values, Strided indices, int[][] rw, int[][] cw, int from, int to) {
        float[] a = Elementwise.host(src).floats(), v = Elementwise.host(values).floats();
        long[] ix = Elementwise.host(indices).longs();
        int[] sh = src.shape(), st = src.layout().strides(), vt = values.layout().strides(), xt = indices.layout().strides();
        int C = sh[1], W = sh[3], OH = rows.outputSize(), OW = cols.outputSize();
        int so = src.layout().offset(), vo = values.layout().offset(), xo = indices.layout().offset();
        int dh = rows.step(), dw = cols.step(), sH = st[2], sW = st[3], vH = vt[2], vW = vt[3], xH = xt[2], xW = xt[3];
        int[] h0s = rw[0], h1s = rw[1], w0s = cw[0], w1s = cw[1];
        for (int p = from; p < to; p++) {
            int n = p / C, c = p % C;
            int sb = so + n * st[0] + c * st[1], vb = vo + n * vt[0] + c * vt[1], xb = xo + n * xt[0] + c * xt[1];
            for (int oh = 0; oh < OH; oh++) {
                int h0 = h0s[oh], h1 = h1s[oh];
                for (int ow = 0; ow < OW; ow++) {
                    int w0 = w0s[ow], w1 = w1s[ow];
                    int maxIndex = h0 * W + w0;
                    float maxVal = Float.NEGATIVE_INFINITY;
                    for (int h = h0; h < h1; h += dh) {
                        int rowp = sb + h * sH;
                        for (int w = w0; w < w1; w += dw) {
                            float val = a[rowp + w * sW];
                            if (val > maxVal || val != val) {
                                maxVal = val;
                                maxIndex = h * W + w;
                            }
                        }
                    }
                    v[vb + oh * vH + ow * vW] = maxVal;
                    ix[xb + oh * xH + ow * xW] = maxIndex;
                }
            }
        }
    }

    private static void maxPoolDouble(Strided src, WindowAxis rows, WindowAxis cols, Strided values, Strided indices, int[][] rw, int[][] cw, int from, int to) {
        double[] a = Elementwise.host(src).doubles(), v = Elementwise.host(values).doubles();
        long[] ix = Elementwise.host(indices).longs();
        int[] sh = src.shape(), st = src.layout().strides(), vt = values.layout().strides(), xt = indices.layout().strides();
        int C = sh[1], W = sh[3], OH = rows.outputSize(), OW = cols.outputSize();
        int so = src.layout().offset(), vo = values.layout().offset(), xo = indices.layout().offset();
        int dh = rows.step(), dw = cols.step();
        for (int p = from; p < to; p++) {
            int n = p / C, c = p % C;
            int sb = so + n * st[0] + c * st[1], vb = vo + n * vt[0] + c * vt[1], xb = xo + n * xt[0] + c * xt[1];
            for (int oh = 0; oh < OH; oh++) {
                int h0 = rw[0][oh], h1 = rw[1][oh];
                for (int ow = 0; ow < OW; ow++) {
                    int w0 = cw[0][ow], w1 = cw[1][ow];
                    int maxIndex = h0 * W + w0;
                    double maxVal = Double.NEGATIVE_INFINITY;
                    for (int h = h0; h < h1; h += dh) {
                        int rowp = sb + h * st[2];
                        for (int w = w0; w < w1; w += dw) {
                            double val = a[rowp + w * st[3]];
                            if (val > maxVal || val != val) {
                                maxVal = val;
                                maxIndex = h * W + w;
                            }
                        }
                    }
                    v[vb + oh * vt[2] + ow * vt[3]] = maxVal;
                    ix[xb + oh * xt[2] + ow * xt[3]] = maxIndex;
                }
            }
        }
    }

    /**
     * Per output index: the first in-bounds position and one past the last position a window reads
     * (stepping by the dilation), as PyTorch clips windows: {@code [0][o]} start, {@code [1][o]} end.
     */
    private static int[][] ranges(WindowAxis a) {
        int n = a.outputSize();
        int[][] r = new int[2][n];
        for (int o = 0; o < n; o++) {
            int start = a.start(o), end = Math.min(start + (a.size(o) - 1) * a.step() + 1, a.inputSize());
            while (start < 0) start += a.step();
            r[0][o] = start;
            r[1][o] = Math.max(start, end);
        }
        return r;
    }

    /** Window sums (transpose=false: src is the image, dst the pooled map), or their transpose (adds back). */
    static void sumPool2d(Strided src, WindowAxis rows, WindowAxis cols, Strided dst, boolean transpose) {
        checkFloat(src.dtype(), transpose ? "avg_pool2d_backward" : "avg_pool2d");
        Strided img = transpose ? dst : src, pooled = transpose ? src : dst;
        HostStorage is = Elementwise.host(img), ps = Elementwise.host(pooled);
        int[] sh = img.shape(), it = img.layout().strides(), pt = pooled.layout().strides();
        int C = sh[1], OH = rows.outputSize(), OW = cols.outputSize();
        int io = img.layout().offset(), po = pooled.layout().offset();
        boolean f32 = img.dtype() == DType.FLOAT32;
        int[][] rw = ranges(rows), cw = ranges(cols);
        Parallel.forRange(sh[0] * C, grain((long) OH * OW * rows.maxSize() * cols.maxSize()), (from, to) -> {
            for (int p = from; p < to; p++) {
                int n = p / C, c = p % C;
                int ib = io + n * it[0] + c * it[1], pb = po + n * pt[0] + c * pt[1];
                for (int oh = 0; oh < OH; oh++) {
                    for (int ow = 0; ow < OW; ow++) {
                        int pp = pb + oh * pt[2] + ow * pt[3];
                        if (transpose) {
                            double g = f32 ? ps.floats()[pp] : ps.doubles()[pp];
                            for (int h = rw[0][oh]; h < rw[1][oh]; h += rows.step())
                                for (int w = cw[0][ow]; w < cw[1][ow]; w += cols.step()) {
                                    int q = ib + h * it[2] + w * it[3];
                                    if (f32) is.floats()[q] += (float) g;
                                    else is.doubles()[q] += g;
                                }
                            continue;
                        }
                        double sum = 0;
                        for (int h = rw[0][oh]; h < rw[1][oh]; h += rows.step())
                            for (int w = cw[0][ow]; w < cw[1][ow]; w += cols.step()) {
                                int q = ib + h * it[2] + w * it[3];
                                sum += f32 ? is.floats()[q] : is.doubles()[q];
                            }
                        if (f32) ps.floats()[pp] = (float) sum;
                        else ps.doubles()[pp] = sum;
                    }
                }
            }
        });
    }
}
