package dev.ember.tensor.spi;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Storage in Java heap arrays: the host representation every backend converts to and from, and the
 * CPU backend's own storage. One array type per width: float[] (float32), double[] (float64),
 * long[] (int64), int[] (int32), short[] (int16, float16 and bfloat16 bits), byte[] (int8, uint8, bool).
 */
public final class HostStorage extends Storage {
    /**
     * Null once released. Volatile because it is no longer final: a storage handed to another thread (a pool thread,
     * a batcher) must never be seen with its array not yet set, which would read as "released".
     */
    private volatile Object array;
    /** Allocated here rather than wrapped: only then may the array go to the pool on release. */
    private final boolean owned;
    private final Backend backend;

    private HostStorage(DType dtype, Object array, int size, Backend backend, boolean owned) {
        super(dtype, size);
        this.array = array;
        this.backend = backend;
        this.owned = owned;
    }

    /** New zero-filled storage. */
    public static HostStorage allocate(DType dtype, int size, Backend backend) { return allocate(dtype, size, backend, true); }

    /**
     * New storage whose contents are unspecified (a reused array may hold another tensor's old values): only for
     * outputs the caller overwrites entirely before anything reads them.
     */
    public static HostStorage allocateEmpty(DType dtype, int size, Backend backend) { return allocate(dtype, size, backend, false); }

    private static HostStorage allocate(DType dtype, int size, Backend backend, boolean zero) {
        Object a = HostArrayPool.take(dtype, size, zero);
        if (a == null) {
            a = switch (dtype) {
                case FLOAT32 -> new float[size];
                case FLOAT64 -> new double[size];
                case INT64 -> new long[size];
                case INT32 -> new int[size];
                case INT16, FLOAT16, BFLOAT16 -> new short[size];
                case INT8, UINT8, BOOL -> new byte[size];
            };
        }
        return new HostStorage(dtype, a, size, backend, true);
    }

    /**
     * Wraps an existing array without copying; its type must be the one {@link #allocate} would use. The array stays
     * the caller's: releasing the storage never hands it to another tensor.
     */
    public static HostStorage wrap(DType dtype, Object array, Backend backend) { return over(dtype, array, backend, false); }

    /**
     * Takes over an array the caller made for this storage and keeps no reference to: owned as an allocated one is,
     * so it may grow ({@code resize_}) and go to the pool on release. Ops that build their result in a Java array use it.
     */
    public static HostStorage adopt(DType dtype, Object array, Backend backend) { return over(dtype, array, backend, true); }

    private static HostStorage over(DType dtype, Object array, Backend backend, boolean owned) {
        Class<?> want = arrayType(dtype);
        if (array == null || array.getClass() != want)
            throw new IllegalArgumentException("a " + dtype + " tensor wraps a " + want.getComponentType() + "[]"
                    + (dtype == DType.BOOL ? " of 0s and 1s" : dtype == DType.FLOAT16 || dtype == DType.BFLOAT16 ? " of raw bits" : "")
                    + ", not " + (array == null ? "null" : array.getClass().isArray() ? array.getClass().getComponentType() + "[]" : array.getClass().getName()));
        return new HostStorage(dtype, array, java.lang.reflect.Array.getLength(array), backend, owned);
    }

