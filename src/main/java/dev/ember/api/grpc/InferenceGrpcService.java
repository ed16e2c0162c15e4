package dev.ember.api.grpc;

import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.api.grpc.proto.ModelConfigRequest;
import dev.ember.api.grpc.proto.ModelConfigResponse;
import dev.ember.api.grpc.proto.ModelInferRequest;
import dev.ember.api.grpc.proto.ModelInferResponse;
import dev.ember.api.grpc.proto.ModelMetadataRequest;
import dev.ember.api.grpc.proto.ModelMetadataResponse;
import dev.ember.api.grpc.proto.ModelReadyRequest;
import dev.ember.api.grpc.proto.ModelReadyResponse;
import dev.ember.api.grpc.proto.ModelRepositoryParameter;
import dev.ember.api.grpc.proto.ModelStatisticsRequest;
import dev.ember.api.grpc.proto.ModelStatisticsResponse;
import dev.ember.api.grpc.proto.ModelStreamInferResponse;
import dev.ember.api.grpc.proto.RepositoryIndexRequest;
import dev.ember.api.grpc.proto.RepositoryIndexResponse;
import dev.ember.api.grpc.proto.RepositoryModelLoadRequest;
import dev.ember.api.grpc.proto.RepositoryModelLoadResponse;
import dev.ember.api.grpc.proto.RepositoryModelUnloadRequest;
import dev.ember.api.grpc.proto.RepositoryModelUnloadResponse;
import dev.ember.api.grpc.proto.ServerLiveRequest;
import dev.ember.api.grpc.proto.ServerLiveResponse;
import dev.ember.api.grpc.proto.ServerMetadataRequest;
import dev.ember.api.grpc.proto.ServerMetadataResponse;
import dev.ember.api.grpc.proto.ServerReadyRequest;
import dev.ember.api.grpc.proto.ServerReadyResponse;
import dev.ember.serving.InferRequest;
import dev.ember.serving.InferenceService;
import dev.ember.serving.ModelManager;
import dev.ember.serving.ServerInfo;
import dev.ember.serving.ServingException;
import dev.ember.serving.TensorLimits;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * GRPCInferenceService (the Open Inference Protocol plus Triton's extensions) over the serving layer.
 * Methods run on worker threads ({@link Blocking}) except inference, which decodes on the gRPC I/O thread that
 * already holds the parsed message ({@link NonBlocking}: a hop to a worker per request cost more CPU than the
 * decode itself on a small machine) and answers from the response executor once the batcher is done, so no
 * thread waits. Access rules live in {@link AccessInterceptor}.
 */
@GrpcService
@Blocking
@RegisterInterceptor(AccessInterceptor.class)
public class InferenceGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Inject
    ModelManager manager;
    @Inject
    InferenceService inference;
    @Inject
    TensorLimits limits;

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        reply(out, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        reply(out, () -> ServerReadyResponse.newBuilder().setReady(manager.isReady()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        reply(out, () -> ModelReadyResponse.newBuilder().setReady(manager.isModelReady(request.getName(), request.getVersion())).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        reply(out, () -> ServerMetadataResponse.newBuilder().setName(ServerInfo.NAME).setVersion(ServerInfo.VERSION)
                .addAllExtensions(ServerInfo.EXTENSIONS).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        reply(out, () -> MetadataMessages.metadata(request.getName(), manager.view(request.getName(), request.getVersion())));
    }

    @Override
    public void modelConfig(ModelConfigRequest request, StreamObserver<ModelConfigResponse> out) {
        reply(out, () -> ModelConfigResponse.newBuilder().setConfig(MetadataMessages.config(manager.view(request.getName(), request.getVersion()))).build());
    }

    @Override
    public void modelStatistics(ModelStatisticsRequest request, StreamObserver<ModelStatisticsResponse> out) {
        reply(out, () -> {
            String name = request.getName().isEmpty() ? null : request.getName();
            ModelStatisticsResponse.Builder b = ModelStatisticsResponse.newBuilder();
            manager.statistics(name, request.getVersion()).forEach(s -> b.addModelStats(MetadataMessages.statistics(s)));
            return b.build();
        });
    }

    @Override
    public void repositoryIndex(RepositoryIndexRequest request, StreamObserver<RepositoryIndexResponse> out) {
        reply(out, () -> {
            checkRepositoryName(request.getRepositoryName());
            return MetadataMessages.index(manager.index(request.getReady()));
        });
    }

    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> out) {
        reply(out, () -> {
            checkRepositoryName(request.getRepositoryName());
            for (Map.Entry<String, ModelRepositoryParameter> p : request.getParametersMap().entrySet())
                if (p.getKey().equals("config") || p.getKey().startsWith("file:"))
                    throw new ServingException(ServingException.Status.UNIMPLEMENTED, "load parameter '" + p.getKey()
                            + "' is not supported: Ember loads config.json and the version directories from the repository");
            manager.requestLoad(request.getModelName());
            return RepositoryModelLoadResponse.getDefaultInstance();
        });
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request, StreamObserver<RepositoryModelUnloadResponse> out) {
        reply(out, () -> {
            checkRepositoryName(request.getRepositoryName());
            manager.requestUnload(request.getModelName());
            return RepositoryModelUnloadResponse.getDefaultInstance();
        });
    }

    @Override
    @NonBlocking
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        try {
            InferRequest r = InferMessages.request(request, limits);
            boolean raw = request.getRawInputContentsCount() > 0;
            inference.infer(r).whenComplete((response, error) -> {
                if (error != null) {
                    out.onError(GrpcErrors.of(error));
                } else {
                    out.onNext(InferMessages.response(response, raw));
                    out.onCompleted();
                }
            });
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of(e));
        }
    }

    /**
     * Bidirectional streaming inference: each request is answered on the stream as soon as it is done
     * (possibly out of order; match them by id). A failed request yields an error_message and the stream
     * goes on; the stream completes after the client half-closes and every answer is out.
     */
    @Override
    @NonBlocking
    public StreamObserver<ModelInferRequest> modelStreamInfer(StreamObserver<ModelStreamInferResponse> out) {
        AtomicInteger open = new AtomicInteger(1); // the client's half of the stream counts as one
        Runnable done = () -> {
            if (open.decrementAndGet() == 0) synchronized (out) { out.onCompleted(); }
        };
        return new StreamObserver<>() {
            @Override
            public void onNext(ModelInferRequest request) {
                open.incrementAndGet();
                try {
                    boolean raw = request.getRawInputContentsCount() > 0;
                    inference.infer(InferMessages.request(request, limits)).whenComplete((response, error) -> {
                        ModelStreamInferResponse msg = error == null
                                ? ModelStreamInferResponse.newBuilder().setInferResponse(InferMessages.response(response, raw)).build()
                                : ModelStreamInferResponse.newBuilder().setErrorMessage(GrpcErrors.message(error)).build();
                        synchronized (out) { out.onNext(msg); }
                        done.run();
                    });
                } catch (RuntimeException e) {
                    synchronized (out) { out.onNext(ModelStreamInferResponse.newBuilder().setErrorMessage(GrpcErrors.message(e)).build()); }
                    done.run();
                }
            }

            @Override
            public void onError(Throwable t) {
                // the client went away; answers still in flight are dropped by the transport
            }

            @Override
            public void onCompleted() { done.run(); }
        };
    }

    /** Ember serves one repository; Triton clients may name it, so only a different name is an error. */
    private void checkRepositoryName(String name) {
        if (!name.isEmpty() && !name.equals(manager.repository().root().getFileName().toString()) && !name.equals(manager.repository().root().toString()))
            throw ServingException.notFound("unknown model repository '" + name + "'; this server serves " + manager.repository().root());
    }

    private static <T> void reply(StreamObserver<T> out, Supplier<T> body) {
        T value;
        try {
            value = body.get();
        } catch (RuntimeException e) {
            out.onError(GrpcErrors.of(e));
            return;
        }
        out.onNext(value);
        out.onCompleted();
    }
}
