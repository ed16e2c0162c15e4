package dev.ember.serving;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a request against the model's configuration before it is queued, so that everything a client can
 * get wrong fails fast with a 400 and only model faults can fail an accepted request. Error texts follow
 * Triton's where it has one.
 */
final class RequestValidator {
    private RequestValidator() {}

    static PendingRequest validate(ModelConfig config, InferRequest req) {
        String model = config.name();
        ProtocolParameters.rejectSharedMemory(req.parameters(), "the request");
        Map<String, InferTensor> byName = new HashMap<>();
        for (InferTensor t : req.inputs()) {
            if (config.input(t.name()).isEmpty())
                throw ServingException.invalid("unexpected inference input '" + t.name() + "' for model '" + model + "'");
            if (byName.put(t.name(), t) != null) throw ServingException.invalid("input '" + t.name() + "' is given more than once");
        }
        List<InferTensor> inputs = new ArrayList<>();
        StringBuilder key = new StringBuilder();
        long rows = -1;
        String rowsFrom = null;
        for (TensorSpec spec : config.inputs()) {
            InferTensor t = byName.get(spec.name());
            if (t == null)
                throw ServingException.invalid("expected " + config.inputs().size() + " inputs but got " + req.inputs().size()
                        + " inputs for model '" + model + "': input '" + spec.name() + "' is missing");
            if (t.datatype() != spec.datatype())
                throw ServingException.invalid("inference input '" + spec.name() + "' data-type is '" + t.datatype() + "', but model '"
                        + model + "' expects '" + spec.datatype() + "'");
            long[] shape = t.shape();
            int from = config.batching() ? 1 : 0;
            if (config.batching()) {
                if (shape.length == 0)
                    throw ServingException.invalid("input '" + spec.name() + "' has no batch dimension; model '" + model + "' expects shape "
                            + Arrays.toString(config.protocolShape(spec)));
                if (shape[0] < 1 || shape[0] > config.maxBatchSize())
                    throw ServingException.invalid("inference request batch-size must be <= " + config.maxBatchSize() + " for '" + model
                            + "' (and at least 1), got " + shape[0] + " for input '" + spec.name() + "'");
                if (rows >= 0 && shape[0] != rows)
                    throw ServingException.invalid("input '" + spec.name() + "' has batch size " + shape[0] + " but input '" + rowsFrom
                            + "' has " + rows + "; all inputs of a request share the batch size");
                rows = shape[0];
                rowsFrom = spec.name();
            }
            if (!spec.accepts(shape, from))
                throw ServingException.invalid("unexpected shape for input '" + spec.name() + "' for model '" + model + "'. Expected "
                        + Arrays.toString(config.protocolShape(spec)) + ", got " + Arrays.toString(shape));
            if (t.datatype() == DataType.BOOL) checkBools(t);
            key.append(Arrays.toString(Arrays.copyOfRange(shape, from, shape.length))).append(';');
            inputs.add(t);
        }
        List<String> outputs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (InferRequest.RequestedOutput o : req.outputs()) {
            if (config.output(o.name()).isEmpty())
                throw ServingException.invalid("unexpected inference output '" + o.name() + "' for model '" + model + "'");
            if (!seen.add(o.name())) throw ServingException.invalid("output '" + o.name() + "' is requested more than once");
            ProtocolParameters.rejectSharedMemory(o.parameters(), "output '" + o.name() + "'");
            outputs.add(o.name());
        }
        if (outputs.isEmpty()) config.outputs().forEach(s -> outputs.add(s.name()));
        return new PendingRequest(req, List.copyOf(inputs), List.copyOf(outputs), (int) Math.max(rows, 1), key.toString());
    }

    /** Raw BOOL bytes must be 0 or 1, as in PyTorch; checked here so the batch cannot fail on them later. */
    private static void checkBools(InferTensor t) {
        ByteBuffer b = t.data();
        for (int i = 0; i < b.limit(); i++) {
            byte v = b.get(i);
            if (v != 0 && v != 1) throw ServingException.invalid("input '" + t.name() + "' is BOOL but element " + i + " is " + v + " (expected 0 or 1)");
        }
    }
}
