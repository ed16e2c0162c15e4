package dev.ember.serving;

import java.util.List;
import java.util.Map;

/**
 * An inference request in protocol-neutral form. {@code version} is empty when the client lets the server
 * choose; {@code outputs} empty means every output. Parameters are the protocol's free-form values
 * (String, Boolean, Long or Double).
 */
public record InferRequest(String model, String version, String id, Map<String, Object> parameters, List<InferTensor> inputs,
                           List<RequestedOutput> outputs) {
    public InferRequest {
        version = version == null ? "" : version;
        id = id == null ? "" : id;
        parameters = Map.copyOf(parameters);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public record RequestedOutput(String name, Map<String, Object> parameters) {
        public RequestedOutput {
            parameters = Map.copyOf(parameters);
        }
    }
}
