package dev.ember.backend.cpu;

import dev.ember.tensor.DType;
import dev.ember.tensor.spi.HalfFloats;
import dev.ember.tensor.spi.HostStorage;
import dev.ember.tensor.spi.Strided;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Floating sums in the order of PyTorch 1.13's CPU kernel ({@code cascade_sum} in SumKernel.cpp, as its AVX2 build
 * runs on one thread), so that a sum has PyTorch's bits. float32, float16 and bfloat16 accumulate in float, float64
 * in double. The kernel sums each run in a cascade: terms go into a first accumulator, which every 2^p terms
 * (p = max(4, ceil(log2 n) / 4)) is added into a second and cleared, the second into a third every 2^2p terms, and so
 * on over four levels, so that only partial sums of like size meet. An accumulator is an AVX2 vector (8 floats, 4
 * doubles), and a contiguous run is read four vectors at a time into four independent cascades.
 *
 * <p>{@link SumOrder} gives the 2-d loops PyTorch's TensorIterator hands the kernel; the kernel picks one of four
 * schemes per loop (the reduced dim contiguous, the kept dim contiguous, or neither, either way round), and adds each
 * loop's sums into the zeroed output (in the output's type: a float16 output rounds at every loop). A whole-tensor
 * sum of a contiguous run of 2 * {@link Parallel#GRAIN} elements or more departs from this: its fixed pieces
 * are summed apart and added in double, so that it can use every core and still not depend on the thread count.
 */
final class CascadeSum {
    private static final VectorSpecies<Float> V = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_256;
    private static final int LEVELS = 4;
    /** The independent cascades of a run (ilp_factor), and the vectors of an outer sum's block of columns. */
    private static final int ILP = 4;
    /** Columns per parallel task: a whole number of every block width, so a column's scheme does not depend on the split. */
    private static final int UNIT = 32;
    /** Elements per piece of a large whole-tensor sum (1 MiB of float32). */
    private static final int PIECE = 1 << 18;

    private final HostStorage s, d;
    private final DType dt;
    private final float[] sf;
    private final double[] sd;
    /** Accumulator lanes, and source elements per vector load (Vectorized<scalar_t>::size(): 16 for 2-byte types). */
    private final int lanes, vecNumel;
    private final int size0, size1, in0, in1, o0, o1;

    private CascadeSum(HostStorage s, HostStorage d, int size0, int size1, int in0, int in1, int o0, int o1) {
        this.s = s;
        this.d = d;
        this.dt = s.dtype();
        this.sf = dt == DType.FLOAT32 ? s.floats() : null;
        this.sd = dt == DType.FLOAT64 ? s.doubles() : null;
        this.lanes = dt == DType.FLOAT64 ? 4 : 8;
        this.vecNumel = dt == DType.FLOAT64 ? 4 : dt == DType.FLOAT32 ? 8 : 16;
        this.size0 = size0;
        this.size1 = size1;
        this.in0 = in0;
        this.in1 = in1;
        this.o0 = o0;
        this.o1 = o1;
    }

    /** dst (src's rank, size 1 along dims, src's floating dtype) = the sum of src over dims. */
    static void sum(Strided src, int[] dims, Strided dst) {
        HostStorage s = Elementwise.host(src), d = Elementwise.host(dst);
        StridedIter outs = new StridedIter(dst.shape(), dst.layout());
        outs.forEach(0, dst.numel(), (off, n) -> {
            for (int i = 0, st = outs.innerStride(0); i < n; i++) d.setDouble(off[0] + i * st, 0);
        });
        if (src.numel() == 0) return;
        SumOrder it = SumOrder.of(src, dims, dst);
        int nd = it.dims();
        int size0 = nd > 0 ? it.shape[0] : 1, in0 = nd > 0 ? it.in[0] : 0, o0 = nd > 0 ? it.out[0] : 0;
        int size1 = nd > 1 ? it.shape[1] : 1, in1 = nd > 1 ? it.in[1] : 0, o1 = nd > 1 ? it.out[1] : 0;
        CascadeSum k = o0 != 0 && o1 == 0
                // cascade_sum moves the reduced dim of the 2-d loop first
                ? new CascadeSum(s, d, size1, size0, in1, in0, o1, o0)
                : new CascadeSum(s, d, size0, size1, in0, in1, o0, o1);
        int xBase = src.layout().offset(), oBase = dst.layout().offset();
        if (nd == 1 && o0 == 0 && in0 == 1 && size0 >= 2 * Parallel.GRAIN) {
            k.store(oBase, k.piecewise(xBase, size0));
            return;
        }
        int outer = it.positionsFrom(2);
        int units = k.o1 != 0 ? (k.size1 + UNIT - 1) / UNIT : 1;
        // outer positions that write distinct outputs run in parallel; otherwise each task walks them all, in order
        boolean splitOuter = it.keptFrom(2);
        int tasks = (splitOuter ? outer : 1) * units;
        int perTask = Math.max(1, src.numel() / tasks);
        int[] shape = it.shape, in = it.in, out = it.out;
        Parallel.forRange(tasks, Math.max(1, Parallel.GRAIN / perTask), (from, to) -> {
            for (int t = from; t < to; t++) {
                int unit = t % units, jFrom = unit * UNIT, jTo = units == 1 ? k.size1 : Math.min(k.size1, jFrom + UNIT);
                for (int o = splitOuter ? t / units : 0, oEnd = splitOuter ? o + 1 : outer; o < oEnd; o++) {
                    int xo = xBase, oq = oBase;
                    for (int dim = 2, rest = o; dim < nd; dim++) {
                        int i = rest % shape[dim];
                        rest /= shape[dim];
                        xo += i * in[dim];
                        oq += i * out[dim];
                    }
                    k.loop2d(xo, oq, jFrom, jTo);
                }
            }
        });
    }

    /** One 2-d loop of cascade_sum over columns [jFrom, jTo) of size1, each column treated as in the whole loop. */
    private void loop2d(int xo, int oq, int jFrom, int jTo) {
        if (o0 != 0 && o1 != 0) {
            // no reduced dim left (a sum over size-1 dims): each element is its own output
            for (int j = jFrom; j < jTo; j++) for (int i = 0; i < size0; i++) store(oq + j * o1 + i * o0, x(xo + j * in1 + i * in0));
        } else if (in0 == 1 && size0 >= vecNumel) {
            for (int j = jFrom; j < jTo; j++) store(oq + j * o1, innerRun(xo + j * in1, size0));
        } else if (in1 == 1 && size1 >= vecNumel) {
            outerColumns(xo, oq, jFrom, jTo);
        } else if (in0 < in1) {
            for (int j = jFrom; j < jTo; j++) store(oq + j * o1, rowSum1(xo + j * in1));
        } else {
            int groups = size1 / ILP * ILP, j = jFrom;
            double[] sums = new double[ILP];
            for (; j < Math.min(jTo, groups); j += ILP) {
                int p = xo + j * in1;
                multiRowSum((i, c) -> x(p + i * in0 + c * in1), size0, ILP, sums);
                for (int c = 0; c < ILP; c++) store(oq + (j + c) * o1, sums[c]);
            }
            for (; j < jTo; j++) store(oq + j * o1, rowSum1(xo + j * in1));
        }
    }

    /** vectorized_outer_sum: blocks of four vectors of columns, then single vectors, then single columns. */
    private void outerColumns(int xo, int oq, int jFrom, int jTo) {
        int block = ILP * lanes, full = size1 / block * block, vectors = full + (size1 - full) / lanes * lanes;
        double[] sums = new double[block];
        int j = jFrom;
        for (; j < Math.min(jTo, full); j += block) {
            int p = xo + j;
            if (sf != null) outerBlockFloat(sf, p, in0, size0, sums);
            else if (sd != null) outerBlockDouble(sd, p, in0, size0, sums);
            else multiRowSum((i, c) -> x(p + i * in0 + c), size0, block, sums);
            for (int c = 0; c < block; c++) store(oq + (j + c) * o1, sums[c]);
        }
        for (; j < Math.min(jTo, vectors); j += lanes) {
            int p = xo + j;
            rowSum((i, c) -> x(p + i * in0 + c), size0, lanes, sums);
            for (int c = 0; c < lanes; c++) store(oq + (j + c) * o1, sums[c]);
        }
        for (; j < jTo; j++) store(oq + j * o1, rowSum1(xo + j));
    }

    /** vectorized_inner_sum of the run of n elements at p: vectors through row_sum, the tail in scalars, then the lanes. */
    private double innerRun(int p, int n) {
        if (sf != null) return innerRunFloat(sf, p, n);
        if (sd != null) return innerRunDouble(sd, p, n);
        int vectors = n / vecNumel;
        double[] lane = new double[lanes];
        rowSum((v, c) -> vectorLane(p, v, c), vectors, lanes, lane);
        double f = 0;
        for (int k = vectors * vecNumel; k < n; k++) f = round(f + x(p + k));
        for (double v : lane) f = round(f + v);
        return f;
    }

    /**
     * Lane c of the v-th vector load of a contiguous run at p. A 16-element float16 load pairs neighbours into a
     * float lane (1.13's generic Vectorized<Half>); a bfloat16 load converts both 8-element halves and adds them.
     */
    private double vectorLane(int p, int v, int c) {
        int q = p + v * vecNumel;
        return switch (dt) {
            case FLOAT16 -> round(round(0.0 + x(q + 2 * c)) + x(q + 2 * c + 1));
            case BFLOAT16 -> round(x(q + c) + x(q + 8 + c));
            default -> x(q + c);
        };
    }

    /**
     * row_sum over the strided run of size0 at p, one lane wide: {@link #rowSum} written out without lambdas or
     * allocations per element, because short rows (a sum over a last dim of 5) make many of these calls.
     */
    private double rowSum1(int p) {
        int quads = size0 / ILP;
        if (quads < 16) return shortRowSum1(p, quads);
        int power = levelPower(quads), step = 1 << power;
        long mask = step - 1;
        double[] acc = new double[LEVELS * ILP]; // acc[level * ILP + k]
        int i = 0;
        while (i + step <= quads) {
            for (int r = 0; r < step; r++, i++) for (int k = 0; k < ILP; k++) acc[k] = round(acc[k] + x(p + (ILP * i + k) * in0));
            for (int level = 1; level < LEVELS; level++) {
                for (int k = 0; k < ILP; k++) {
                    acc[level * ILP + k] = round(acc[level * ILP + k] + acc[(level - 1) * ILP + k]);
                    acc[(level - 1) * ILP + k] = 0;
                }
                if ((i & (mask << (level * power))) != 0) break;
            }
        }
        for (; i < quads; i++) for (int k = 0; k < ILP; k++) acc[k] = round(acc[k] + x(p + (ILP * i + k) * in0));
        for (int level = 1; level < LEVELS; level++) for (int k = 0; k < ILP; k++) acc[k] = round(acc[k] + acc[level * ILP + k]);
        double r = acc[0];
        for (int e = quads * ILP; e < size0; e++) r = round(r + x(p + e * in0));
        for (int k = 1; k < ILP; k++) r = round(r + acc[k]);
        return r;
    }

    /** {@link #rowSum1} of fewer than 16 rows of four, less than one cascade step: only the first level fills. */
    private double shortRowSum1(int p, int quads) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (int i = 0, q = p, st = in0; i < quads; i++, q += ILP * st) {
            a0 = round(a0 + x(q));
            a1 = round(a1 + x(q + st));
            a2 = round(a2 + x(q + 2 * st));
            a3 = round(a3 + x(q + 3 * st));
        }
        // adding the empty levels turns a -0 into +0, as it does in PyTorch
        double r = a0 + 0.0;
        for (int e = quads * ILP; e < size0; e++) r = round(r + x(p + e * in0));
        return round(round(round(r + (a1 + 0.0)) + (a2 + 0.0)) + (a3 + 0.0));
    }

    /** Lane c of row i of a multi-lane sum. */
    @FunctionalInterface
    private interface Rows {
        double at(int i, int c);
    }

    /** row_sum: rows taken four at a time into four cascades, the rows left over into the first, then the four added. */
    private void rowSum(Rows rows, int size, int width, double[] out) {
        int quads = size / ILP;
        double[] part = new double[ILP * width];
        multiRowSum((i, c) -> rows.at(ILP * i + c / width, c % width), quads, ILP * width, part);
        for (int i = quads * ILP; i < size; i++) for (int c = 0; c < width; c++) part[c] = round(part[c] + rows.at(i, c));
        for (int k = 1; k < ILP; k++) for (int c = 0; c < width; c++) part[c] = round(part[c] + part[k * width + c]);
        System.arraycopy(part, 0, out, 0, width);
    }

    /** multi_row_sum: {@code width} cascades over {@code size} rows. */
    private void multiRowSum(Rows rows, int size, int width, double[] out) {
        int power = levelPower(size), step = 1 << power;
        long mask = step - 1;
        double[][] acc = new double[LEVELS][width];
        int i = 0;
        while (i + step <= size) {
            for (int r = 0; r < step; r++, i++) for (int c = 0; c < width; c++) acc[0][c] = round(acc[0][c] + rows.at(i, c));
            for (int level = 1; level < LEVELS; level++) {
                for (int c = 0; c < width; c++) {
                    acc[level][c] = round(acc[level][c] + acc[level - 1][c]);
                    acc[level - 1][c] = 0;
                }
                if ((i & (mask << (level * power))) != 0) break;
            }
        }
        for (; i < size; i++) for (int c = 0; c < width; c++) acc[0][c] = round(acc[0][c] + rows.at(i, c));
        for (int level = 1; level < LEVELS; level++) for (int c = 0; c < width; c++) acc[0][c] = round(acc[0][c] + acc[level][c]);
        System.arraycopy(acc[0], 0, out, 0, width);
    }

    /** The log2 of a cascade level's span: max(4, CeilLog2(rows) / 4), with c10's CeilLog2 (1 for rows <= 2). */
    private static int levelPower(int rows) {
        int ceilLog2 = rows <= 2 ? 1 : 32 - Integer.numberOfLeadingZeros(rows - 1);
        return Math.max(4, ceilLog2 / LEVELS);
    }

    // ---------------------------------------------------------------- float32 in vectors (the same sums, faster)
    // The run and the column block (and their float64 twins below) repeat one cascade on purpose: sharing it through a
    // method that returns the four vectors kept every bit but made a 4M float32 sum 20% slower (0.46 against 0.38 ms).

    /** {@link #innerRun} for float32: four vector cascades of four levels each. */
    static float innerRunFloat(float[] a, int p, int n) {
        int vectors = n / 8, quads = vectors / ILP, power = levelPower(quads), step = 1 << power;
        long mask = step - 1;
        FloatVector z = FloatVector.zero(V);
        FloatVector a0 = z, b0 = z, c0 = z, d0 = z, a1 = z, b1 = z, c1 = z, d1 = z;
        FloatVector a2 = z, b2 = z, c2 = z, d2 = z, a3 = z, b3 = z, c3 = z, d3 = z;
        int i = 0, q = p;
        while (i + step <= quads) {
            for (int end = q + step * 32; q < end; q += 32) {
                a0 = a0.add(FloatVector.fromArray(V, a, q));
                b0 = b0.add(FloatVector.fromArray(V, a, q + 8));
                c0 = c0.add(FloatVector.fromArray(V, a, q + 16));
                d0 = d0.add(FloatVector.fromArray(V, a, q + 24));
            }
            i += step;
            a1 = a1.add(a0);
            b1 = b1.add(b0);
            c1 = c1.add(c0);
            d1 = d1.add(d0);
            a0 = b0 = c0 = d0 = z;
            if ((i & (mask << power)) != 0) continue;
            a2 = a2.add(a1);
            b2 = b2.add(b1);
            c2 = c2.add(c1);
            d2 = d2.add(d1);
            a1 = b1 = c1 = d1 = z;
            if ((i & (mask << 2 * power)) != 0) continue;
            a3 = a3.add(a2);
            b3 = b3.add(b2);
            c3 = c3.add(c2);
            d3 = d3.add(d2);
            a2 = b2 = c2 = d2 = z;
        }
        for (; i < quads; i++, q += 32) {
            a0 = a0.add(FloatVector.fromArray(V, a, q));
            b0 = b0.add(FloatVector.fromArray(V, a, q + 8));
            c0 = c0.add(FloatVector.fromArray(V, a, q + 16));
            d0 = d0.add(FloatVector.fromArray(V, a, q + 24));
        }
        a0 = a0.add(a1).add(a2).add(a3);
        b0 = b0.add(b1).add(b2).add(b3);
        c0 = c0.add(c1).add(c2).add(c3);
        d0 = d0.add(d1).add(d2).add(d3);
        for (int v = quads * ILP; v < vectors; v++) a0 = a0.add(FloatVector.fromArray(V, a, p + v * 8));
        a0 = a0.add(b0).add(c0).add(d0);
        float f = 0;
        for (int k = vectors * 8; k < n; k++) f += a[p + k];
        for (int c = 0; c < 8; c++) f += a0.lane(c);
        return f;
    }

    /** The 32-column block of {@link #outerColumns} for float32: rows of four vectors into one cascade each. */
    private static void outerBlockFloat(float[] a, int p, int stride, int rows, double[] out) {
        int power = levelPower(rows), step = 1 << power;
        long mask = step - 1;
        FloatVector z = FloatVector.zero(V);
        FloatVector a0 = z, b0 = z, c0 = z, d0 = z, a1 = z, b1 = z, c1 = z, d1 = z;
        FloatVector a2 = z, b2 = z, c2 = z, d2 = z, a3 = z, b3 = z, c3 = z, d3 = z;
        int i = 0, q = p;
        while (i + step <= rows) {
            for (int r = 0; r < step; r++, q += stride) {
                a0 = a0.add(FloatVector.fromArray(V, a, q));
                b0 = b0.add(FloatVector.fromArray(V, a, q + 8));
                c0 = c0.add(FloatVector.fromArray(V, a, q + 16));
                d0 = d0.add(FloatVector.fromArray(V, a, q + 24));
            }
            i += step;
            a1 = a1.add(a0);
            b1 = b1.add(b0);
            c1 = c1.add(c0);
            d1 = d1.add(d0);
            a0 = b0 = c0 = d0 = z;
            if ((i & (mask << power)) != 0) continue;
            a2 = a2.add(a1);
            b2 = b2.add(b1);
            c2 = c2.add(c1);
            d2 = d2.add(d1);
            a1 = b1 = c1 = d1 = z;
            if ((i & (mask << 2 * power)) != 0) continue;
            a3 = a3.add(a2);
            b3 = b3.add(b2);
            c3 = c3.add(c2);
            d3 = d3.add(d2);
            a2 = b2 = c2 = d2 = z;
        }
        for (; i < rows; i++, q += stride) {
            a0 = a0.add(FloatVector.fromArray(V, a, q));
            b0 = b0.add(FloatVector.fromArray(V, a, q + 8));
            c0 = c0.add(FloatVector.fromArray(V, a, q + 16));
            d0 = d0.add(FloatVector.fromArray(V, a, q + 24));
        }
        FloatVector[] sums = {a0.add(a1).add(a2).add(a3), b0.add(b1).add(b2).add(b3), c0.add(c1).add(c2).add(c3), d0.add(d1).add(d2).add(d3)};
        for (int v = 0; v < ILP; v++) for (int c = 0; c < 8; c++) out[v * 8 + c] = sums[v].lane(c);
    }

    // ---------------------------------------------------------------- float64 in vectors (4 lanes, as AVX2's Vectorized<double>)

    /** {@link #innerRun} for float64: {@link #innerRunFloat} with vectors of four doubles. */
    static double innerRunDouble(double[] a, int p, int n) {
        int vectors = n / 4, quads = vectors / ILP, power = levelPower(quads), step = 1 << power;
        long mask = step - 1;
        DoubleVector z = DoubleVector.zero(D);
        DoubleVector a0 = z, b0 = z, c0 = z, d0 = z, a1 = z, b1 = z, c1 = z, d1 = z;
        DoubleVector a2 = z, b2 = z, c2 = z, d2 = z, a3 = z, b3 = z, c3 = z, d3 = z;
        int i = 0, q = p;
        while (i + step <= quads) {
            for (int end = q + step * 16; q < end; q += 16) {
                a0 = a0.add(DoubleVector.fromArray(D, a, q));
                b0 = b0.add(DoubleVector.fromArray(D, a, q + 4));
                c0 = c0.add(DoubleVector.fromArray(D, a, q + 8));
                d0 = d0.add(DoubleVector.fromArray(D, a, q + 12));
            }
            i += step;
            a1 = a1.add(a0);
            b1 = b1.add(b0);
            c1 = c1.add(c0);
            d1 = d1.add(d0);
            a0 = b0 = c0 = d0 = z;
            if ((i & (mask << power)) != 0) continue;
            a2 = a2.add(a1);
            b2 = b2.add(b1);
            c2 = c2.add(c1);
            d2 = d2.add(d1);
            a1 = b1 = c1 = d1 = z;
            if ((i & (mask << 2 * power)) != 0) continue;
            a3 = a3.add(a2);
            b3 = b3.add(b2);
            c3 = c3.add(c2);
            d3 = d3.add(d2);
            a2 = b2 = c2 = d2 = z;
        }
        for (; i < quads; i++, q += 16) {
            a0 = a0.add(DoubleVector.fromArray(D, a, q));
            b0 = b0.add(DoubleVector.fromArray(D, a, q + 4));
            c0 = c0.add(DoubleVector.fromArray(D, a, q + 8));
            d0 = d0.add(DoubleVector.fromArray(D, a, q + 12));
        }
        a0 = a0.add(a1).add(a2).add(a3);
        b0 = b0.add(b1).add(b2).add(b3);
        c0 = c0.add(c1).add(c2).add(c3);
        d0 = d0.add(d1).add(d2).add(d3);
        for (int v = quads * ILP; v < vectors; v++) a0 = a0.add(DoubleVector.fromArray(D, a, p + v * 4));
        a0 = a0.add(b0).add(c0).add(d0);
        double f = 0;
        for (int k = vectors * 4; k < n; k++) f += a[p + k];
        for (int c = 0; c < 4; c++) f += a0.lane(c);
        return f;
    }

    /** The 16-column block of {@link #outerColumns} for float64: rows of four vectors into one cascade each. */
    private static void outerBlockDouble(double[] a, int p, int stride, int rows, double[] out) {
        int power = levelPower(rows), step = 1 << power;
        long mask = step - 1;
        DoubleVector z = DoubleVector.zero(D);
        DoubleVector a0 = z, b0 = z, c0 = z, d0 = z, a1 = z, b1 = z, c1 = z, d1 = z;
        DoubleVector a2 = z, b2 = z, c2 = z, d2 = z, a3 = z, b3 = z, c3 = z, d3 = z;
        int i = 0, q = p;
        while (i + step <= rows) {
            for (int r = 0; r < step; r++, q += stride) {
                a0 = a0.add(DoubleVector.fromArray(D, a, q));
                b0 = b0.add(DoubleVector.fromArray(D, a, q + 4));
                c0 = c0.add(DoubleVector.fromArray(D, a, q + 8));
                d0 = d0.add(DoubleVector.fromArray(D, a, q + 12));
            }
            i += step;
            a1 = a1.add(a0);
            b1 = b1.add(b0);
            c1 = c1.add(c0);
            d1 = d1.add(d0);
            a0 = b0 = c0 = d0 = z;
            if ((i & (mask << power)) != 0) continue;
            a2 = a2.add(a1);
            b2 = b2.add(b1);
            c2 = c2.add(c1);
            d2 = d2.add(d1);
            a1 = b1 = c1 = d1 = z;
            if ((i & (mask << 2 * power)) != 0) continue;
            a3 = a3.add(a2);
            b3 = b3.add(b2);
            c3 = c3.add(c2);
            d3 = d3.add(d2);
            a2 = b2 = c2 = d2 = z;
        }
        for (; i < rows; i++, q += stride) {
            a0 = a0.add(DoubleVector.fromArray(D, a, q));
            b0 = b0.add(DoubleVector.fromArray(D, a, q + 4));
            c0 = c0.add(DoubleVector.fromArray(D, a, q + 8));
            d0 = d0.add(DoubleVector.fromArray(D, a, q + 12));
        }
        DoubleVector[] sums = {a0.add(a1).add(a2).add(a3), b0.add(b1).add(b2).add(b3), c0.add(c1).add(c2).add(c3), d0.add(d1).add(d2).add(d3)};
        for (int v = 0; v < ILP; v++) for (int c = 0; c < 4; c++) out[v * 4 + c] = sums[v].lane(c);
    }

    // ---------------------------------------------------------------- elements, rounding, output

    /** A whole-tensor sum of a long contiguous run: fixed pieces, each a run's sum, added in piece order. */
    private double piecewise(int base, int n) {
        int count = (int) Math.max((n + (long) PIECE - 1) / PIECE, Math.min(4, n / Parallel.GRAIN));
        double[] parts = new double[count];
        Parallel.forEachPiece(count, c -> {
            int lo = (int) ((long) n * c / count), hi = (int) ((long) n * (c + 1) / count);
            parts[c] = innerRun(base + lo, hi - lo);
        });
        double t = 0;
        for (double p : parts) t += p;
        return dt == DType.FLOAT64 ? t : (float) t;
    }

    private double x(int i) { return sf != null ? sf[i] : sd != null ? sd[i] : s.getDouble(i); }

    /** One accumulator add's rounding: float for every type but float64 (a double sum of two floats rounds once, exactly). */
    private double round(double v) { return dt == DType.FLOAT64 ? v : (float) v; }

    /**
     * out[q] += v, in the output's type. A float16 or bfloat16 output is c10::Half (BFloat16) += float: the float
     * converts to the 2-byte type first, then the two add in float and round again.
     */
    private void store(int q, double v) {
        switch (dt) {
            case FLOAT64 -> d.doubles()[q] += v;
            case FLOAT32 -> d.floats()[q] += (float) v;
            case FLOAT16 -> d.setDouble(q, (float) (d.getDouble(q) + Float.float16ToFloat(Float.floatToFloat16((float) v))));
            default -> d.setDouble(q, (float) (d.getDouble(q) + HalfFloats.bf16ToFloat(HalfFloats.floatToBf16((float) v))));
        }
    }
}
