package dev.ember.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Wires the plain serving classes into the Quarkus application from {@link ServingConfig}, starts the
 * startup loads (in the background: liveness answers at once, readiness waits for the models) and, in
 * poll mode, the repository poller; drains everything on shutdown. Model loaders are every CDI bean
 * implementing {@link ModelLoader}.
 */
@ApplicationScoped
public class ServingBeans {
    private final ExecutorService responses = Executors.newVirtualThreadPerTaskExecutor();
    private volatile RepositoryPoller poller;

    @Produces
    @Singleton
    ModelManager modelManager(ServingConfig config, @All List<ModelLoader> loaders, MeterRegistry registry) {
        ModelManager.Settings settings = new ModelManager.Settings(ControlMode.parse(config.modelControlMode()),
                config.loadModels().orElse(List.of()), config.device(), config.inference().maxQueueSize());
        return new ModelManager(new ModelRepository(Path.of(config.modelRepository())), new ModelLoaders(loaders), settings, registry);
    }

    @Produces
    @Singleton
    InferenceService inferenceService(ModelManager manager) {
        return new InferenceService(manager, responses);
    }

    @Produces
    @Singleton
    AccessPolicy accessPolicy(ServingConfig config) {
        return new AccessPolicy(config.auth().token(), config.auth().management(), config.auth().inference());
    }

    @Produces
    @Singleton
    TensorLimits tensorLimits(ServingConfig config) {
        return new TensorLimits(config.limits().maxTensorBytes());
    }

    void start(@Observes StartupEvent event, ModelManager manager, ServingConfig config) {
        manager.start().thenRun(() -> {
            if (manager.mode() == ControlMode.POLL) poller = new RepositoryPoller(manager, config.repositoryPollInterval());
        });
    }

    void stop(@Observes ShutdownEvent event, ModelManager manager) {
        RepositoryPoller p = poller;
        if (p != null) p.close();
        manager.close();
        responses.shutdown();
    }
}
