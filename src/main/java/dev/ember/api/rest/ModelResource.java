package dev.ember.api.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.serving.AccessPolicy;
import dev.ember.serving.InferenceService;
import dev.ember.serving.ModelManager;
import dev.ember.serving.ServingException;
import dev.ember.serving.TensorLimits;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Model metadata, readiness (200 ready, 400 not, as for server health), configuration, statistics and inference ({@code /v2/models/...}), each with and without
 * {@code /versions/{v}}. Inference takes the body once the I/O thread has read all of it, decodes a small body
 * right there and a large one ({@link #INLINE_DECODE_BYTES} and more) on a worker thread, and answers when the
 * batcher is done, holding no thread while the request waits. (A blocking endpoint streamed every body to a
 * worker through a blocking input stream; under 64 clients that handoff cost more CPU than the JSON parse.)
 */
@Path("/v2/models")
public class ModelResource {
    /** Bodies up to this size are decoded on the I/O thread (a 1x1x32x32 JSON request is about 20 KB). */
    static final int INLINE_DECODE_BYTES = 256 * 1024;

    @Inject
    ModelManager manager;
    @Inject
    InferenceService inference;
    @Inject
    AccessPolicy access;
    @Inject
    TensorLimits limits;
    @Inject
    ObjectMapper json;

    private InferRequestReader reader;
    private InferResponseWriter writer;

    @PostConstruct
    void init() {
        reader = new InferRequestReader(json, limits);
        writer = new InferResponseWriter(json);
    }

    @GET
    @Path("{model}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata(@PathParam("model") String model) { return metadata(model, ""); }

    @GET
    @Path("{model}/versions/{version}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metadata(@PathParam("model") String model, @PathParam("version") String version) {
        return ProtocolJson.modelMetadata(model, manager.view(model, version));
    }

    @GET
    @Path("{model}/ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response modelReady(@PathParam("model") String model) { return modelReady(model, ""); }

    @GET
    @Path("{model}/versions/{version}/ready")
    @Produces(MediaType.APPLICATION_JSON)
    public Response modelReady(@PathParam("model") String model, @PathParam("version") String version) {
        boolean ready;
        try {
            ready = manager.isModelReady(model, version);
        } catch (ServingException e) {
            if (e.status() != ServingException.Status.INVALID_ARGUMENT) throw e;
            ready = false;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", model);
        body.put("ready", ready);
        return Response.status(ready ? 200 : 400).entity(body).build();
    }

    @GET
    @Path("{model}/config")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> config(@PathParam("model") String model) { return config(model, ""); }

    @GET
    @Path("{model}/versions/{version}/config")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> config(@PathParam("model") String model, @PathParam("version") String version) {
        return ProtocolJson.modelConfig(manager.view(model, version));
    }

    @GET
    @Path("stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> allStatistics() { return ProtocolJson.statistics(manager.statistics(null, "")); }

    @GET
    @Path("{model}/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> statistics(@PathParam("model") String model) { return statistics(model, ""); }

    @GET
    @Path("{model}/versions/{version}/stats")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> statistics(@PathParam("model") String model, @PathParam("version") String version) {
        return ProtocolJson.statistics(manager.statistics(model, version));
    }

    @POST
    @Path("{model}/infer")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    public CompletionStage<Response> infer(@PathParam("model") String model, @HeaderParam(InferRequestReader.HEADER_LENGTH) String headerLength,
                                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        return infer(model, "", headerLength, authorization, body);
    }

    @POST
    @Path("{model}/versions/{version}/infer")
    @Consumes(MediaType.WILDCARD)
    @NonBlocking
    public CompletionStage<Response> infer(@PathParam("model") String model, @PathParam("version") String version,
                                           @HeaderParam(InferRequestReader.HEADER_LENGTH) String headerLength,
                                           @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        access.checkInference(authorization);
        byte[] bytes = body == null ? new byte[0] : body;
        if (bytes.length < INLINE_DECODE_BYTES) return decodeAndInfer(model, version, headerLength, bytes);
        return CompletableFuture.supplyAsync(() -> decodeAndInfer(model, version, headerLength, bytes), Infrastructure.getDefaultWorkerPool())
                .thenCompose(r -> r)
                .exceptionally(ErrorMapper::of);
    }

    private CompletionStage<Response> decodeAndInfer(String model, String version, String headerLength, byte[] body) {
        var decoded = reader.read(model, version, body, headerLength, () -> manager.view(model, version));
        return inference.infer(decoded.request())
                .thenApply(r -> writer.write(decoded.request(), decoded.rawBinary(), r))
                .exceptionally(ErrorMapper::of);
    }
}
