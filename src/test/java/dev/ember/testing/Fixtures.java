package dev.ember.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HostStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Golden fixtures written by {@code tools/fixtures/make_fixtures.py} with real PyTorch: safetensors files under
 * {@code src/test/resources/fixtures/}, whose metadata lists the cases (see fixturelib.py for the format).
 * Tests read them with this small independent reader, so a bug in Ember's own safetensors code cannot
 * hide a bug in the ops.
 */
public final class Fixtures {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, FixtureFile> CACHE = new ConcurrentHashMap<>();

    private Fixtures() {}

    public static FixtureFile load(String family) {
        return CACHE.computeIfAbsent(family, Fixtures::read);
    }

    /** One fixture file: its tensors by name and its cases in order. */
    public record FixtureFile(String family, Map<String, Tensor> tensors, List<FixtureCase> cases, Map<String, String> metadata) {
        public Tensor tensor(String name) {
            Tensor t = tensors.get(name);
            if (t == null) throw new IllegalArgumentException("fixture " + family + " has no tensor " + name);
            return t.clone();
        }
    }

    /** One recorded call; see fixturelib.Family.add. */
    public record FixtureCase(String id, String op, JsonNode kwargs, List<CaseInput> inputs, List<String> outputs, List<String> gouts,
                              List<String> grads, Double rtol, Double atol, String error, boolean gradcheck, String note) {
        @Override
        public String toString() { return id + (note == null ? "" : " (" + note + ")"); }
    }

    public record CaseInput(String name, JsonNode view, boolean grad) {}

    /**
     * A metadata entry of a fixture file, parsed as JSON: for families that store their own layout instead of
     * op cases (e.g. the optimizer trajectories under "trajectories", see tools/fixtures/trainlib.py).
     */
    public static JsonNode metadata(String family, String key) {
        String path = "/fixtures/" + family + ".safetensors";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + path + " on the test class path (run tools/fixtures/make_fixtures.py)");
            byte[] head = in.readNBytes(8);
            int headerLen = (int) ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            JsonNode meta = JSON.readTree(new String(in.readNBytes(headerLen), java.nio.charset.StandardCharsets.UTF_8)).get("__metadata__");
            if (meta == null || !meta.has(key)) throw new IllegalArgumentException("fixture " + family + " has no metadata " + key);
            return JSON.readTree(meta.get(key).asText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fixture file outside the class path, e.g. a larger set of fuzz programs made locally. */
    public static FixtureFile loadFile(java.nio.file.Path file) {
        try {
            return parse(file.getFileName().toString(), java.nio.file.Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The metadata entry {@code key} of a fixture file, parsed as JSON. */
    public static JsonNode metadata(FixtureFile file, String key) {
        String text = file.metadata().get(key);
        if (text == null) throw new IllegalArgumentException("fixture " + file.family() + " has no metadata " + key);
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FixtureFile read(String family) {
        String path = "/fixtures/" + family + ".safetensors";
        try (InputStream in = Fixtures.class.getResourceAsStream(path)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + path + " on the test class path (run tools/fixtures/make_fixtures.py)");
            return parse(family, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FixtureFile parse(String family, byte[] all) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        int headerLen = (int) bb.getLong(0);
        JsonNode header = JSON.readTree(new String(all, 8, headerLen, java.nio.charset.StandardCharsets.UTF_8));
        int dataStart = 8 + headerLen;
        Map<String, Tensor> tensors = new HashMap<>();
        var names = header.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (name.equals("__metadata__")) continue;
            JsonNode e = header.get(name);
            DType dtype = dtypeOf(e.get("dtype").asText());
            int[] shape = new int[e.get("shape").size()];
            for (int i = 0; i < shape.length; i++) shape[i] = e.get("shape").get(i).asInt();
            long from = e.get("data_offsets").get(0).asLong();
            int count = dev.ember.tensor.Shape.numel(shape);
            HostStorage h = HostStorage.allocate(dtype, count, dev.ember.tensor.Backends.cpu());
            h.fromBytes(ByteBuffer.wrap(all, dataStart + (int) from, count * dtype.itemSize()), 0, count);
            tensors.put(name, Tensor.of(h, dev.ember.tensor.Layout.contiguous(shape)));
        }
        List<FixtureCase> cases = new ArrayList<>();
        JsonNode meta = header.get("__metadata__");
        if (meta != null && meta.has("cases")) {
            for (JsonNode c : JSON.readTree(meta.get("cases").asText())) cases.add(toCase(c));
        }
        Map<String, String> metadata = new HashMap<>();
        if (meta != null) meta.fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        return new FixtureFile(family, Map.copyOf(tensors), List.copyOf(cases), Map.copyOf(metadata));
    }

    private static FixtureCase toCase(JsonNode c) {
        List<CaseInput> inputs = new ArrayList<>();
        for (JsonNode i : c.get("inputs")) inputs.add(new CaseInput(i.get("name").asText(), i.get("view"), i.get("grad").asBoolean()));
        return new FixtureCase(c.get("id").asText(), c.get("op").asText(), c.get("kwargs"), inputs, strings(c.get("outputs")),
                strings(c.get("gouts")), strings(c.get("grads")), c.has("rtol") ? c.get("rtol").asDouble() : null,
                c.has("atol") ? c.get("atol").asDouble() : null, c.has("error") ? c.get("error").asText() : null,
                !c.has("gradcheck") || c.get("gradcheck").asBoolean(), c.has("note") ? c.get("note").asText() : null);
    }

    private static List<String> strings(JsonNode n) {
        if (n == null) return List.of();
        List<String> out = new ArrayList<>();
        for (JsonNode s : n) out.add(s.isNull() ? null : s.asText());
        return out;
    }

    static DType dtypeOf(String code) {
        return switch (code) {
            case "F32" -> DType.FLOAT32;
            case "F64" -> DType.FLOAT64;
            case "F16" -> DType.FLOAT16;
            case "BF16" -> DType.BFLOAT16;
            case "I64" -> DType.INT64;
            case "I32" -> DType.INT32;
            case "I16" -> DType.INT16;
            case "I8" -> DType.INT8;
            case "U8" -> DType.UINT8;
            case "BOOL" -> DType.BOOL;
            default -> throw new IllegalArgumentException("unknown safetensors dtype " + code);
        };
    }
}
