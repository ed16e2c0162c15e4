package dev.ember.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
                .orElseThrow(() -> ServingException.invalid("no model loader recognises the files of " + versionDir + " (it holds " + listing(versionDir)
                        + "); expected " + loaders.stream().map(l -> l.platform() + ": " + l.expectedFiles()).collect(Collectors.joining("; or "))));
    }

    private String names() {
        return loaders.isEmpty() ? "none" : loaders.stream().map(ModelLoader::platform).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> names = s.map(p -> p.getFileName() + (Files.isDirectory(p) ? "/" : "")).sorted().toList();
            return names.isEmpty() ? "nothing" : names.toString();
        } catch (IOException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
