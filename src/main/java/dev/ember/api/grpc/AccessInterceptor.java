package dev.ember.api.grpc;

import dev.ember.serving.AccessPolicy;
import dev.ember.serving.ServingException;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * Applies {@link AccessPolicy} to gRPC calls from the {@code authorization} metadata, before the call reaches
 * the service: the repository RPCs are management, the inference RPCs are inference, the rest are open.
 */
@ApplicationScoped
public class AccessInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Set<String> MANAGEMENT = Set.of("RepositoryIndex", "RepositoryModelLoad", "RepositoryModelUnload");
    private static final Set<String> INFERENCE = Set.of("ModelInfer", "ModelStreamInfer");

    @Inject
    AccessPolicy access;

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String method = call.getMethodDescriptor().getBareMethodName();
        try {
            if (MANAGEMENT.contains(method)) access.checkManagement(headers.get(AUTHORIZATION));
            else if (INFERENCE.contains(method)) access.checkInference(headers.get(AUTHORIZATION));
        } catch (ServingException e) {
            call.close(GrpcErrors.of(e).getStatus(), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }
}
