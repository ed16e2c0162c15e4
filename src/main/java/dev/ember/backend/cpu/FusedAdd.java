package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code dst = a + alpha * b} with one rounding, float32 or float64 throughout: PyTorch's add/sub kernel with an
 * alpha is a fused multiply-add ({@code vec::fmadd(b, alpha, a)}), so results match it bit for bit, and an
 * optimizer's {@code param.add_(grad, -lr)} is one pass with no temporaries. Safe in place ({@code dst == a}).
 */
final class FusedAdd {
    private FusedAdd() {}

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;

    static void addScaled(Strided a, Strided b, double alpha, Strided dst) {
        HostStorage x = Elementwise.host(a), y = Elementwise.host(b), d = Elementwise.host(dst);
        if (x.dtype() != d.dtype() || y.dtype() != d.dtype() || (d.dtype() != DType.FLOAT32 && d.dtype() != DType.FLOAT64))
            throw new IllegalArgumentException("addScaled: float32 or float64 operands of one dtype, got " + x.dtype() + ", " + y.dtype() + " into " + d.dtype());
        StridedIter it = StridedIter.inMemoryOrder(dst.shape(), a.layout(), b.layout(), dst.layout());
        if (d.dtype() == DType.FLOAT32) {
            float[] xa = x.floats(), ya = y.floats(), o = d.floats();
            float s = (float) alpha; // the kernel takes alpha as a float, as ATen converts it to the tensor's type
            it.forEachParallel((off, n) -> {
                int sx = it.innerStride(0), sy = it.innerStride(1), so = it.innerStride(2), i = 0;
                if (sx == 1 && sy == 1 && so == 1) {
                    FloatVector sv = FloatVector.broadcast(FS, s);
                    for (int ub = FS.loopBound(n); i < ub; i += FS.length())
                        FloatVector.fromArray(FS, ya, off[1] + i).fma(sv, FloatVector.fromArray(FS, xa, off[0] + i)).intoArray(o, off[2] + i);
                }
                for (int p = off[0] + i * sx, q = off[1] + i * sy, r = off[2] + i * so; i < n; i++, p += sx, q += sy, r += so)
                    o[r] = Math.fma(s, ya[q], xa[p]);
            });
            return;
        }
        double[] xa = x.doubles(), ya = y.doubles(), o = d.doubles();
        it.forEachParallel((off, n) -> {
            int sx = it.innerStride(0), sy = it.innerStride(1), so = it.innerStride(2), i = 0;
            if (sx == 1 && sy == 1 && so == 1) {
                DoubleVector sv = DoubleVector.broadcast(DS, alpha);
                for (int ub = DS.loopBound(n); i < ub; i += DS.length())
                    DoubleVector.fromArray(DS, ya, off[1] + i).fma(sv, DoubleVector.fromArray(DS, xa, off[0] + i)).intoArray(o, off[2] + i);
            }
            for (int p = off[0] + i * sx, q = off[1] + i * sy, r = off[2] + i * so; i < n; i++, p += sx, q += sy, r += so)
                o[r] = Math.fma(alpha, ya[q], xa[p]);
        });
    }
}
