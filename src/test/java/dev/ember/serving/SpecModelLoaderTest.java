package dev.ember.serving;

import dev.ember.tensor.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.ember.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The model.json + state_dict loader on real PyTorch-made models: the bundled repository served as `bin/ember serve`
 * serves it (control mode none, loaders found by their files) answers as PyTorch does, and every way config.json can
 * disagree with model.json fails the load with a message that says where.
 */
class SpecModelLoaderTest {
    private static final SpecModelLoader LOADER = new SpecModelLoader();

    static InferRequest request(String model, String input, Tensor x) {
        return new InferRequest(model, "", "r", Map.of(), List.of(InferTensor.fromTensor(input, x)), List.of());
    }

    @Test
    void servesTheBundledRepositoryWithPyTorchsOutputs() throws Exception {
        ModelManager manager = new ModelManager(new ModelRepository(ExampleModels.REPOSITORY), new ModelLoaders(List.of(LOADER)),
                new ModelManager.Settings(ControlMode.NONE, List.of(), "auto", 1024), new SimpleMeterRegistry());
        try (manager) {
            manager.start().get(60, TimeUnit.SECONDS);
            assertThat(manager.isReady()).isTrue();
            assertThat(manager.view("digits", "").platform()).isEqualTo(SpecModelLoader.PLATFORM);
            InferenceService inference = new InferenceService(manager, Executors.newVirtualThreadPerTaskExecutor());
            InferResponse digits = inference.infer(request("digits", "input__0", ExampleModels.tensor("digits.input"))).get(30, TimeUnit.SECONDS);
            assertThat(digits.outputs()).extracting(InferTensor::name).containsExactly("output__0");
            assertClose(digits.outputs().getFirst().toTensor(), ExampleModels.tensor("digits.output"), 1e-4, 1e-5, "digits");
            assertThat(digits.outputs().getFirst().toTensor().argmax(1, false).toLongArray())
                    .containsExactly(ExampleModels.tensor("digits.label").toLongArray());
            InferResponse lenet = inference.infer(request("lenet", "x", ExampleModels.tensor("lenet.input"))).get(30, TimeUnit.SECONDS);
            assertClose(lenet.outputs().getFirst().toTensor(), ExampleModels.tensor("lenet.output"), 1e-4, 1e-5, "lenet");
        }
    }

    /** A temporary repository holding a copy of the digits example with the config.json given. */
    static Path digitsWithConfig(String config) throws Exception {
        Path root = TestRepository.temp();
        ExampleModels.copy("digits", root, "digits");
        Files.writeString(root.resolve("digits/config.json"), config);
        return root;
    }

    static String digitsConfig(int maxBatch, String inName, String inType, String inDims, String outName, String outDims) {
        return "{\"max_batch_size\": " + maxBatch + ", \"input\": [{\"name\": \"" + inName + "\", \"data_type\": \"" + inType + "\", \"dims\": " + inDims + "}],"
                + " \"output\": [{\"name\": \"" + outName + "\", \"data_type\": \"TYPE_FP32\", \"dims\": " + outDims + "}]}";
    }

    static void assertLoadFails(String config, String... fragments) throws Exception {
        Path root = digitsWithConfig(config);
        try {
            ModelConfig c = new ModelRepository(root).readConfig("digits");
            assertThatThrownBy(() -> LOADER.load(c, 1, root.resolve("digits/1"), "cpu")).isInstanceOf(ServingException.class)
                    .hasMessageContaining("config.json does not fit " + root.resolve("digits/model.json"))
                    .hasMessageContainingAll(fragments);
        } finally {
            TestRepository.delete(root);
        }
    }

    @Test
    void aConfigThatDoesNotFitTheModelFailsTheLoadSayingWhy() throws Exception {
        assertLoadFails(digitsConfig(64, "input__0", "TYPE_FP32", "[1, 8, 9]", "output__0", "[10]"),
                "'input__0' dim 3 is 8 in model.json but 9 in config.json");
        assertLoadFails(digitsConfig(64, "input__0", "TYPE_FP64", "[1, 8, 8]", "output__0", "[10]"),
                "'input__0' is float32 in model.json but float64 in config.json");
        assertLoadFails(digitsConfig(64, "input__0", "TYPE_FP32", "[-1, 8, 8]", "output__0", "[10]"),
                "'input__0' dim 1 is 1 in model.json but -1 in config.json");
        assertLoadFails(digitsConfig(64, "input__0", "TYPE_FP32", "[8, 8]", "output__0", "[10]"),
                "'input__0' has 3 dims after the batch dim in model.json [1, 8, 8] but 2 in config.json [8, 8]");
        assertLoadFails(digitsConfig(64, "image", "TYPE_FP32", "[1, 8, 8]", "logits", "[10]"),
                "input 'image' is not an input of the model (model.json has [input__0])",
                "model input 'input__0' (input__0: float32[-1, 1, 8, 8]) is missing from config.json's input list",
                "output 'logits' is not an output of the model (model.json has [output__0])");
    }

