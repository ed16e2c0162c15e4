package dev.ember.serving;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Builds an {@link InferTensor} element by element from typed values (JSON numbers, gRPC typed contents),
 * with the protocol's coercion rules: integers must be integral and in range, BOOL takes only booleans,
 * floats take any number, BYTES takes only byte strings. The buffer is sized from the shape after the
 * limit check, and the element count must match the shape exactly.
 */
public final class TensorWriter {
    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final int numel;
    private final TensorLimits limits;
    private final ByteBuffer fixed;
    private final ByteArrayOutputStream variable;
    private int count;

    private TensorWriter(String name, DataType datatype, long[] shape, TensorLimits limits) {
        this.name = name;
        this.datatype = datatype;
        this.shape = shape.clone();
        this.limits = limits;
        this.numel = limits.checkShape("input '" + name + "'", datatype, shape);
        if (datatype == DataType.BYTES) {
            fixed = null;
            variable = new ByteArrayOutputStream();
        } else {
            fixed = ByteBuffer.allocate(numel * datatype.size()).order(ByteOrder.LITTLE_ENDIAN);
            variable = null;
        }
    }

    public static TensorWriter create(String name, DataType datatype, long[] shape, TensorLimits limits) {
        return new TensorWriter(name, datatype, shape, limits);
    }

    public DataType datatype() { return datatype; }

    public void putBoolean(boolean v) {
        if (datatype != DataType.BOOL) throw mismatch(String.valueOf(v));
        next().put((byte) (v ? 1 : 0));
    }

    public void putLong(long v) {
        switch (datatype) {
            case BOOL, BYTES -> throw mismatch(String.valueOf(v));
            case FP16 -> next().putShort(Float.floatToFloat16((float) v));
            case BF16 -> next().putShort(dev.ember.tensor.spi.HalfFloats.floatToBf16((float) v));
            case FP32 -> next().putFloat((float) v);
            case FP64 -> next().putDouble((double) v);
            case UINT64 -> {
                if (v < 0) throw outOfRange(String.valueOf(v));
                next().putLong(v);
            }
            default -> putInteger(v, String.valueOf(v));
        }
    }

    /** An unsigned 64-bit value given as its raw bits (gRPC uint64_contents). */
    public void putUnsignedLong(long bits) {
        if (bits >= 0) {
            putLong(bits);
        } else if (datatype == DataType.UINT64) {
            next().putLong(bits);
        } else if (datatype.isFloat()) {
            putDouble(Double.parseDouble(Long.toUnsignedString(bits)));
        } else {
            throw outOfRange(Long.toUnsignedString(bits));
        }
    }

    /** An integer beyond the long range, as JSON may carry for UINT64. */
    public void putBigInteger(BigInteger v) {
        if (v.bitLength() < 64) {
            putLong(v.longValue());
        } else if (datatype == DataType.UINT64 && v.signum() > 0 && v.compareTo(UINT64_MAX) <= 0) {
            next().putLong(v.longValue());
        } else if (datatype.isFloat()) {
            putDouble(v.doubleValue());
        } else if (datatype == DataType.BOOL || datatype == DataType.BYTES) {
            throw mismatch(v.toString());
        } else {
            throw outOfRange(v.toString());
        }
    }

    public void putDouble(double v) {
        switch (datatype) {
            case FP16 -> next().putShort(Float.floatToFloat16((float) v));
            case BF16 -> next().putShort(dev.ember.tensor.spi.HalfFloats.floatToBf16((float) v));
            case FP32 -> next().putFloat((float) v);
            case FP64 -> next().putDouble(v);
            case BOOL, BYTES -> throw mismatch(String.valueOf(v));
            default -> throw ServingException.invalid("input '" + name + "' is " + datatype + ": expected an integer but got " + v);
        }
    }

    public void putBytes(byte[] v) {
        if (datatype != DataType.BYTES) throw mismatch("a string");
        if (count == numel) throw tooMany();
        count++;
        limits.checkBytes("input '" + name + "'", (long) variable.size() + 4 + v.length);
        byte[] len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v.length).array();
        variable.writeBytes(len);
        variable.writeBytes(v);
    }

    public InferTensor finish() {
        if (count != numel)
            throw ServingException.invalid("input '" + name + "': shape " + Arrays.toString(shape) + " needs " + numel
                    + " elements but the data holds " + count);
        ByteBuffer bytes = fixed != null ? fixed.flip() : ByteBuffer.wrap(variable.toByteArray());
        return InferTensor.trusted(name, datatype, shape, numel, bytes);
    }

    private void putInteger(long v, String text) {
        long lo, hi;
        switch (datatype) {
            case INT8 -> { lo = Byte.MIN_VALUE; hi = Byte.MAX_VALUE; }
            case UINT8 -> { lo = 0; hi = 0xFF; }
            case INT16 -> { lo = Short.MIN_VALUE; hi = Short.MAX_VALUE; }
            case UINT16 -> { lo = 0; hi = 0xFFFF; }
            case INT32 -> { lo = Integer.MIN_VALUE; hi = Integer.MAX_VALUE; }
            case UINT32 -> { lo = 0; hi = 0xFFFFFFFFL; }
            default -> { lo = Long.MIN_VALUE; hi = Long.MAX_VALUE; }
        }
        if (v < lo || v > hi) throw outOfRange(text);
        ByteBuffer b = next();
        switch (datatype.size()) {
            case 1 -> b.put((byte) v);
            case 2 -> b.putShort((short) v);
            case 4 -> b.putInt((int) v);
            default -> b.putLong(v);
        }
    }

    private ByteBuffer next() {
        if (count == numel) throw tooMany();
        count++;
        return fixed;
    }

    private ServingException tooMany() {
        return ServingException.invalid("input '" + name + "': shape " + Arrays.toString(shape) + " needs " + numel
                + " elements but the data holds more");
    }

    private ServingException mismatch(String got) {
        String want = switch (datatype) {
            case BOOL -> "true or false";
            case BYTES -> "a string";
            default -> "a number";
        };
        return ServingException.invalid("input '" + name + "' is " + datatype + ": expected " + want + " but got " + got);
    }

    private ServingException outOfRange(String v) {
        return ServingException.invalid("input '" + name + "': value " + v + " is out of range for " + datatype);
    }
}
