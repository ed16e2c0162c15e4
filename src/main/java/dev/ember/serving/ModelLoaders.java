package dev.ember.serving;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/** Picks the loader for a version directory: the one config.json names, else the first that accepts the files. */
public final class ModelLoaders {
    private final List<ModelLoader> loaders;

    public ModelLoaders(List<ModelLoader> loaders) {
        this.loaders = List.copyOf(loaders);
    }

    public ModelLoader select(ModelConfig config, Path versionDir) {
        if (config.platform() != null) {
            return loaders.stream().filter(l -> l.platform().equals(config.platform())).findFirst()
                    .orElseThrow(() -> ServingException.invalid("model '" + config.name() + "' asks for platform '" + config.platform()
                            + "', but the loaders present are " + names()));
        }
        return loaders.stream().filter(l -> l.accepts(versionDir, config)).findFirst()
                .orElseThrow(() -> ServingException.invalid("no model loader recognises " + versionDir + " (loaders present: " + names()
                        + "); the model.json + state_dict loader arrives with dev.ember.model"));
    }

    private String names() {
        return loaders.isEmpty() ? "none" : loaders.stream().map(ModelLoader::platform).collect(Collectors.joining(", ", "[", "]"));
    }
}