    /** The Java array type that holds each dtype's elements. */
    static Class<?> arrayType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT64 -> long[].class;
            case INT32 -> int[].class;
            case INT16, FLOAT16, BFLOAT16 -> short[].class;
            case INT8, UINT8, BOOL -> byte[].class;
        };
    }

    @Override
    public Device device() { return Device.CPU; }

    /** A wrapped array is the caller's ({@code Tensor.fromArray}): the tensor must keep sharing it. An adopted one may grow. */
    @Override
    protected boolean resizable() { return owned; }

    @Override
    protected void reallocate(int size) {
        Object a = array();
        array = switch (dtype()) {
            case FLOAT32 -> java.util.Arrays.copyOf((float[]) a, size);
            case FLOAT64 -> java.util.Arrays.copyOf((double[]) a, size);
            case INT64 -> java.util.Arrays.copyOf((long[]) a, size);
            case INT32 -> java.util.Arrays.copyOf((int[]) a, size);
            case INT16, FLOAT16, BFLOAT16 -> java.util.Arrays.copyOf((short[]) a, size);
            case INT8, UINT8, BOOL -> java.util.Arrays.copyOf((byte[]) a, size);
        };
    }

    @Override
    public Backend backend() { return backend; }

    /** The backing array; throws once the storage is released. Do not keep it beyond the op that asked. */
    public Object array() {
        Object a = array;
        if (a == null) throw releasedError();
        return a;
    }

    public float[] floats() { return (float[]) array(); }

    public double[] doubles() { return (double[]) array(); }

    public long[] longs() { return (long[]) array(); }

    public int[] ints() { return (int[]) array(); }

    public short[] shorts() { return (short[]) array(); }

    public byte[] bytes() { return (byte[]) array(); }

    @Override
    protected void free() {
        Object a = array;
        array = null;
        if (owned) HostArrayPool.give(a);
    }

    /** Element {@code i} as a double (exact for every type but int64 beyond 2^53). */
    public double getDouble(int i) {
        return switch (dtype()) {
            case FLOAT32 -> floats()[i];
            case FLOAT64 -> doubles()[i];
            case INT64 -> longs()[i];
            case INT32 -> ints()[i];
            case INT16 -> shorts()[i];
            case FLOAT16 -> Float.float16ToFloat(shorts()[i]);
            case BFLOAT16 -> HalfFloats.bf16ToFloat(shorts()[i]);
            case INT8 -> bytes()[i];
            case UINT8 -> bytes()[i] & 0xFF;
            case BOOL -> bytes()[i] != 0 ? 1 : 0;
        };
    }

    /** Element {@code i} as a long; floats convert as PyTorch's CPU casts do ({@link #toInt64}). */
    public long getLong(int i) {
        return switch (dtype()) {
            case INT64 -> longs()[i];
            case INT32 -> ints()[i];
            case INT16 -> shorts()[i];
            case INT8 -> bytes()[i];
            case UINT8 -> bytes()[i] & 0xFF;
            case BOOL -> bytes()[i] != 0 ? 1 : 0;
            default -> toInt64(getDouble(i));
        };
    }

    /**
     * Stores {@code v} converted to this storage's type with PyTorch's CPU cast rules: float16/bfloat16 round
     * through float32 (as c10::Half/BFloat16 do), bool is {@code v != 0} (so NaN is true), and integer types
     * take the x86 conversion PyTorch compiles to: int64 and uint8 through a 64-bit conversion, int32, int16 and
     * int8 through a 32-bit one, each keeping the low bits, and NaN or out-of-range values giving the
     * conversion's "integer indefinite" value (the minimum of its width) rather than Java's saturation.
     */
    public void setDouble(int i, double v) {
        switch (dtype()) {
            case FLOAT32 -> floats()[i] = (float) v;
            case FLOAT64 -> doubles()[i] = v;
            case INT64 -> longs()[i] = toInt64(v);
            case INT32 -> ints()[i] = toInt32(v);
            case INT16 -> shorts()[i] = (short) toInt32(v);
            case FLOAT16 -> shorts()[i] = Float.floatToFloat16((float) v);
            case BFLOAT16 -> shorts()[i] = HalfFloats.floatToBf16((float) v);
            case INT8 -> bytes()[i] = (byte) toInt32(v);
            case UINT8 -> bytes()[i] = (byte) toInt64(v);
            case BOOL -> bytes()[i] = (byte) (v != 0 ? 1 : 0);
        }
    }

    /** Stores an integer; narrower integer types keep the low bits, floating types round once from the long. */
    public void setLong(int i, long v) {
        switch (dtype()) {
            case INT64 -> longs()[i] = v;
            case INT32 -> ints()[i] = (int) v;
            case INT16 -> shorts()[i] = (short) v;
            case INT8, UINT8 -> bytes()[i] = (byte) v;
            case BOOL -> bytes()[i] = (byte) (v != 0 ? 1 : 0);
            // long -> float directly: going through double would round twice (2^60 + 2^36 + 1 differs)
            case FLOAT32 -> floats()[i] = (float) v;
            case FLOAT64 -> doubles()[i] = (double) v;
            case FLOAT16 -> shorts()[i] = Float.floatToFloat16((float) v);
            case BFLOAT16 -> shorts()[i] = HalfFloats.floatToBf16((float) v);
        }
    }

    /** C's {@code (int64_t) v} on x86 ({@code cvttsd2si}): truncation, and Long.MIN_VALUE for NaN and out of range. */
    public static long toInt64(double v) {
        return v >= -0x1p63 && v < 0x1p63 ? (long) v : Long.MIN_VALUE;
    }

    /** C's {@code (int32_t) v} on x86: truncation, and Integer.MIN_VALUE for NaN and out of range. */
    public static int toInt32(double v) {
        return v > -0x1p31 - 1 && v < 0x1p31 ? (int) v : Integer.MIN_VALUE;
    }

    /** The elements {@code [from, from+count)} as little-endian bytes, the layout of .pt and safetensors files. */
    public byte[] toBytes(int from, int count) {
        int w = dtype().itemSize();
        ByteBuffer bb = ByteBuffer.allocate(count * w).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype()) {
            case FLOAT32 -> bb.asFloatBuffer().put(floats(), from, count);
            case FLOAT64 -> bb.asDoubleBuffer().put(doubles(), from, count);
            case INT64 -> bb.asLongBuffer().put(longs(), from, count);
            case INT32 -> bb.asIntBuffer().put(ints(), from, count);
            case INT16, FLOAT16, BFLOAT16 -> bb.asShortBuffer().put(shorts(), from, count);
            case INT8, UINT8, BOOL -> bb.put(bytes(), from, count);
        }
        return bb.array();
    }

    /** Fills elements {@code [to, to+count)} from little-endian bytes. */
    public void fromBytes(ByteBuffer src, int to, int count) {
        ByteBuffer bb = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype()) {
            case FLOAT32 -> bb.asFloatBuffer().get(floats(), to, count);
            case FLOAT64 -> bb.asDoubleBuffer().get(doubles(), to, count);
            case INT64 -> bb.asLongBuffer().get(longs(), to, count);
            case INT32 -> bb.asIntBuffer().get(ints(), to, count);
            case INT16, FLOAT16, BFLOAT16 -> bb.asShortBuffer().get(shorts(), to, count);
            case INT8, UINT8 -> bb.get(bytes(), to, count);
            case BOOL -> {
                byte[] b = bytes();
                for (int k = 0; k < count; k++) {
                    byte v = bb.get(k);
                    if (v != 0 && v != 1) throw new IllegalArgumentException("invalid bool value " + v + " at element " + k);
                    b[to + k] = v;
                }
            }
        }
    }
}
