package dev.ember.serving;

import java.nio.file.Path;

/**
 * Turns one version directory of the model repository into a {@link Servable}: the service-provider seam
 * through which model formats plug in. A loader is a CDI bean (or is handed to {@link ModelManager}
 * directly); {@link SpecModelLoader} (model.json + state_dict, through {@code dev.ember.model}) is the one the
 * server ships with.
 */
public interface ModelLoader {
    /** The platform name reported in model metadata and matched against config.json's {@code platform}. */
    String platform();

    /** What files this loader looks for in a version directory, for the error when no loader recognises one. */
    default String expectedFiles() { return "the files of platform " + platform(); }

    /** Whether this loader recognises the files of a version directory (used when config.json names no platform). */
    boolean accepts(Path versionDir, ModelConfig config);

    /**
     * Loads the version. Failures should say which file and why; the previous version stays served.
     *
     * @param device where to place the model: config.json's {@code device}, else the server default
     */
    Servable load(ModelConfig config, long version, Path versionDir, String device) throws Exception;
}
