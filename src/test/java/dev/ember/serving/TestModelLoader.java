package dev.ember.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The test suites' model format: a version directory holds {@code servable.json} naming a kind of servable
 * built from real tensor ops. {@code linear_relu} is y = relu(x @ W + b) with W and b recorded by PyTorch in
 * the {@code serving} fixture (one fixture case per model version); the others make batching, routing,
 * failures and draining observable.
 */
@ApplicationScoped
public class TestModelLoader implements ModelLoader {
    public static final String PLATFORM = "ember_test";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Gates that "gate" servables wait on inside infer, by name; tests open them. */
    public static final Map<String, CountDownLatch> GATES = new ConcurrentHashMap<>();
    /** Servables closed by the server, as "model/version". */
    public static final Set<String> CLOSED = ConcurrentHashMap.newKeySet();

    @Override
    public String platform() { return PLATFORM; }

    @Override
    public boolean accepts(Path versionDir, ModelConfig config) { return Files.isRegularFile(versionDir.resolve("servable.json")); }

    @Override
    public Servable load(ModelConfig config, long version, Path versionDir, String device) throws IOException {
        JsonNode spec = JSON.readTree(versionDir.resolve("servable.json").toFile());
        String id = config.name() + "/" + version;
        Servable s = switch (spec.path("kind").asText()) {
            case "linear_relu" -> linearRelu(spec.path("case").asInt());
            case "offset" -> in -> Map.of("y", in.get("x").add(spec.path("offset").asDouble()));
            case "identity" -> TestModelLoader::identity;
            case "sleep" -> in -> {
                sleep(spec.path("ms").asLong());
                return Map.of("y", in.get("x").clone());
            };
            case "gate" -> in -> {
                CountDownLatch gate = GATES.computeIfAbsent(spec.path("gate").asText(), g -> new CountDownLatch(1));
                try {
                    if (!gate.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("gate never opened");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Map.of("y", in.get("x").add(spec.path("offset").asDouble()));
            };
            case "throw" -> in -> { throw new IllegalStateException("model exploded"); };
            case "wrong_dtype" -> in -> Map.of("y", in.get("x").to(DType.FLOAT64));
            case "load_fails" -> throw new IOException("weights file " + versionDir.resolve("model.pt") + " is truncated");
            default -> throw new IOException("unknown servable kind in " + versionDir.resolve("servable.json"));
        };
        return new Servable() {
            @Override
            public Map<String, Tensor> infer(Map<String, Tensor> inputs) { return s.infer(inputs); }

            @Override
            public void close() { CLOSED.add(id); }
        };
    }

    /** y = relu(x @ W + b). */
    static Servable linearRelu(int fixtureCase) {
        Fixtures.FixtureFile f = Fixtures.load("serving");
        Fixtures.FixtureCase c = f.cases().get(fixtureCase);
        Tensor w = f.tensor(c.inputs().get(1).name());
        Tensor b = f.tensor(c.inputs().get(2).name());
        return in -> Map.of("y", in.get("x").matmul(w).add(b).relu());
    }

    private static Map<String, Tensor> identity(Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k.replaceFirst("^in", "out"), v.clone()));
        return out;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
