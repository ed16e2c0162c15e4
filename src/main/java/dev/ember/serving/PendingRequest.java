package dev.ember.serving;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A validated request waiting for, or inside, a forward pass: its inputs in config order, the outputs to
 * return, its batch rows, and a key that two requests must share to run in one batch (equal non-batch dims).
 */
final class PendingRequest {
    final InferRequest request;
    final List<InferTensor> inputs;
    final List<String> outputs;
    final int rows;
    final String shapeKey;
    final CompletableFuture<InferResponse> result = new CompletableFuture<>();
    long enqueuedNanos;

    PendingRequest(InferRequest request, List<InferTensor> inputs, List<String> outputs, int rows, String shapeKey) {
        this.request = request;
        this.inputs = inputs;
        this.outputs = outputs;
        this.rows = rows;
        this.shapeKey = shapeKey;
    }
}
