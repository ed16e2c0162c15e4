package dev.ember.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds and reads Triton binary-extension bodies in tests: a JSON header followed by little-endian tensors. */
public final class Wire {
    public static final String HEADER = "Inference-Header-Content-Length";
    static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {}

    public static byte[] body(String json, byte[]... blobs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        for (byte[] b : blobs) out.writeBytes(b);
        return out.toByteArray();
    }

    public static int length(String json) { return json.getBytes(StandardCharsets.UTF_8).length; }

    public static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    public static byte[] halfs(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putShort(Float.floatToFloat16(f));
        return b.array();
    }

    public static byte[] bf16s(float... v) {
        ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putShort((short) (Float.floatToRawIntBits(f) >>> 16)); // exact for these test values
        return b.array();
    }

    public static float[] toFloats(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.length / 4];
        for (int i = 0; i < out.length; i++) out[i] = bb.getFloat();
        return out;
    }

    public static float[] halfsToFloats(byte[] b) {
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.length / 2];
        for (int i = 0; i < out.length; i++) out[i] = Float.float16ToFloat(bb.getShort());
        return out;
    }

    /** A binary response split into its JSON header and the bytes after it. */
    public record BinaryResponse(JsonNode json, byte[] binary) {
        /** The binary blob of output {@code index}, located by the binary_data_size of the outputs before it. */
        public byte[] blob(int index) {
            int from = 0;
            for (int i = 0; i < index; i++) from += json.get("outputs").get(i).path("parameters").path("binary_data_size").asInt();
            int size = json.get("outputs").get(index).get("parameters").get("binary_data_size").asInt();
            return Arrays.copyOfRange(binary, from, from + size);
        }
    }

    /** A JSON response body. */
    public static JsonNode json(Response r) {
        try {
            return JSON.readTree(r.asByteArray());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    public static BinaryResponse split(Response r) {
        byte[] all = r.asByteArray();
        int n = Integer.parseInt(r.header(HEADER));
        try {
            return new BinaryResponse(JSON.readTree(new String(all, 0, n, StandardCharsets.UTF_8)), Arrays.copyOfRange(all, n, all.length));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
