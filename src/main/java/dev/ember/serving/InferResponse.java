package dev.ember.serving;

import java.util.List;

/** The outputs of one request, in the order the client asked for them (or the model's order). */
public record InferResponse(String model, String version, String id, List<InferTensor> outputs) {
    public InferResponse {
        outputs = List.copyOf(outputs);
    }
}
