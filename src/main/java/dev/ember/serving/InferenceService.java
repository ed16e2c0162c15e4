package dev.ember.serving;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The request path shared by REST and gRPC: lease a version, validate the request against its config,
 * queue it, and answer. Admission errors (bad request, unknown model, full queue) are thrown to the caller;
 * once accepted, a request always completes its future. Answers are handed over on {@code responses}, so
 * the adapters' encoding never runs on (and never slows) a batcher thread.
 */
public final class InferenceService {
    private final ModelManager manager;
    private final Executor responses;

    public InferenceService(ModelManager manager, Executor responses) {
        this.manager = manager;
        this.responses = responses;
    }

    public CompletableFuture<InferResponse> infer(InferRequest request) {
        LoadedVersion version = manager.acquire(request.model(), request.version());
        CompletableFuture<InferResponse> result;
        try {
            result = version.submit(RequestValidator.validate(version.config, request));
        } catch (RuntimeException e) {
            version.release();
            throw e;
        }
        return result.whenComplete((r, e) -> version.release()).thenApplyAsync(r -> r, responses);
    }

    public ModelManager manager() { return manager; }
}
