package dev.ember.model;

import dev.ember.io.Checkpoint;
import dev.ember.io.LoadLimits;
import dev.ember.io.ModelFileFormat;
import dev.ember.io.ModelFormatException;
import dev.ember.io.SafeTensors;
import dev.ember.io.TorchFiles;
import dev.ember.nn.StateDict;
import dev.ember.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A version's weights: {@code model.pt} / {@code model.pth} (a {@code torch.save(state_dict)} file, or a training
 * checkpoint holding one) or {@code model.safetensors}, read through dev.ember.io into a state_dict with
 * PyTorch's {@code _metadata}.
 */
public final class Weights {
    /** The file names a version directory may hold its weights under, in the order they are looked for. */
    public static final List<String> FILE_NAMES = List.of("model.pt", "model.pth", "model.safetensors");

    private Weights() {}

    /** The weights file of a version directory; fails naming what it found when there is not exactly one. */
    public static Path find(Path versionDir) throws ModelFormatException {
        List<Path> found = new ArrayList<>();
        for (String n : FILE_NAMES) if (Files.isRegularFile(versionDir.resolve(n))) found.add(versionDir.resolve(n));
        if (found.isEmpty()) throw new ModelFormatException(versionDir + ": no weights file (expected one of " + FILE_NAMES + ")");
        if (found.size() > 1) throw new ModelFormatException(versionDir + ": more than one weights file " + found.stream().map(p -> p.getFileName().toString()).toList()
                + "; keep one so it is clear which is served");
        return found.getFirst();
    }

    /** Reads a weights file (format told by its bytes, not its name) into a state_dict. */
    public static StateDict read(Path file, LoadLimits limits) throws IOException {
        StateDict sd = new StateDict();
        if (ModelFileFormat.detect(file) == ModelFileFormat.SAFETENSORS) {
            sd.putAll(SafeTensors.load(file, limits).tensors());
            return sd;
        }
        dev.ember.io.StateDict loaded = Checkpoint.modelState(TorchFiles.load(file, limits));
        for (Map.Entry<String, Tensor> e : loaded.tensors().entrySet()) sd.put(e.getKey(), e.getValue());
        sd.metadata().putAll(loaded.metadata());
        return sd;
    }
}
