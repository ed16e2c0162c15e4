package dev.ember.api;

import dev.ember.serving.TestRepository;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Path;
import java.util.Map;

/**
 * The application most service tests share (one start): explicit control mode over {@link TestRepository#standard()},
 * a management token, and small request limits so the oversize paths are cheap to reach.
 */
public class ServingProfile implements QuarkusTestProfile {
    public static final String TOKEN = "test-token";
    public static final String BEARER = "Bearer " + TOKEN;
    public static final int MAX_REQUEST_BYTES = 1_000_000;
    public static final int MAX_TENSOR_BYTES = 400_000;
    static final Path REPOSITORY = TestRepository.standard();

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "ember.model-repository", REPOSITORY.toString(),
                "ember.model-control-mode", "explicit",
                "ember.load-models", "linear,echo,types,typed,slow,failing,bad_output,swap,digits,lenet,digits_swap",
                "ember.auth.token", TOKEN,
                "ember.limits.max-request-bytes", Integer.toString(MAX_REQUEST_BYTES),
                "ember.limits.max-tensor-bytes", Integer.toString(MAX_TENSOR_BYTES));
    }
}
