package dev.ember.serving;

import dev.ember.io.LoadLimits;
import dev.ember.model.LoadedModel;
import dev.ember.model.ModelSignature;
import dev.ember.model.ModelSpec;
import dev.ember.model.TensorSignature;
import dev.ember.model.Weights;
import dev.ember.tensor.Backends;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves what tools/export_model.py writes (docs/model-format.md): the architecture from {@code <version>/model.json}
 * or {@code <model>/model.json}, the weights from {@code <version>/model.pt}, {@code model.pth} or
 * {@code model.safetensors}, through {@link LoadedModel}. Before anything runs, config.json's inputs and outputs are
 * checked against model.json's signature, so a config that cannot fit the model fails the load, not the requests.
 */
@ApplicationScoped
public class SpecModelLoader implements ModelLoader {
    /** config.json's {@code platform} for this loader (optional: the files identify it). */
    public static final String PLATFORM = "ember_pytorch";

    @Override
    public String platform() { return PLATFORM; }

    @Override
    public String expectedFiles() {
        return "model.json (beside config.json or in the version folder) and one weights file " + Weights.FILE_NAMES + " in the version folder";
    }

    @Override
    public boolean accepts(Path versionDir, ModelConfig config) {
        if (specFile(versionDir) == null) return false;
        for (String n : Weights.FILE_NAMES) if (Files.isRegularFile(versionDir.resolve(n))) return true;
        return false;
    }

    @Override
    public Servable load(ModelConfig config, long version, Path versionDir, String device) throws IOException {
        Path specFile = specFile(versionDir);
        if (specFile == null)
            throw ServingException.invalid("no model.json in " + versionDir + " or " + versionDir.getParent() + " (export the model with tools/export_model.py)");
        ModelSpec spec = ModelSpec.read(specFile);
        checkSignature(config, spec.signature(), specFile);
        LoadedModel model = LoadedModel.load(spec, Weights.find(versionDir), LoadLimits.DEFAULT, device(device));
        return new SpecServable(model, device(device));
    }

    /** The version's own model.json, else the model's; null when neither exists. */
    static Path specFile(Path versionDir) {
        Path own = versionDir.resolve("model.json");
        if (Files.isRegularFile(own)) return own;
        Path shared = versionDir.getParent() == null ? null : versionDir.getParent().resolve("model.json");
        return shared != null && Files.isRegularFile(shared) ? shared : null;
    }

    /**
     * config.json must declare exactly the model's inputs (forward needs every one) and a subset of its outputs,
     * each with a dtype and dims that fit model.json's (dims without the batch dim when max_batch_size &gt; 0).
     */
    static void checkSignature(ModelConfig config, ModelSignature sig, Path specFile) {
        List<String> problems = new ArrayList<>();
        for (TensorSpec in : config.inputs()) {
            TensorSignature s = sig.input(in.name());
            if (s == null) problems.add("input '" + in.name() + "' is not an input of the model (model.json has " + names(sig.inputs()) + ")");
            else fits(in, s, config.batching(), problems);
        }
        for (TensorSignature s : sig.inputs())
            if (config.input(s.name()).isEmpty()) problems.add("model input '" + s.name() + "' (" + s + ") is missing from config.json's input list");
        for (TensorSpec out : config.outputs()) {
            TensorSignature s = sig.output(out.name());
            if (s == null) problems.add("output '" + out.name() + "' is not an output of the model (model.json has " + names(sig.outputs()) + ")");
            else fits(out, s, config.batching(), problems);
        }
        if (!problems.isEmpty())
            throw ServingException.invalid("config.json does not fit " + specFile + ": " + String.join("; ", problems));
    }

    /** config.json's datatypes all have an Ember dtype: ModelConfigReader refuses the others. */
    private static void fits(TensorSpec decl, TensorSignature s, boolean batched, List<String> problems) {
        String why = s.mismatch(decl.datatype().dtype(), decl.dims(), batched);
        if (why != null) problems.add(why);
    }

    private static List<String> names(List<TensorSignature> sigs) { return sigs.stream().map(TensorSignature::name).toList(); }

    /** {@code auto} is the GPU when one is present, else the CPU; otherwise PyTorch's device strings. */
    static Device device(String s) {
        if (s == null || s.isBlank() || s.equalsIgnoreCase("auto")) return Backends.cudaAvailable() ? Device.cuda(0) : Device.CPU;
        try {
            return Device.parse(s);
        } catch (IllegalArgumentException e) {
            throw ServingException.invalid("device '" + s + "': " + e.getMessage() + " (use auto, cpu, cuda or cuda:N)");
        }
    }

    /** One immutable model version; the batcher calls it from a single thread, under no-grad. */
    private record SpecServable(LoadedModel model, Device device) implements Servable {
        @Override
        public Map<String, Tensor> infer(Map<String, Tensor> inputs) {
            Map<String, Tensor> in = inputs;
            if (!device.isCpu()) {
                in = new LinkedHashMap<>();
                for (Map.Entry<String, Tensor> e : inputs.entrySet()) in.put(e.getKey(), e.getValue().to(device));
            }
            return model.forward(in);
        }
    }
}
