package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** safetensors with the reference implementation's validation rules (and its error names), plus duplicate-key refusal. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    static byte[] file(String header, int dataBytes) {
        return file(header.getBytes(StandardCharsets.UTF_8), dataBytes);
    }

    static byte[] file(byte[] header, int dataBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.writeBytes(header);
        out.writeBytes(new byte[dataBytes]);
        return out.toByteArray();
    }

    private Path write(byte[] bytes) throws Exception {
        return Files.write(dir.resolve("f" + System.nanoTime() + ".safetensors"), bytes);
    }

    private void refused(byte[] bytes, String message) throws Exception {
        Path f = write(bytes);
        assertThatThrownBy(() -> SafeTensors.load(f)).isInstanceOf(ModelFormatException.class).hasMessageContaining(message);
    }

    @Test
    void roundTripKeepsValuesShapesAndMetadata() throws Exception {
        Tensor base = Tensor.arange(0.0, 12.0, 1.0);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("t", base.view(3, 4).t());          // a view: written as its values
        tensors.put("same", base);                      // shares base's storage: written as a copy
        tensors.put("scalar", Tensor.scalar(2.5, DType.FLOAT64));
        tensors.put("empty", Tensor.zeros(0, 4));
        for (DType d : DType.values()) tensors.put("as_" + d.pyName(), Tensor.arange(0.0, 4.0, 1.0).to(d));
        Path f = dir.resolve("m.safetensors");
        SafeTensors.save(tensors, Map.of("format", "pt"), f);
        assertThat(Files.size(f) % 1).isZero();
        assertThat(ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).getLong() % 8).isZero();
        SafeTensors.Contents c = SafeTensors.load(f);
        assertThat(c.metadata()).containsExactly(Map.entry("format", "pt"));
        assertThat(c.tensors().keySet()).containsExactlyInAnyOrderElementsOf(tensors.keySet());
        for (var e : tensors.entrySet()) {
            Tensor got = c.tensors().get(e.getKey());
            assertThat(got.shape()).as(e.getKey()).isEqualTo(e.getValue().shape());
            assertThat(got.dtype()).as(e.getKey()).isEqualTo(e.getValue().dtype());
            assertThat(got.toDoubleArray()).as(e.getKey()).isEqualTo(e.getValue().toDoubleArray());
        }
    }

    @Test
    void whatTheReferenceAcceptsIsAccepted() throws Exception {
        assertThat(SafeTensors.load(write(file("{}", 0))).tensors()).isEmpty();
        // leading whitespace, a header length that is not a multiple of 8, unknown extra fields, null metadata
        Path f = write(file("  {\"__metadata__\":null,\"a\":{\"dtype\":\"I32\",\"shape\":[],\"data_offsets\":[0,4],\"extra\":1}}", 4));
        assertThat(SafeTensors.load(f).tensors().get("a").dim()).isZero();
    }

    @Test
    void headerProblemsAreRefusedWithTheReferenceErrorNames() throws Exception {
        refused(new byte[5], "HeaderTooSmall");
        refused(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_001).array(), "HeaderTooLarge");
        refused(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array(), "HeaderTooLarge");
        refused(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array(), "InvalidHeaderLength");
        refused(file(new byte[] {'{', (byte) 0xFF, '}'}, 0), "not valid UTF-8");
        refused(file("[1]", 0), "must be a JSON object");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8),
                "duplicate key \"a\"");
        refused(file("{\"a\":{\"dtype\":\"F128\",\"shape\":[1],\"data_offsets\":[0,16]}}", 16), "unknown dtype F128");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", 4), "non-negative integers");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", 4), "non-negative integers");
        refused(file("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", 4), "no string dtype");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", 4), "array of 2");
        refused(file("{\"__metadata__\":{\"k\":1}}", 0), "is not a string");
    }

    @Test
    void offsetsMustTileTheDataExactly() throws Exception {
        String two = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[%d,%d]}}";
        assertThat(SafeTensors.load(write(file(two.formatted(4, 8, 0, 4), 8))).tensors()).hasSize(2);
        refused(file(two.formatted(0, 4, 8, 12), 12), "InvalidOffset");      // gap
        refused(file(two.formatted(0, 4, 2, 6), 6), "InvalidOffset");        // overlap
        refused(file(two.formatted(0, 4, 0, 4), 4), "InvalidOffset");        // the same bytes twice
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,0]}}", 4), "InvalidOffset");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4), "TensorInvalidInfo");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 5), "MetadataIncompleteBuffer");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 3), "MetadataIncompleteBuffer");
        refused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296,4294967296],\"data_offsets\":[0,4]}}", 4), "ValidationOverflow");
        refused(file("{\"a\":{\"dtype\":\"F4\",\"shape\":[3],\"data_offsets\":[0,2]}}", 2), "MisalignedSlice");
    }

    @Test
    void validFilesWithTypesEmberLacksAreRefusedByName() throws Exception {
        refused(file("{\"a\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2), "dtype F8_E4M3, which Ember does not support");
        byte[] bools = file("{\"a\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", 0);
        byte[] withData = java.util.Arrays.copyOf(bools, bools.length + 2);
        withData[withData.length - 1] = 2;
        refused(withData, "invalid bool value 2");
    }

    @Test
    void writerRefusesTheReservedName() {
        assertThatThrownBy(() -> SafeTensors.save(Map.of("__metadata__", Tensor.ones(1)), dir.resolve("x.safetensors")))
                .hasMessageContaining("__metadata__");
        assertThat(List.of(dir.toFile().list())).isEmpty(); // nothing left behind
    }
}
