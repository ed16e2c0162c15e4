package dev.ember.serving;

import dev.ember.io.SafeTensors;
import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The bundled example repository (examples/models: digits, trained on scikit-learn's digits, and the tutorials'
 * LeNet, both exported from real PyTorch) and what PyTorch computed with them: tools/example_fixtures.py wrote
 * src/test/resources/serving/examples.safetensors ({@code digits.input}, {@code digits.output},
 * {@code digits_v2.output}, {@code lenet.input}, {@code lenet.output}) and digits-v2.safetensors (a second set of
 * digits weights).
 */
public final class ExampleModels {
    /** The repository `bin/ember serve` serves by default (tests run in the project folder). */
    public static final Path REPOSITORY = Path.of("examples/models").toAbsolutePath();
    private static volatile Map<String, Tensor> fixture;

    private ExampleModels() {}

    /** PyTorch's inputs and outputs, by name. */
    public static Map<String, Tensor> fixture() {
        if (fixture == null) {
            try {
                fixture = SafeTensors.load(resource("examples.safetensors")).tensors();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return fixture;
    }

    public static Tensor tensor(String name) {
        Tensor t = fixture().get(name);
        if (t == null) throw new IllegalArgumentException("no " + name + " in examples.safetensors (" + fixture().keySet() + ")");
        return t;
    }

    /** Row {@code i} of a fixture tensor, keeping the batch dim: shape [1, ...]. */
    public static Tensor row(String name, int i) { return tensor(name).narrow(0, i, 1).contiguous(); }

    /** The second digits version's weights (a safetensors state_dict). */
    public static Path digitsV2Weights() { return resource("digits-v2.safetensors"); }

    /** Copies example model {@code name} (config.json, model.json, version folders) into {@code root} as {@code as}, renaming it in config.json. */
    public static void copy(String name, Path root, String as) {
        Path from = REPOSITORY.resolve(name), to = root.resolve(as);
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) Files.createDirectories(target);
                else Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Path config = to.resolve("config.json");
            Files.writeString(config, Files.readString(config).replace("\"name\": \"" + name + "\"", "\"name\": \"" + as + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path resource(String file) {
        try {
            return Path.of(ExampleModels.class.getResource("/serving/" + file).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource serving/" + file + " (run /usr/bin/python3 tools/example_fixtures.py)", e);
        }
    }
}
