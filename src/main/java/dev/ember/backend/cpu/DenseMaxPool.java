package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.WindowAxis;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The common case of max pooling, float32 planes that are contiguous with every window inside the image (no
 * padding, no dilation, no ceil-mode overhang, e.g. LeNet's 2x2), vectorised across output positions: lane k
 * handles output k of the plane, and each window tap is one gather of L inputs. The scalar loop it replaces
 * spent most of its time on mispredicted branches, since whether a value beats its window's max so far is a coin
 * toss on real activations; here the comparison is a mask and the update a blend.
 *
 * <p>Values and indices are PyTorch's exactly: taps are visited in row-major window order, a value is taken when
 * it is greater than the max so far or NaN, and the first tap seeds both, as in {@link WindowKernels#maxPool2d}.
 */
final class DenseMaxPool {
    private DenseMaxPool() {}

    private static final VectorSpecies<Float> S = FloatVectors.S;
    private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, S.vectorShape());
    private static final int L = S.length();

    /** Pools when the case applies and returns true; false leaves everything to the general loop. */
    static boolean run(Strided src, WindowAxis rows, WindowAxis cols, Strided values, Strided indices) {
        if (src.dtype() != DType.FLOAT32 || !src.layout().isContiguous() || !values.layout().isContiguous() || !indices.layout().isContiguous()) return false;
        if (!inside(rows) || !inside(cols)) return false;
        int[] sh = src.shape();
        int planes = sh[0] * sh[1], h = sh[2], w = sh[3], oh = rows.outputSize(), ow = cols.outputSize(), outputs = oh * ow;
        if (planes == 0 || outputs == 0) return true;
        // each output's window corner within its plane; padded to whole vectors with corner 0 (always readable)
        int[] corner = new int[(outputs + L - 1) / L * L];
        for (int r = 0; r < oh; r++)
            for (int c = 0; c < ow; c++) corner[r * ow + c] = r * rows.stride() * w + c * cols.stride();
        float[] a = Elementwise.host(src).floats(), v = Elementwise.host(values).floats();
        long[] ix = Elementwise.host(indices).longs();
        int so = src.layout().offset(), vo = values.layout().offset(), xo = indices.layout().offset();
        int kh = rows.kernel(), kw = cols.kernel();
        Parallel.forRange(planes, (int) Math.max(1, Parallel.GRAIN / Math.max(1L, (long) corner.length * kh * kw)), (from, to) -> {
            int[] best = new int[corner.length];
            for (int p = from; p < to; p++) {
                int in = so + p * h * w;
                for (int k = 0; k < outputs; k += L) {
                    VectorMask<Float> live = S.indexInRange(k, outputs);
                    IntVector at = IntVector.fromArray(I, corner, k);
                    FloatVector max = FloatVector.fromArray(S, a, in, corner, k, live);
                    IntVector arg = at;
                    for (int i = 0; i < kh; i++) {
                        for (int j = i == 0 ? 1 : 0; j < kw; j++) {
                            int tap = i * w + j;
                            FloatVector x = FloatVector.fromArray(S, a, in + tap, corner, k, live);
                            VectorMask<Float> take = x.compare(VectorOperators.GT, max).or(x.test(VectorOperators.IS_NAN));
                            max = max.blend(x, take);
                            arg = arg.blend(at.add(tap), take.cast(I));
                        }
                    }
                    max.intoArray(v, vo + p * outputs + k, live);
                    arg.intoArray(best, k);
                }
                int out = xo + p * outputs;
                for (int k = 0; k < outputs; k++) ix[out + k] = best[k];
            }
        });
        return true;
    }

    /** Sliding windows that never leave the image: no padding, no dilation, the last window ending inside. */
    private static boolean inside(WindowAxis a) {
        return !a.adaptive() && a.padding() == 0 && a.dilation() == 1 && (a.outputSize() - 1) * a.stride() + a.kernel() <= a.inputSize();
    }
}
