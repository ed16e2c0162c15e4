package dev.ember.tensor;

import dev.ember.tensor.spi.HostStorage;

import java.util.ArrayList;
import java.util.List;

/**
 * Factories that fill memory ({@code empty}, {@code zeros}, {@code full}, {@code eye}, wrapping arrays) and host
 * access to a tensor's values ({@code tolist}, {@code toFloatArray}...). Data-driven factories live in
 * {@link NestedData}, ranges in {@link Ranges}, random ones in {@link Sampling}.
 */
final class Creation {
    private Creation() {}

    /** PyTorch's check on every factory's size. */
    static void checkShape(int[] shape) {
        for (int s : shape) if (s < 0) throw new IllegalArgumentException("Trying to create tensor with negative dimension " + s + ": " + Shape.str(shape));
    }

    static Tensor zeros(int[] shape, DType dtype) { return zeros(shape, dtype, Device.CPU); }

    /** Zero-filled; {@code empty} is the same (fresh storage is always zeroed here, never garbage). */
    static Tensor zeros(int[] shape, DType dtype, Device device) {
        checkShape(shape);
        return Kernels.zeros(shape, dtype, device);
    }

    static Tensor full(int[] shape, double value, DType dtype) { return full(shape, Scalar.of(value), dtype, Device.CPU); }

    static Tensor full(int[] shape, double value, DType dtype, Device device) { return full(shape, Scalar.of(value), dtype, device); }

    static Tensor fullLong(int[] shape, long value, DType dtype, Device device) { return full(shape, Scalar.of(value), dtype, device); }

    /**
     * {@code torch.full} / {@code fill_}: the value must fit the dtype ({@code value cannot be converted to type
     * uint8_t without overflow}); an int keeps all 64 bits on the way in.
     */
    static Tensor full(int[] shape, Scalar value, DType dtype, Device device) {
        value.checkedFor(dtype);
        Tensor t = zeros(shape, dtype, device);
        if (t.numel() == 0) return t;
        if (!value.isFloating() && !dtype.isFloatingPoint()) {
            if (value.longValue() != 0) t.backend().fill(t.strided(), value.longValue());
        } else {
            double v = value.asStoredIn(dtype);
            if (Double.doubleToRawLongBits(v) != 0) t.backend().fill(t.strided(), v);
        }
        return t;
    }

