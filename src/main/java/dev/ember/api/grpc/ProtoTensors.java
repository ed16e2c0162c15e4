package dev.ember.api.grpc;

import com.google.protobuf.ByteString;
import dev.ember.api.grpc.proto.InferTensorContents;
import dev.ember.serving.DataType;
import dev.ember.serving.InferTensor;
import dev.ember.serving.ServingException;
import dev.ember.serving.TensorLimits;
import dev.ember.serving.TensorWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Tensor data between protobuf and {@link InferTensor}: typed {@code InferTensorContents} (one repeated field
 * per datatype family, research/serving.md §1.7) or raw little-endian bytes.
 */
final class ProtoTensors {
    private ProtoTensors() {}

    /** Decodes typed contents; FP16 and BF16 exist only as raw bytes. */
    static InferTensor fromContents(String name, DataType datatype, long[] shape, InferTensorContents c, TensorLimits limits) {
        String field = switch (datatype) {
            case BOOL -> "bool_contents";
            case INT8, INT16, INT32 -> "int_contents";
            case INT64 -> "int64_contents";
            case UINT8, UINT16, UINT32 -> "uint_contents";
            case UINT64 -> "uint64_contents";
            case FP32 -> "fp32_contents";
            case FP64 -> "fp64_contents";
            case BYTES -> "bytes_contents";
            case FP16, BF16 -> throw ServingException.invalid("input '" + name + "' is " + datatype
                    + ", which has no typed contents: send it in raw_input_contents");
        };
        List<String> others = new ArrayList<>();
        if (c.getBoolContentsCount() > 0) others.add("bool_contents");
        if (c.getIntContentsCount() > 0) others.add("int_contents");
        if (c.getInt64ContentsCount() > 0) others.add("int64_contents");
        if (c.getUintContentsCount() > 0) others.add("uint_contents");
        if (c.getUint64ContentsCount() > 0) others.add("uint64_contents");
        if (c.getFp32ContentsCount() > 0) others.add("fp32_contents");
        if (c.getFp64ContentsCount() > 0) others.add("fp64_contents");
        if (c.getBytesContentsCount() > 0) others.add("bytes_contents");
        others.remove(field);
        if (!others.isEmpty())
            throw ServingException.invalid("input '" + name + "' is " + datatype + ", so its data belongs in " + field + ", not " + String.join(", ", others));
        TensorWriter w = TensorWriter.create(name, datatype, shape, limits);
        switch (datatype) {
            case BOOL -> c.getBoolContentsList().forEach(w::putBoolean);
            case INT8, INT16, INT32 -> c.getIntContentsList().forEach(v -> w.putLong(v));
            case INT64 -> c.getInt64ContentsList().forEach(w::putLong);
            case UINT8, UINT16, UINT32 -> c.getUintContentsList().forEach(v -> w.putLong(Integer.toUnsignedLong(v)));
            case UINT64 -> c.getUint64ContentsList().forEach(w::putUnsignedLong);
            case FP32 -> c.getFp32ContentsList().forEach(v -> w.putDouble(v));
            case FP64 -> c.getFp64ContentsList().forEach(w::putDouble);
            case BYTES -> c.getBytesContentsList().forEach(b -> w.putBytes(b.toByteArray()));
            default -> throw new IllegalStateException();
        }
        return w.finish();
    }

    static ByteString raw(InferTensor t) { return ByteString.copyFrom(t.data()); }

    static InferTensorContents contents(InferTensor t) {
        InferTensorContents.Builder b = InferTensorContents.newBuilder();
        int n = t.numel();
        switch (t.datatype()) {
            case BOOL -> { for (int i = 0; i < n; i++) b.addBoolContents(t.getBool(i)); }
            case INT8, INT16, INT32 -> { for (int i = 0; i < n; i++) b.addIntContents((int) t.getLong(i)); }
            case INT64 -> { for (int i = 0; i < n; i++) b.addInt64Contents(t.getLong(i)); }
            case UINT8, UINT16, UINT32 -> { for (int i = 0; i < n; i++) b.addUintContents((int) t.getLong(i)); }
            case UINT64 -> { for (int i = 0; i < n; i++) b.addUint64Contents(t.getLong(i)); }
            case FP32 -> { for (int i = 0; i < n; i++) b.addFp32Contents((float) t.getDouble(i)); }
            case FP64 -> { for (int i = 0; i < n; i++) b.addFp64Contents(t.getDouble(i)); }
            case BYTES -> t.byteElements().forEach(e -> b.addBytesContents(ByteString.copyFrom(e)));
            case FP16, BF16 -> throw new IllegalStateException(t.datatype() + " is always sent raw");
        }
        return b.build();
    }
}