    @Test
    void anUnbatchedConfigOfTheRightShapeServes() throws Exception {
        Path root = digitsWithConfig(digitsConfig(0, "input__0", "TYPE_FP32", "[-1, 1, 8, 8]", "output__0", "[-1, 10]"));
        try {
            ModelConfig c = new ModelRepository(root).readConfig("digits");
            try (Servable s = LOADER.load(c, 1, root.resolve("digits/1"), "cpu")) {
                Tensor y = s.infer(Map.of("input__0", ExampleModels.tensor("digits.input"))).get("output__0");
                assertClose(y, ExampleModels.tensor("digits.output"), 1e-4, 1e-5, "digits unbatched");
            }
        } finally {
            TestRepository.delete(root);
        }
    }

    @Test
    void versionsMayCarryTheirOwnModelJsonAndSafetensorsWeights() throws Exception {
        Path root = TestRepository.temp();
        try {
            ExampleModels.copy("digits", root, "digits");
            Path v2 = Files.createDirectories(root.resolve("digits/2"));
            Files.copy(ExampleModels.digitsV2Weights(), v2.resolve("model.safetensors"));
            Files.move(root.resolve("digits/model.json"), v2.resolve("model.json"));
            ModelConfig c = new ModelRepository(root).readConfig("digits");
            assertThat(LOADER.accepts(v2, c)).isTrue();
            assertThat(LOADER.accepts(root.resolve("digits/1"), c)).as("version 1 has weights but no model.json reaches it").isFalse();
            try (Servable s = LOADER.load(c, 2, v2, "auto")) {
                assertClose(s.infer(Map.of("input__0", ExampleModels.tensor("digits.input"))).get("output__0"),
                        ExampleModels.tensor("digits_v2.output"), 1e-4, 1e-5, "digits v2");
            }
            ModelLoaders loaders = new ModelLoaders(List.of(LOADER, new TestModelLoader()));
            assertThatThrownBy(() -> loaders.select(c, root.resolve("digits/1"))).isInstanceOf(ServingException.class)
                    .hasMessage("no model loader recognises the files of " + root.resolve("digits/1") + " (it holds [model.pt]); expected "
                            + "ember_pytorch: model.json (beside config.json or in the version folder) and one weights file [model.pt, model.pth,"
                            + " model.safetensors] in the version folder; or ember_test: the files of platform ember_test");
        } finally {
            TestRepository.delete(root);
        }
    }

    @Test
    void badDevicesAndBadWeightsAreLoadErrors() throws Exception {
        Path root = TestRepository.temp();
        try {
            ExampleModels.copy("digits", root, "digits");
            ModelConfig c = new ModelRepository(root).readConfig("digits");
            assertThatThrownBy(() -> LOADER.load(c, 1, root.resolve("digits/1"), "tpu"))
                    .hasMessage("device 'tpu': Expected one of cpu, cuda device type at start of device string: tpu (use auto, cpu, cuda or cuda:N)");
            Files.copy(ExampleModels.digitsV2Weights(), root.resolve("digits/1/model.safetensors"));
            assertThatThrownBy(() -> LOADER.load(c, 1, root.resolve("digits/1"), "cpu"))
                    .hasMessageContaining("more than one weights file [model.pt, model.safetensors]");
            Files.delete(root.resolve("digits/1/model.pt"));
            Files.copy(ExampleModels.REPOSITORY.resolve("lenet/1/model.pt"), root.resolve("digits/1/model.pt"));
            Files.delete(root.resolve("digits/1/model.safetensors"));
            assertThatThrownBy(() -> LOADER.load(c, 1, root.resolve("digits/1"), "cpu"))
                    .hasMessageContaining("Error(s) in loading state_dict");
        } finally {
            TestRepository.delete(root);
        }
    }
}