    /** Wraps a Java array without copying. */
    static Tensor fromArray(Object array, DType dtype, int... shape) {
        checkShape(shape);
        HostStorage h = HostStorage.wrap(dtype, array, Backends.cpu());
        if (Shape.numelExact(shape) != h.size())
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.numelExact(shape) + " elements but the array has " + h.size());
        return new Tensor(h, Layout.contiguous(shape));
    }

    /**
     * A result an op built in a Java array it hands over (int64 from long[], float64 from double[], float32 from
     * float[]): unlike {@link #fromArray}, its storage grows on {@code resize_} like any other tensor's.
     */
    static Tensor adopt(Object array, int... shape) {
        DType dtype = switch (array) {
            case long[] a -> DType.INT64;
            case double[] a -> DType.FLOAT64;
            case float[] a -> DType.FLOAT32;
            default -> throw new IllegalArgumentException("no dtype for a " + array.getClass().getSimpleName());
        };
        HostStorage h = HostStorage.adopt(dtype, array, Backends.cpu());
        if (Shape.numelExact(shape) != h.size()) throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.numelExact(shape) + " elements but the array has " + h.size());
        return new Tensor(h, Layout.contiguous(shape));
    }

    static Tensor eye(int n, int m, DType dtype) {
        if (n < 0) throw new IllegalArgumentException("n must be greater or equal to 0, got " + n);
        if (m < 0) throw new IllegalArgumentException("m must be greater or equal to 0, got " + m);
        // PyTorch 1.13's CPU eye kernel covers every dtype but bfloat16
        if (dtype == DType.BFLOAT16) throw new IllegalArgumentException("\"eye\" not implemented for 'BFloat16'");
        HostStorage h = HostStorage.allocate(dtype, Shape.numel(new int[] {n, m}), Backends.cpu());
        for (int i = 0; i < Math.min(n, m); i++) h.setLong(i * m + i, 1);
        return new Tensor(h, Layout.contiguous(n, m));
    }

    /** {@code empty_strided}: zero-filled storage of the extent the strides reach, viewed through them. */
    static Tensor emptyStrided(int[] size, int[] stride, DType dtype, Device device) {
        if (size.length != stride.length)
            throw new IllegalArgumentException("dimensionality of sizes (" + size.length + ") must match dimensionality of strides (" + stride.length + ")");
        checkShape(size);
        for (int st : stride)
            if (st < 0) throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + Shape.str(size) + " and strides=" + Shape.str(stride));
        Layout l = new Layout(size.clone(), stride.clone(), 0);
        long extent = l.extent();
        if (extent > Integer.MAX_VALUE) throw new IllegalArgumentException("Storage size calculation overflowed with sizes=" + Shape.str(size) + " and strides=" + Shape.str(stride));
        return new Tensor(Kernels.zeros(new int[] {(int) extent}, dtype, device).storage(), l);
    }

    /**
     * {@code fresh} (new, row-major from offset 0, every element the same kind of value) relaid like {@code t}: what the
     * {@code *_like} factories return. Filled or independently drawn values do not care about their order in memory.
     */
    static Tensor like(Tensor t, Tensor fresh) {
        Layout l = Layout.preserving(t.layout());
        return l.equals(fresh.layout()) ? fresh : new Tensor(fresh.storage(), l);
    }

    // ------------------------------------------------------------ host access

    static HostStorage toHost(Tensor t) {
        Tensor c = t.detach().contiguous(); // reading values leaves autograd alone (a stale view's grad_fn may refuse reading)
        HostStorage h = c.backend().toHost(c.storage());
        if (c.layout().offset() == 0 && h.size() == c.numel()) return h;
        HostStorage out = HostStorage.allocate(t.dtype(), c.numel(), Backends.cpu());
        // an empty view may start past the end of an empty storage (torch.zeros(0, 3)[:, 1] has offset 1)
        if (c.numel() == 0) return out;
        System.arraycopy(h.array(), c.layout().offset(), out.array(), 0, c.numel());
        return out;
    }

    static float[] toFloatArray(Tensor t) {
        HostStorage h = toHost(t);
        if (t.dtype() == DType.FLOAT32) return h.floats().clone();
        float[] out = new float[h.size()];
        boolean integral = !t.dtype().isFloatingPoint();
        for (int i = 0; i < out.length; i++) out[i] = integral ? (float) h.getLong(i) : (float) h.getDouble(i);
        return out;
    }

    static double[] toDoubleArray(Tensor t) {
        HostStorage h = toHost(t);
        if (t.dtype() == DType.FLOAT64) return h.doubles().clone();
        double[] out = new double[h.size()];
        for (int i = 0; i < out.length; i++) out[i] = h.getDouble(i);
        return out;
    }

    /** Integer values; floating values convert as {@code to(torch.int64)} does. */
    static long[] toLongArray(Tensor t) {
        HostStorage h = toHost(t);
        if (t.dtype() == DType.INT64) return h.longs().clone();
        long[] out = new long[h.size()];
        for (int i = 0; i < out.length; i++) out[i] = h.getLong(i);
        return out;
    }

    /** Integer values; floating values convert as {@code to(torch.int32)} does, wider integers keep their low 32 bits. */
    static int[] toIntArray(Tensor t) {
        HostStorage h = toHost(t);
        int[] out = new int[h.size()];
        boolean integral = !t.dtype().isFloatingPoint();
        for (int i = 0; i < out.length; i++) out[i] = integral ? (int) h.getLong(i) : HostStorage.toInt32(h.getDouble(i));
        return out;
    }

    /** {@code x != 0}, so NaN is true, as {@code to(torch.bool)}. */
    static boolean[] toBoolArray(Tensor t) {
        HostStorage h = toHost(t);
        boolean[] out = new boolean[h.size()];
        boolean integral = !t.dtype().isFloatingPoint();
        for (int i = 0; i < out.length; i++) out[i] = integral ? h.getLong(i) != 0 : h.getDouble(i) != 0;
        return out;
    }

    /** {@code tolist()}: nested Lists of Double (floating), Long (integers) or Boolean; a 0-dim tensor gives the bare value. */
    static Object tolist(Tensor t) {
        HostStorage h = toHost(t);
        return tolist(h, t.layout().shape(), 0, new int[1]);
    }

    private static Object tolist(HostStorage h, int[] shape, int depth, int[] next) {
        if (depth == shape.length) {
            int i = next[0]++;
            DType d = h.dtype();
            if (d == DType.BOOL) return h.getLong(i) != 0;
            if (d.isFloatingPoint()) return h.getDouble(i);
            return h.getLong(i);
        }
        List<Object> out = new ArrayList<>(shape[depth]);
        for (int k = 0; k < shape[depth]; k++) out.add(tolist(h, shape, depth + 1, next));
        return out;
    }
}
