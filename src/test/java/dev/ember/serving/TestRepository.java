package dev.ember.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Writes model repositories for tests: config.json plus version directories holding servable.json (see {@link TestModelLoader}). */
public final class TestRepository {
    private TestRepository() {}

    /** A fresh temporary repository, removed when the JVM exits. */
    public static Path temp() {
        try {
            Path root = Files.createTempDirectory("ember-repo-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
            return root;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void config(Path root, String model, String configJson) {
        write(root.resolve(model).resolve("config.json"), configJson);
    }

    public static void version(Path root, String model, long version, String servableJson) {
        write(root.resolve(model).resolve(Long.toString(version)).resolve("servable.json"), servableJson);
    }

    public static void delete(Path p) {
        if (!Files.exists(p)) return;
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config for a model with one FP32 input x and one FP32 output y. */
    public static String xy(int maxBatchSize, String dims, String extra) {
        return "{\"max_batch_size\": " + maxBatchSize + ", \"input\": [{\"name\": \"x\", \"data_type\": \"TYPE_FP32\", \"dims\": " + dims + "}],"
                + " \"output\": [{\"name\": \"y\", \"data_type\": \"TYPE_FP32\", \"dims\": " + dims + "}]" + (extra.isEmpty() ? "" : ", " + extra) + "}";
    }

    /**
     * The repository the Quarkus test suites serve: linear (two fixture versions, policy all), echo (y = x + 1000),
     * types (identity over every Ember datatype), typed (the same without FP16/BF16), slow (300 ms, queue of 2), failing, bad_output, broken (cannot
     * load) and swap (versions added and removed by the concurrency tests); and real PyTorch-made models from the
     * bundled example repository ({@link ExampleModels}): digits, lenet and digits_swap (a copy of digits whose
     * versions the tests change).
     */
    public static Path standard() {
        Path root = temp();
        config(root, "linear", "{\"max_batch_size\": 8, \"dynamic_batching\": {\"max_queue_delay_microseconds\": 1000},"
                + " \"input\": [{\"name\": \"x\", \"data_type\": \"TYPE_FP32\", \"dims\": [4]}],"
                + " \"output\": [{\"name\": \"y\", \"data_type\": \"TYPE_FP32\", \"dims\": [3]}], \"version_policy\": {\"all\": {}}}");
        version(root, "linear", 1, "{\"kind\": \"linear_relu\", \"case\": 0}");
        version(root, "linear", 2, "{\"kind\": \"linear_relu\", \"case\": 1}");
        config(root, "echo", xy(64, "[2]", "\"dynamic_batching\": {\"max_queue_delay_microseconds\": 20000}"));
        version(root, "echo", 1, "{\"kind\": \"offset\", \"offset\": 1000}");
        config(root, "types", identityConfig("BOOL", "UINT8", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64"));
        version(root, "types", 1, "{\"kind\": \"identity\"}");
        // the datatypes that have typed gRPC contents (FP16 and BF16 travel raw only)
        config(root, "typed", identityConfig("BOOL", "UINT8", "INT8", "INT16", "INT32", "INT64", "FP32", "FP64"));
        version(root, "typed", 1, "{\"kind\": \"identity\"}");
        config(root, "slow", xy(1, "[1]", "\"dynamic_batching\": {\"default_queue_policy\": {\"max_queue_size\": 2}}"));
        version(root, "slow", 1, "{\"kind\": \"sleep\", \"ms\": 300}");
        config(root, "failing", xy(0, "[1]", ""));
        version(root, "failing", 1, "{\"kind\": \"throw\"}");
        config(root, "bad_output", xy(0, "[1]", ""));
        version(root, "bad_output", 1, "{\"kind\": \"wrong_dtype\"}");
        config(root, "broken", xy(0, "[1]", ""));
        version(root, "broken", 1, "{\"kind\": \"load_fails\"}");
        config(root, "swap", xy(16, "[2]", "\"dynamic_batching\": {\"max_queue_delay_microseconds\": 2000}"));
        version(root, "swap", 1, "{\"kind\": \"offset\", \"offset\": 1000}");
        ExampleModels.copy("digits", root, "digits");
        ExampleModels.copy("lenet", root, "lenet");
        ExampleModels.copy("digits", root, "digits_swap");
        return root;
    }

    /** An unbatched model with one input in_&lt;type&gt; (dims [-1]) per datatype, echoed to out_&lt;type&gt;. */
    private static String identityConfig(String... datatypes) {
        StringBuilder in = new StringBuilder(), out = new StringBuilder();
        for (String t : datatypes) {
            String n = t.toLowerCase();
            in.append(in.isEmpty() ? "" : ", ").append("{\"name\": \"in_").append(n).append("\", \"data_type\": \"TYPE_").append(t).append("\", \"dims\": [-1]}");
            out.append(out.isEmpty() ? "" : ", ").append("{\"name\": \"out_").append(n).append("\", \"data_type\": \"").append(t).append("\", \"dims\": [-1]}");
        }
        return "{\"max_batch_size\": 0, \"input\": [" + in + "], \"output\": [" + out + "]}";
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
