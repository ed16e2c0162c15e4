package dev.ember.serving;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The server's {@code ember.*} settings (application.properties; environment variables such as EMBER_AUTH_TOKEN). */
@ConfigMapping(prefix = "ember")
public interface ServingConfig {
    /** Root of the model repository (Triton's layout). */
    String modelRepository();

    /** none | explicit | poll. */
    @WithDefault("none")
    String modelControlMode();

    /** Models loaded at startup in explicit mode; "*" loads them all. */
    Optional<List<String>> loadModels();

    /** How often poll mode rescans the repository. */
    @WithDefault("15s")
    Duration repositoryPollInterval();

    /** Where models go when config.json names no device: auto, cpu, cuda or cuda:N. */
    @WithDefault("auto")
    String device();

    Auth auth();

    Limits limits();

    Inference inference();

    Memory memory();

    interface Auth {
        /** The bearer token management (and, if so set, inference) calls must present. */
        Optional<String> token();

        /** token: management needs the token (refused when none is set); open: no token needed when none is set. */
        @WithDefault("token")
        String management();

        /** open, or token to require the token for inference too. */
        @WithDefault("open")
        String inference();
    }

    interface Limits {
        /** Largest request body (REST) or message (gRPC), in bytes. */
        @WithDefault("67108864")
        long maxRequestBytes();

        /** Largest single tensor a request may declare, in bytes, checked before anything is allocated. */
        @WithDefault("67108864")
        long maxTensorBytes();
    }

    /**
     * Engine settings the tensor engine reads as JVM system properties when it starts ({@code -Dember.memory.pool-bytes=N}
     * in EMBER_JAVA_OPTS); declared here so that Quarkus accepts them.
     */
    interface Memory {
        /**
         * Bytes of released tensor arrays below 8 MiB kept for reuse (default 32 MiB; 0 turns their reuse off); see
         * dev.ember.tensor.spi.HostArrayPool for why this budget is small.
         */
        Optional<Long> poolBytes();
    }

    interface Inference {
        /** Requests that may wait per model unless config.json sets dynamic_batching.default_queue_policy.max_queue_size. */
        @WithDefault("1024")
        int maxQueueSize();
    }
}
