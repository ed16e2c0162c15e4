package dev.ember.model;

import dev.ember.autograd.GradMode;
import dev.ember.io.LoadLimits;
import dev.ember.io.ModelFormatException;
import dev.ember.nn.LoadStateDictException;
import dev.ember.nn.Module;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model built from model.json with its weights loaded: what the serving layer runs and fine-tuning trains.
 *
 * <pre>{@code
 * LoadedModel m = LoadedModel.load(Path.of("models/lenet"), 1);       // models/lenet/model.json + 1/model.pt
 * Map<String, Tensor> out = m.forward(Map.of("x", Tensor.randn(8, 1, 32, 32)));   // {"output": [8, 10]}
 * }</pre>
 *
 * {@link #forward} is inference: eval mode, no grad. For training, {@link #module()} is an ordinary
 * {@link Module} ({@code parameters()}, {@code train()}, {@code stateDict()}) and {@link #call} runs it with
 * autograd recording.
 */
public final class LoadedModel {
    private final ModelSpec spec;
    private final Module module;

    private LoadedModel(ModelSpec spec, Module module) {
        this.spec = spec;
        this.module = module;
    }

    /**
     * Loads version {@code version} of the model in {@code modelDir} (Triton's layout): the architecture from
     * {@code <version>/model.json} if the version has its own, else {@code modelDir/model.json}; the weights from
     * {@code <version>/model.pt}, {@code model.pth} or {@code model.safetensors}.
     */
    public static LoadedModel load(Path modelDir, long version) throws IOException {
        Path versionDir = modelDir.resolve(Long.toString(version));
        if (!Files.isDirectory(versionDir)) throw new ModelFormatException(modelDir + ": no version " + version + " (expected the folder " + versionDir + ")");
        Path spec = Files.isRegularFile(versionDir.resolve("model.json")) ? versionDir.resolve("model.json") : modelDir.resolve("model.json");
        return load(spec, Weights.find(versionDir));
    }

    /** Loads {@code modelJson} with the weights in {@code weightsFile}, with the default limits, on the CPU. */
    public static LoadedModel load(Path modelJson, Path weightsFile) throws IOException {
        return load(ModelSpec.read(modelJson), weightsFile, LoadLimits.DEFAULT, Device.CPU);
    }

    /** Builds the spec's modules, loads the weights strictly (PyTorch's error text on any mismatch), moves the model to {@code device}. */
    public static LoadedModel load(ModelSpec spec, Path weightsFile, LoadLimits limits, Device device) throws IOException {
        Map<String, Tensor> sd = Weights.read(weightsFile, limits);
        try {
            return fromStateDict(spec, sd, device);
        } catch (ModelFormatException e) {
            throw new ModelFormatException(weightsFile + ": " + e.getMessage(), e);
        }
    }

    /** Builds the spec's modules and loads {@code stateDict} into them strictly. */
    public static LoadedModel fromStateDict(ModelSpec spec, Map<String, Tensor> stateDict, Device device) throws ModelFormatException {
        Module module = build(spec);
        try {
            module.loadStateDict(stateDict, true);
        } catch (LoadStateDictException e) {
            throw new ModelFormatException(e.getMessage(), e);
        }
        if (!device.isCpu()) module.to(device);
        module.eval();
        return new LoadedModel(spec, module);
    }

    /** The spec's module tree with freshly initialised parameters (PyTorch's init), before any weights are loaded. */
    public static Module build(ModelSpec spec) throws ModelSpecException {
        Module root = ModuleBuilder.buildRoot(spec);
        if (root instanceof GraphModule g) g.link();
        return root;
    }

    public ModelSpec spec() { return spec; }

    public ModelSignature signature() { return spec.signature(); }

    /** The root module (a {@link GraphModule} when the model has a graph): for training, state_dict, printing. */
    public Module module() { return module; }

    /**
     * Inference: one tensor per declared input, by name; returns every declared output by name. Runs in eval mode
     * under no-grad; inputs must have the declared dtype and fit the declared shape (-1 matches any size).
     */
    public Map<String, Tensor> forward(Map<String, Tensor> inputs) {
        List<Tensor> args = orderedInputs(inputs);
        if (module.isTraining()) module.eval();
        try (var g = GradMode.noGrad()) {
            return outputs(invoke(args));
        }
    }

    /** Runs the model on positional inputs as it is (train or eval mode, grad mode as set): differentiable, for fine-tuning. */
    public Object call(Object... inputs) { return invoke(Arrays.asList(inputs)); }

    private Object invoke(List<?> inputs) {
        if (module instanceof GraphModule g) return g.call(inputs);
        return module.call(inputs.toArray());
    }

    private List<Tensor> orderedInputs(Map<String, Tensor> inputs) {
        List<Tensor> args = new ArrayList<>();
        for (TensorSignature s : spec.signature().inputs()) {
            Tensor t = inputs.get(s.name());
            if (t == null) throw new IllegalArgumentException("missing input '" + s.name() + "' (" + s + ")");
            if (t.dtype() != s.dtype()) throw new IllegalArgumentException("input '" + s.name() + "' is " + t.dtype().pyName() + " but the model takes " + s.dtype().pyName());
            long[] want = s.shape();
            int[] got = t.shape();
            boolean fits = want.length == got.length;
            for (int i = 0; fits && i < got.length; i++) fits = want[i] == -1 || want[i] == got[i];
            if (!fits) throw new IllegalArgumentException("input '" + s.name() + "' has shape " + Arrays.toString(got) + " but the model takes " + Arrays.toString(want));
            args.add(t);
        }
        for (String k : inputs.keySet())
            if (spec.signature().input(k) == null)
                throw new IllegalArgumentException("unexpected input '" + k + "'; the model takes " + spec.signature().inputs().stream().map(TensorSignature::name).toList());
        return args;
    }

    /** Names forward's result by the signature: one tensor, a tuple in order, or a dict by key. */
    private Map<String, Tensor> outputs(Object result) {
        List<TensorSignature> sigs = spec.signature().outputs();
        Map<String, Tensor> out = new LinkedHashMap<>();
        switch (result) {
            case Tensor t -> out.put(sigs.getFirst().name(), t);
            case List<?> l -> {
                for (int i = 0; i < sigs.size(); i++) out.put(sigs.get(i).name(), tensorOutput(l.get(i), sigs.get(i)));
            }
            case Map<?, ?> m -> {
                for (TensorSignature s : sigs) out.put(s.name(), tensorOutput(m.get(s.name()), s));
            }
            default -> throw new IllegalStateException("forward returned " + ArgType.pyType(result) + ", not tensors");
        }
        return out;
    }

    private static Tensor tensorOutput(Object v, TensorSignature s) {
        if (v instanceof Tensor t) return t;
        throw new IllegalStateException("output '" + s.name() + "' is " + ArgType.pyType(v) + ", not a tensor");
    }
}
