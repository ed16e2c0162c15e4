package dev.ember.api.grpc;

import dev.ember.api.grpc.proto.InferParameter;
import dev.ember.api.grpc.proto.ModelInferRequest;
import dev.ember.api.grpc.proto.ModelInferResponse;
import dev.ember.serving.DataType;
import dev.ember.serving.InferRequest;
import dev.ember.serving.InferResponse;
import dev.ember.serving.InferTensor;
import dev.ember.serving.ProtocolParameters;
import dev.ember.serving.ServingException;
import dev.ember.serving.TensorLimits;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ModelInferRequest/Response to and from serving's request types. Outputs go back raw when the request
 * came raw (as Triton clients expect) or when an output is FP16/BF16, typed otherwise; the protocol allows
 * only one of the two forms per response.
 */
final class InferMessages {
    private InferMessages() {}

    static InferRequest request(ModelInferRequest m, TensorLimits limits) {
        int raw = m.getRawInputContentsCount();
        if (raw > 0 && raw != m.getInputsCount())
            throw ServingException.invalid("raw_input_contents has " + raw + " entries but the request has " + m.getInputsCount() + " inputs");
        List<InferTensor> inputs = new ArrayList<>();
        for (int i = 0; i < m.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = m.getInputs(i);
            String name = in.getName();
            DataType datatype = DataType.parse(in.getDatatype());
            long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
            ProtocolParameters.rejectSharedMemory(parameters(in.getParametersMap()), "input '" + name + "'");
            if (raw > 0) {
                if (in.hasContents())
                    throw ServingException.invalid("input '" + name + "' has contents although the request uses raw_input_contents");
                inputs.add(InferTensor.ofRaw(name, datatype, shape, m.getRawInputContents(i).asReadOnlyByteBuffer(), limits));
            } else {
                inputs.add(ProtoTensors.fromContents(name, datatype, shape, in.getContents(), limits));
            }
        }
        List<InferRequest.RequestedOutput> outputs = new ArrayList<>();
        for (ModelInferRequest.InferRequestedOutputTensor o : m.getOutputsList())
            outputs.add(new InferRequest.RequestedOutput(o.getName(), parameters(o.getParametersMap())));
        return new InferRequest(m.getModelName(), m.getModelVersion(), m.getId(), parameters(m.getParametersMap()), inputs, outputs);
    }

    static ModelInferResponse response(InferResponse r, boolean rawRequested) {
        boolean raw = rawRequested || r.outputs().stream().anyMatch(t -> !t.datatype().isJsonCapable());
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder().setModelName(r.model()).setModelVersion(r.version()).setId(r.id());
        for (InferTensor t : r.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder o = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(t.name()).setDatatype(t.datatype().name());
            for (long d : t.shape()) o.addShape(d);
            if (raw) b.addRawOutputContents(ProtoTensors.raw(t));
            else o.setContents(ProtoTensors.contents(t));
            b.addOutputs(o);
        }
        return b.build();
    }

    static Map<String, Object> parameters(Map<String, InferParameter> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, switch (v.getParameterChoiceCase()) {
            case BOOL_PARAM -> v.getBoolParam();
            case INT64_PARAM -> v.getInt64Param();
            case STRING_PARAM -> v.getStringParam();
            case DOUBLE_PARAM -> v.getDoubleParam();
            case UINT64_PARAM -> v.getUint64Param() >= 0 ? (Object) v.getUint64Param() : Double.parseDouble(Long.toUnsignedString(v.getUint64Param()));
            case PARAMETERCHOICE_NOT_SET -> throw ServingException.invalid("parameter '" + k + "' has no value");
        }));
        return out;
    }
}
