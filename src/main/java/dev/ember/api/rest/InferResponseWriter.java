package dev.ember.api.rest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.serving.InferRequest;
import dev.ember.serving.InferResponse;
import dev.ember.serving.InferTensor;
import dev.ember.serving.ProtocolParameters;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Encodes an inference response: JSON with flat row-major {@code data}, or, for outputs the client asked to
 * receive as binary (and always for FP16/BF16, which JSON cannot carry), a {@code binary_data_size}
 * parameter in the JSON and the bytes after it, with the JSON's length in {@code Inference-Header-Content-Length}.
 */
final class InferResponseWriter {
    private final ObjectMapper json;

    InferResponseWriter(ObjectMapper json) {
        this.json = json;
    }

    Response write(InferRequest request, boolean allBinary, InferResponse response) {
        boolean binaryDefault = allBinary || ProtocolParameters.flag(request.parameters(), ProtocolParameters.BINARY_DATA_OUTPUT, false);
        Map<String, Boolean> perOutput = new HashMap<>();
        for (InferRequest.RequestedOutput o : request.outputs()) {
            Object b = o.parameters().get(ProtocolParameters.BINARY_DATA);
            if (b != null) perOutput.put(o.name(), ProtocolParameters.flag(o.parameters(), ProtocolParameters.BINARY_DATA, false));
        }
        List<InferTensor> binary = new ArrayList<>();
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (JsonGenerator g = json.getFactory().createGenerator(header)) {
            g.writeStartObject();
            g.writeStringField("model_name", response.model());
            g.writeStringField("model_version", response.version());
            if (!response.id().isEmpty()) g.writeStringField("id", response.id());
            g.writeArrayFieldStart("outputs");
            for (InferTensor t : response.outputs()) {
                boolean asBinary = !t.datatype().isJsonCapable() || perOutput.getOrDefault(t.name(), binaryDefault);
                g.writeStartObject();
                g.writeStringField("name", t.name());
                g.writeStringField("datatype", t.datatype().name());
                g.writeArrayFieldStart("shape");
                for (long d : t.shape()) g.writeNumber(d);
                g.writeEndArray();
                if (asBinary) {
                    g.writeObjectFieldStart("parameters");
                    g.writeNumberField(ProtocolParameters.BINARY_DATA_SIZE, t.byteSize());
                    g.writeEndObject();
                    binary.add(t);
                } else {
                    g.writeArrayFieldStart("data");
                    writeData(g, t);
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (binary.isEmpty()) return Response.ok(header.toByteArray(), MediaType.APPLICATION_JSON_TYPE).build();
        int headerLength = header.size();
        for (InferTensor t : binary) {
            var data = t.data();
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            header.writeBytes(chunk);
        }
        return Response.ok(header.toByteArray(), MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(InferRequestReader.HEADER_LENGTH, headerLength).build();
    }

    private static void writeData(JsonGenerator g, InferTensor t) throws IOException {
        int n = t.numel();
        switch (t.datatype()) {
            case BOOL -> { for (int i = 0; i < n; i++) g.writeBoolean(t.getBool(i)); }
            case UINT64 -> { for (int i = 0; i < n; i++) g.writeNumber(Long.toUnsignedString(t.getLong(i))); }
            case INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32 -> { for (int i = 0; i < n; i++) g.writeNumber(t.getLong(i)); }
            case FP32 -> { for (int i = 0; i < n; i++) g.writeNumber((float) t.getDouble(i)); }
            case FP64 -> { for (int i = 0; i < n; i++) g.writeNumber(t.getDouble(i)); }
            case BYTES -> { for (byte[] e : t.byteElements()) g.writeString(new String(e, StandardCharsets.UTF_8)); }
            case FP16, BF16 -> throw new IllegalStateException(t.datatype() + " is always sent as binary");
        }
    }
}
