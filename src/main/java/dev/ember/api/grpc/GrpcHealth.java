package dev.ember.api.grpc;

import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.serving.ModelManager;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.quarkus.grpc.runtime.health.GrpcHealthStorage;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Ties the standard grpc.health.v1.Health service (provided by Quarkus) to model readiness: the server
 * ("") and GRPCInferenceService report NOT_SERVING until the startup models are loaded, for gRPC probes.
 */
@ApplicationScoped
public class GrpcHealth {
    void bind(@Observes StartupEvent event, ModelManager manager, GrpcHealthStorage storage) {
        manager.onReadinessChange(ready -> {
            ServingStatus status = ready ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
            storage.setStatus("", status);
            storage.setStatus(GRPCInferenceServiceGrpc.SERVICE_NAME, status);
        });
    }
}
