package dev.ember.serving;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The wire form of tensors: element coercion and ranges, raw framing, limits, batching by bytes, and Ember tensor round trips. */
class TensorCodecTest {
    static final TensorLimits LIMITS = new TensorLimits(1 << 20);

    @Test
    void integersMustBeIntegralAndInRange() {
        TensorWriter w = TensorWriter.create("a", DataType.UINT64, new long[] {3}, LIMITS);
        w.putLong(1);
        w.putBigInteger(new BigInteger("18446744073709551615"));
        w.putUnsignedLong(-2);
        InferTensor t = w.finish();
        assertThat(Long.toUnsignedString(t.getLong(1))).isEqualTo("18446744073709551615");
        assertThat(Long.toUnsignedString(t.getLong(2))).isEqualTo("18446744073709551614");
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.UINT64, new long[] {1}, LIMITS).putLong(-1)).hasMessageContaining("out of range for UINT64");
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.UINT16, new long[] {1}, LIMITS).putLong(65536)).hasMessageContaining("out of range for UINT16");
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.INT16, new long[] {1}, LIMITS).putLong(-32769)).hasMessageContaining("out of range for INT16");
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.INT64, new long[] {1}, LIMITS).putBigInteger(BigInteger.TWO.pow(63)))
                .hasMessageContaining("out of range for INT64");
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.INT32, new long[] {1}, LIMITS).putDouble(2.0)).hasMessageContaining("expected an integer");
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.BYTES, new long[] {1}, LIMITS).putLong(2)).hasMessageContaining("expected a string but got 2");
    }

    @Test
    void unsignedTypesReadBackUnsigned() {
        TensorWriter w = TensorWriter.create("a", DataType.UINT32, new long[] {2}, LIMITS);
        w.putLong(4294967295L);
        w.putLong(0);
        assertThat(w.finish().getLong(0)).isEqualTo(4294967295L);
        TensorWriter u8 = TensorWriter.create("a", DataType.UINT8, new long[] {1}, LIMITS);
        u8.putLong(200);
        assertThat(u8.finish().toTensor().toLongArray()).containsExactly(200);
    }

    @Test
    void floatsTakeAnyNumber() {
        TensorWriter w = TensorWriter.create("a", DataType.FP16, new long[] {3}, LIMITS);
        w.putLong(2);
        w.putDouble(0.5);
        w.putDouble(Double.NaN);
        InferTensor t = w.finish();
        assertThat(t.getDouble(0)).isEqualTo(2.0);
        assertThat(t.getDouble(1)).isEqualTo(0.5);
        assertThat(t.getDouble(2)).isNaN();
        assertThat(t.toTensor().dtype()).isEqualTo(DType.FLOAT16);
    }

    @Test
    void bytesTensorsUseLengthPrefixes() {
        TensorWriter w = TensorWriter.create("s", DataType.BYTES, new long[] {2}, LIMITS);
        w.putBytes("héllo".getBytes(StandardCharsets.UTF_8));
        w.putBytes(new byte[0]);
        InferTensor t = w.finish();
        assertThat(t.byteElements()).extracting(b -> new String(b, StandardCharsets.UTF_8)).containsExactly("héllo", "");
        InferTensor again = InferTensor.ofRaw("s", DataType.BYTES, new long[] {2}, t.data(), LIMITS);
        assertThat(again.byteSize()).isEqualTo(t.byteSize());
        ByteBuffer bad = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN).putInt(10).put((byte) 1).put((byte) 2).flip();
        assertThatThrownBy(() -> InferTensor.ofRaw("s", DataType.BYTES, new long[] {1}, bad, LIMITS)).hasMessageContaining("claims 10 bytes but only 2 remain");
        assertThatThrownBy(() -> t.toTensor()).hasMessageContaining("Ember tensors cannot hold");
    }

    @Test
    void countsAndLimitsAreCheckedBeforeAllocating() {
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.FP64, new long[] {1 << 18}, LIMITS)).hasMessageContaining("2097152 bytes, over the tensor limit")
                .extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.RESOURCE_EXHAUSTED);
        assertThatThrownBy(() -> TensorWriter.create("a", DataType.FP32, new long[] {1L << 40, 1L << 40}, LIMITS)).hasMessageContaining("more than 2147483647");
        TensorWriter w = TensorWriter.create("a", DataType.INT8, new long[] {2}, LIMITS);
        w.putLong(1);
        assertThatThrownBy(w::finish).hasMessageContaining("needs 2 elements but the data holds 1");
        w.putLong(2);
        assertThatThrownBy(() -> w.putLong(3)).hasMessageContaining("holds more");
    }

    @Test
    void tensorsRoundTripAndBatchByRows() {
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor b = Tensor.fromArray(new float[] {5, 6}, 1, 2);
        InferTensor merged = InferTensor.concatRows("x", List.of(InferTensor.fromTensor("x", a), InferTensor.fromTensor("x", b)));
        assertThat(merged.shape()).containsExactly(3, 2);
        assertThat(merged.toTensor().toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6);
        InferTensor tail = merged.sliceRows(2, 1);
        assertThat(tail.shape()).containsExactly(1, 2);
        assertThat(tail.toTensor().toFloatArray()).containsExactly(5, 6);
        Tensor t = Tensor.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t(); // non-contiguous
        assertThat(InferTensor.fromTensor("t", t).toTensor().toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
        Tensor bools = Tensor.fromArray(new byte[] {1, 0}, DType.BOOL, 2);
        assertThat(InferTensor.fromTensor("b", bools).datatype()).isEqualTo(DataType.BOOL);
    }

    @Test
    void datatypeNames() {
        assertThat(DataType.parseConfig("TYPE_STRING")).isEqualTo(DataType.BYTES);
        assertThat(DataType.parseConfig("type_fp32")).isEqualTo(DataType.FP32);
        assertThat(DataType.BYTES.configName()).isEqualTo("TYPE_STRING");
        assertThatThrownBy(() -> DataType.parse("Fp32")).hasMessageContaining("unknown datatype 'Fp32'");
        for (DType d : DType.values()) assertThat(DataType.of(d).dtype()).isEqualTo(d);
    }
}
