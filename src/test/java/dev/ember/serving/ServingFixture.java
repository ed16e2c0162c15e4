package dev.ember.serving;

import dev.ember.tensor.Tensor;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/** A ModelManager and InferenceService over a temporary repository, for tests that need no Quarkus. */
final class ServingFixture implements AutoCloseable {
    final Path root = TestRepository.temp();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ModelManager manager;
    final InferenceService inference;

    ServingFixture(ControlMode mode, List<String> startupModels, ModelLoader... loaders) {
        List<ModelLoader> l = loaders.length == 0 ? List.of(new TestModelLoader()) : List.of(loaders);
        manager = new ModelManager(new ModelRepository(root), new ModelLoaders(l), new ModelManager.Settings(mode, startupModels, "cpu", 1024), registry);
        inference = new InferenceService(manager, Executors.newVirtualThreadPerTaskExecutor());
    }

    ServingFixture() { this(ControlMode.EXPLICIT, List.of()); }

    /** A request with one FP32 input x of shape [rows, values.length / rows], or [values.length] when rows is 0 (unbatched models). */
    static InferRequest xRequest(String model, String version, int rows, float... values) {
        Tensor x = rows == 0 ? Tensor.fromArray(values.clone(), values.length) : Tensor.fromArray(values.clone(), rows, values.length / rows);
        return new InferRequest(model, version, "r", Map.of(), List.of(InferTensor.fromTensor("x", x)), List.of());
    }

    /** The FP32 values of the first output. */
    static float[] y(InferResponse r) { return r.outputs().getFirst().toTensor().toFloatArray(); }

    @Override
    public void close() {
        manager.close();
        TestRepository.delete(root);
    }
}
