package dev.ember.api;

import dev.ember.serving.TestRepository;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/**
 * The packaged defaults (control mode none, no token, management not opened) over a repository holding a
 * good model and one that cannot load, so the server stays unready.
 */
public class PackagedDefaultsProfile implements QuarkusTestProfile {
    static final Path REPOSITORY = repository();

    private static Path repository() {
        Path root = TestRepository.temp();
        TestRepository.config(root, "echo", TestRepository.xy(4, "[2]", ""));
        TestRepository.version(root, "echo", 1, "{\"kind\": \"offset\", \"offset\": 1000}");
        TestRepository.config(root, "broken", TestRepository.xy(0, "[1]", ""));
        TestRepository.version(root, "broken", 1, "{\"kind\": \"load_fails\"}");
        return root;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("ember.model-repository", REPOSITORY.toString());
    }
}
