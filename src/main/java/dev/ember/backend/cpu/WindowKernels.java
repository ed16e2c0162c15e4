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
        HostStorage is = Elementwise.host(img), cs = Elementwise.host(col);
        int[] ish = img.shape(), ist = img.layout().strides(), cst = col.layout().strides();
        int C = ish[1], H = ish[2], W = ish[3], KH = rows.kernel(), KW = cols.kernel(), OH = rows.outputSize(), OW = cols.outputSize();
        int planes = ish[0] * C;
        boolean f32 = img.dtype() == DType.FLOAT32;
        int io = img.layout().offset(), co = col.layout().offset();
        Parallel.forRange(planes, grain((long) KH * KW * OH * OW), (from, to) -> {
            for (int p = from; p < to; p++) {
                int n = p / C, c = p % C;
                int ib = io + n * ist[0] + c * ist[1];
                int cb = co + n * cst[0] + c * cst[1];
                for (int i = 0; i < KH; i++) {
                    for (int j = 0; j < KW; j++) {
                        int woff = j * cols.dilation() - cols.padding();
                        int lo = Math.min(OW, lowValid(woff, cols.stride())), hi = Math.max(lo, highValid(woff, cols.stride(), W, OW));
                        int rowBase = cb + i * cst[2] + j * cst[3];
                        for (int oh = 0; oh < OH; oh++) {
                            int h = oh * rows.stride() - rows.padding() + i * rows.dilation();
                            int cp = rowBase + oh * cst[4];
                            boolean inside = h >= 0 && h < H;
                            if (transpose) {
                                if (!inside) continue;
                                int ip = ib + h * ist[2] + (lo * cols.stride() + woff) * ist[3];
                                if (f32) addRow(cs.floats(), cp + lo * cst[5], cst[5], is.floats(), ip, cols.stride() * ist[3], hi - lo);
                                else addRow(cs.doubles(), cp + lo * cst[5], cst[5], is.doubles(), ip, cols.stride() * ist[3], hi - lo);
                                continue;
                            }
                            if (f32) {
                                float[] d = cs.floats();
                                if (!inside) { zero(d, cp, cst[5], OW); continue; }
                                zero(d, cp, cst[5], lo);
                                copyRow(is.floats(), ib + h * ist[2] + (lo * cols.stride() + woff) * ist[3], cols.stride() * ist[3], d, cp + lo * cst[5], cst[5], hi - lo);
                                zero(d, cp + hi * cst[5], cst[5], OW - hi);
                            } else {
                                double[] d = cs.doubles();
                                if (!inside) { zero(d, cp, cst[5], OW); continue; }
                                zero(d, cp, cst[5], lo);
                                copyRow(is.doubles(), ib + h * ist[2] + (lo * cols.stride() + woff) * ist[3], cols.stride() * ist[3], d, cp + lo * cst[5], cst[5], hi - lo);
                                zero(d, cp + hi * cst[5], cst[5], OW - hi);
                            }
                        }
                    }
                }
            }
        });
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
        HostStorage s = Elementwise.host(src), v = Elementwise.host(values);
        long[] ix = Elementwise.host(indices).longs();
        int[] sh = src.shape(), st = src.layout().strides(), vt = values.layout().strides(), xt = indices.layout().strides();
        int C = sh[1], H = sh[2], W = sh[3], OH = rows.outputSize(), OW = cols.outputSize();
        int so = src.layout().offset(), vo = values.layout().offset(), xo = indices.layout().offset();
        boolean f32 = src.dtype() == DType.FLOAT32;
        int[][] rw = ranges(rows), cw = ranges(cols);
        Parallel.forRange(sh[0] * C, grain((long) OH * OW * rows.maxSize() * cols.maxSize()), (from, to) -> {
            for (int p = from; p < to; p++) {
                int n = p / C, c = p % C;
                int sb = so + n * st[0] + c * st[1], vb = vo + n * vt[0] + c * vt[1], xb = xo + n * xt[0] + c * xt[1];
                for (int oh = 0; oh < OH; oh++) {
                    int h0 = rw[0][oh], h1 = rw[1][oh], dh = rows.step();
                    for (int ow = 0; ow < OW; ow++) {
                        int w0 = cw[0][ow], w1 = cw[1][ow], dw = cols.step();
                        int maxIndex = h0 * W + w0;
                        double maxVal = Double.NEGATIVE_INFINITY;
                        for (int h = h0; h < h1; h += dh) {
                            int rowp = sb + h * st[2];
                            for (int w = w0; w < w1; w += dw) {
                                double val = f32 ? s.floats()[rowp + w * st[3]] : s.doubles()[rowp + w * st[3]];
                                if (val > maxVal || Double.isNaN(val)) {
                                    maxVal = val;
                                    maxIndex = h * W + w;
                                }
                            }
                        }
                        int vp = vb + oh * vt[2] + ow * vt[3];
                        if (f32) v.floats()[vp] = (float) maxVal;
                        else v.doubles()[vp] = maxVal;
                        ix[xb + oh * xt[2] + ow * xt[3]] = maxIndex;
                    }
                }
            }
        });
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
