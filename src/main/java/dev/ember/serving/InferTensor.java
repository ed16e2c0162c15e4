package dev.ember.serving;

import dev.ember.tensor.Backends;
import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HalfFloats;
import dev.ember.tensor.spi.HostStorage;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A named tensor as the protocol carries it: datatype, shape and row-major little-endian bytes (BYTES
 * elements each prefixed by a 4-byte length), the form of Triton's binary extension and gRPC raw contents.
 * Keeping one wire form makes batching a byte concatenation and lets both protocols share every check.
 * Instances are immutable; {@link #data()} hands out a fresh read-only view.
 */
public final class InferTensor {
    private final String name;
    private final DataType datatype;
    private final long[] shape;
    private final int numel;
    private final ByteBuffer data;

    private InferTensor(String name, DataType datatype, long[] shape, int numel, ByteBuffer data) {
        this.name = name;
        this.datatype = datatype;
        this.shape = shape;
        this.numel = numel;
        this.data = data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Wraps raw bytes (binary extension, gRPC raw contents) after checking they match the shape exactly. */
    public static InferTensor ofRaw(String name, DataType datatype, long[] shape, ByteBuffer raw, TensorLimits limits) {
        String what = "input '" + name + "'";
        int numel = limits.checkShape(what, datatype, shape);
        ByteBuffer bytes = raw.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (datatype == DataType.BYTES) {
            limits.checkBytes(what, bytes.remaining());
            int count = countByteElements(bytes, what);
            if (count != numel)
                throw ServingException.invalid(what + ": shape " + Arrays.toString(shape) + " needs " + numel + " BYTES elements but the data holds " + count);
        } else {
            long need = (long) numel * datatype.size();
            if (bytes.remaining() != need)
                throw ServingException.invalid(what + ": shape " + Arrays.toString(shape) + " of " + datatype + " needs " + need
                        + " bytes of data but " + bytes.remaining() + " were given");
        }
        return new InferTensor(name, datatype, shape.clone(), numel, bytes);
    }

    /** Trusted construction from bytes already in wire form (the writer, batching). */
    static InferTensor trusted(String name, DataType datatype, long[] shape, int numel, ByteBuffer bytes) {
        return new InferTensor(name, datatype, shape, numel, bytes);
    }

    /** The wire form of an Ember tensor, under the given name. */
    public static InferTensor fromTensor(String name, Tensor t) {
        HostStorage h = t.toHost();
        int[] s = t.shape();
        long[] shape = new long[s.length];
        for (int i = 0; i < s.length; i++) shape[i] = s[i];
        return new InferTensor(name, DataType.of(t.dtype()), shape, t.numel(), ByteBuffer.wrap(h.toBytes(0, t.numel())));
    }

    /** An Ember CPU tensor holding a copy of the data; fails for datatypes Ember tensors cannot hold. */
    public Tensor toTensor() {
        DType dtype = datatype.dtype();
        if (dtype == null) throw ServingException.invalid("tensor '" + name + "' has datatype " + datatype + ", which Ember tensors cannot hold");
        HostStorage h = HostStorage.allocateEmpty(dtype, numel, Backends.cpu()); // fromBytes writes every element
        try {
            h.fromBytes(data(), 0, numel);
        } catch (IllegalArgumentException e) { // a BOOL byte other than 0 or 1
            throw ServingException.invalid("tensor '" + name + "': " + e.getMessage());
        }
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        return Tensor.of(h, Layout.contiguous(s));
    }

    /** Concatenates tensors along dim 0; their other dims must agree (the batcher only merges such requests). */
    public static InferTensor concatRows(String name, List<InferTensor> parts) {
        if (parts.size() == 1) return parts.getFirst();
        InferTensor first = parts.getFirst();
        long rows = 0;
        int numel = 0, bytes = 0;
        for (InferTensor p : parts) {
            rows += p.shape[0];
            numel += p.numel;
            bytes += p.data.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(bytes);
        for (InferTensor p : parts) out.put(p.data());
        long[] shape = first.shape.clone();
        shape[0] = rows;
        return new InferTensor(name, first.datatype, shape, numel, out.flip());
    }

    /** Rows {@code [from, from + count)} along dim 0 of a fixed-width tensor, sharing its bytes. */
    public InferTensor sliceRows(long from, long count) {
        if (datatype == DataType.BYTES) throw new IllegalStateException("cannot slice BYTES tensors by rows");
        int rowNumel = shape[0] == 0 ? 0 : (int) (numel / shape[0]);
        int rowBytes = rowNumel * datatype.size();
        ByteBuffer part = data().position((int) (from * rowBytes)).limit((int) ((from + count) * rowBytes)).slice();
        long[] s = shape.clone();
        s[0] = count;
        return new InferTensor(name, datatype, s, (int) (count * rowNumel), part);
    }

    public String name() { return name; }

    public DataType datatype() { return datatype; }

    public long[] shape() { return shape.clone(); }

    public int rank() { return shape.length; }

    public long dim(int i) { return shape[i]; }

    public int numel() { return numel; }

    /** A read-only little-endian view of the bytes, positioned at 0. */
    public ByteBuffer data() { return data.duplicate().order(ByteOrder.LITTLE_ENDIAN); }

    public int byteSize() { return data.remaining(); }

    /** The same tensor under another name. */
    public InferTensor renamed(String newName) { return new InferTensor(newName, datatype, shape, numel, data); }

    /** Element {@code i} of a BOOL tensor. */
    public boolean getBool(int i) { return data.get(i) != 0; }

    /** Element {@code i} of an integer tensor (UINT64 as its raw 64 bits; read with Long.toUnsignedString). */
    public long getLong(int i) {
        return switch (datatype) {
            case BOOL -> data.get(i) != 0 ? 1 : 0;
            case INT8 -> data.get(i);
            case UINT8 -> data.get(i) & 0xFF;
            case INT16 -> data.getShort(2 * i);
            case UINT16 -> data.getShort(2 * i) & 0xFFFF;
            case INT32 -> data.getInt(4 * i);
            case UINT32 -> data.getInt(4 * i) & 0xFFFFFFFFL;
            case INT64, UINT64 -> data.getLong(8 * i);
            default -> throw new IllegalStateException(datatype + " is not an integer type");
        };
    }

    /** Element {@code i} of a floating tensor. */
    public double getDouble(int i) {
        return switch (datatype) {
            case FP16 -> Float.float16ToFloat(data.getShort(2 * i));
            case BF16 -> HalfFloats.bf16ToFloat(data.getShort(2 * i));
            case FP32 -> data.getFloat(4 * i);
            case FP64 -> data.getDouble(8 * i);
            default -> throw new IllegalStateException(datatype + " is not a floating type");
        };
    }

    /** The elements of a BYTES tensor. */
    public List<byte[]> byteElements() {
        ByteBuffer b = data();
        List<byte[]> out = new ArrayList<>(numel);
        while (b.hasRemaining()) {
            byte[] e = new byte[b.getInt()];
            b.get(e);
            out.add(e);
        }
        return out;
    }

    private static int countByteElements(ByteBuffer b, String what) {
        ByteBuffer r = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int count = 0;
        while (r.hasRemaining()) {
            if (r.remaining() < 4) throw ServingException.invalid(what + ": BYTES data ends inside an element's 4-byte length");
            long len = r.getInt() & 0xFFFFFFFFL;
            if (len > r.remaining()) throw ServingException.invalid(what + ": BYTES element " + count + " claims " + len + " bytes but only " + r.remaining() + " remain");
            r.position(r.position() + (int) len);
            count++;
        }
        return count;
    }

    @Override
    public String toString() { return name + ":" + datatype + Arrays.toString(shape); }
}
