package dev.ember.api.rest;

import dev.ember.serving.ModelManager;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** /q/health/ready is DOWN until the startup models are loaded, like /v2/health/ready. */
@Readiness
@ApplicationScoped
public class ModelsReadiness implements HealthCheck {
    @Inject
    ModelManager manager;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("models").status(manager.isReady()).withData("control-mode", manager.mode().toString()).build();
    }
}
