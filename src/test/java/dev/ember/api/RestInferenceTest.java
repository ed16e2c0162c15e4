package dev.ember.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.StringJoiner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** REST inference (KServe v2 JSON and Triton's binary extension) against models whose answers PyTorch recorded. */
@QuarkusTest
@TestProfile(ServingProfile.class)
class RestInferenceTest {
    static float[] x, y1, y2;

    @BeforeAll
    static void fixture() {
        Fixtures.FixtureFile f = Fixtures.load("serving");
        x = f.tensor(f.cases().get(0).inputs().get(0).name()).toFloatArray();
        y1 = f.tensor(f.cases().get(0).outputs().get(0)).toFloatArray();
        // version 2 has other weights; its golden output is for its own x, so run that x through it
        y2 = f.tensor(f.cases().get(1).outputs().get(0)).toFloatArray();
    }

    @BeforeEach
    void ready() { Await.ready(); }

    static float[] x2() {
        Fixtures.FixtureFile f = Fixtures.load("serving");
        return f.tensor(f.cases().get(1).inputs().get(0).name()).toFloatArray();
    }

    static String nested(float[] v, int rows) {
        int cols = v.length / rows;
        StringJoiner outer = new StringJoiner(",", "[", "]");
        for (int r = 0; r < rows; r++) {
            StringJoiner inner = new StringJoiner(",", "[", "]");
            for (int c = 0; c < cols; c++) inner.add(Float.toString(v[r * cols + c]));
            outer.add(inner.toString());
        }
        return outer.toString();
    }

    static String flat(float[] v) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (float f : v) j.add(Float.toString(f));
        return j.toString();
    }

    static float[] data(JsonNode output) {
        float[] out = new float[output.get("data").size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) output.get("data").get(i).asDouble();
        return out;
    }

    static JsonNode post(String path, String body) {
        Response r = given().contentType(ContentType.JSON).body(body).post(path);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        try {
            return Wire.JSON.readTree(r.asString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String linearRequest(String data) {
        return "{\"id\": \"req-7\", \"inputs\": [{\"name\": \"x\", \"shape\": [6, 4], \"datatype\": \"FP32\", \"data\": " + data + "}]}";
    }

    @Test
    void eachVersionAnswersWithItsOwnWeights() {
        JsonNode r1 = post("/v2/models/linear/versions/1/infer", linearRequest(nested(x, 6)));
        assertThat(r1.get("model_name").asText()).isEqualTo("linear");
        assertThat(r1.get("model_version").asText()).isEqualTo("1");
        assertThat(r1.get("id").asText()).isEqualTo("req-7");
        JsonNode out = r1.get("outputs").get(0);
        assertThat(out.get("name").asText()).isEqualTo("y");
        assertThat(out.get("datatype").asText()).isEqualTo("FP32");
        assertThat(out.get("shape").toString()).isEqualTo("[6,3]");
        assertThat(data(out)).containsExactly(y1, within(1e-5f));

        JsonNode r2 = post("/v2/models/linear/versions/2/infer", linearRequest(nested(x2(), 6)));
        assertThat(data(r2.get("outputs").get(0))).containsExactly(y2, within(1e-5f));
        JsonNode latest = post("/v2/models/linear/infer", linearRequest(nested(x2(), 6)));
        assertThat(latest.get("model_version").asText()).as("no version means the newest").isEqualTo("2");
    }

    @Test
    void flatAndNestedDataAreTheSameTensor() {
        JsonNode a = post("/v2/models/linear/versions/1/infer", linearRequest(flat(x)));
        JsonNode b = post("/v2/models/linear/versions/1/infer", linearRequest(nested(x, 6)));
        assertThat(a.get("outputs")).isEqualTo(b.get("outputs"));
    }

    @Test
    void anAbsentIdIsNotInventedAndParametersAreAccepted() {
        given().contentType(ContentType.JSON)
                .body("{\"parameters\": {\"priority\": 1, \"tag\": \"a\", \"flag\": true}, \"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\","
                        + " \"parameters\": {\"note\": 0.5}, \"data\": [1, 2]}], \"outputs\": [{\"name\": \"y\", \"parameters\": {\"k\": \"v\"}}]}")
                .post("/v2/models/echo/infer")
                .then().statusCode(200).contentType(ContentType.JSON).body("id", nullValue()).body("outputs[0].data", equalTo(java.util.List.of(1001f, 1002f)));
    }

    @Test
    void binaryInputsAndOutputs() {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [6, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 96}}],"
                + " \"parameters\": {\"binary_data_output\": true}}";
        Response r = given().header(Wire.HEADER, Wire.length(json)).contentType("application/octet-stream")
                .body(Wire.body(json, Wire.floats(x))).post("/v2/models/linear/versions/1/infer");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.contentType()).isEqualTo("application/octet-stream");
        Wire.BinaryResponse b = Wire.split(r);
        JsonNode out = b.json().get("outputs").get(0);
        assertThat(out.get("parameters").get("binary_data_size").asInt()).isEqualTo(72);
        assertThat(out.has("data")).isFalse();
        assertThat(Wire.toFloats(b.blob(0))).containsExactly(y1, within(1e-5f));
    }

    @Test
    void aPerOutputBinaryFlagOverridesTheRequestDefault() {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [6, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 96}}],"
                + " \"parameters\": {\"binary_data_output\": true}, \"outputs\": [{\"name\": \"y\", \"parameters\": {\"binary_data\": false}}]}";
        Response r = given().header(Wire.HEADER, Wire.length(json)).body(Wire.body(json, Wire.floats(x))).post("/v2/models/linear/versions/1/infer");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.header(Wire.HEADER)).isNull();
        assertThat(r.jsonPath().getList("outputs[0].data", Float.class)).hasSize(18);
    }

    @Test
    void aRawBinaryBodyFeedsTheSingleInput() {
        float[] row = Arrays.copyOf(x, 4);
        Response r = given().header(Wire.HEADER, 0).contentType("application/octet-stream").body(Wire.floats(row)).post("/v2/models/linear/versions/1/infer");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        Wire.BinaryResponse b = Wire.split(r);
        assertThat(b.json().get("outputs").get(0).get("shape").toString()).isEqualTo("[1,3]");
        assertThat(Wire.toFloats(b.blob(0))).containsExactly(Arrays.copyOf(y1, 3), within(1e-5f));
    }

    @Test
    void everyDatatypeRoundTrips() {
        String json = "{\"inputs\": ["
                + "{\"name\": \"in_bool\", \"datatype\": \"BOOL\", \"shape\": [2], \"data\": [true, false]},"
                + "{\"name\": \"in_uint8\", \"datatype\": \"UINT8\", \"shape\": [2], \"data\": [0, 255]},"
                + "{\"name\": \"in_int8\", \"datatype\": \"INT8\", \"shape\": [2], \"data\": [-128, 127]},"
                + "{\"name\": \"in_int16\", \"datatype\": \"INT16\", \"shape\": [2], \"data\": [-32768, 32767]},"
                + "{\"name\": \"in_int32\", \"datatype\": \"INT32\", \"shape\": [2], \"data\": [-2147483648, 2147483647]},"
                + "{\"name\": \"in_int64\", \"datatype\": \"INT64\", \"shape\": [2], \"data\": [-9223372036854775808, 9223372036854775807]},"
                + "{\"name\": \"in_fp16\", \"datatype\": \"FP16\", \"shape\": [2], \"parameters\": {\"binary_data_size\": 4}},"
                + "{\"name\": \"in_bf16\", \"datatype\": \"BF16\", \"shape\": [2], \"parameters\": {\"binary_data_size\": 4}},"
                + "{\"name\": \"in_fp32\", \"datatype\": \"FP32\", \"shape\": [2], \"data\": [1.5, -2.25]},"
                + "{\"name\": \"in_fp64\", \"datatype\": \"FP64\", \"shape\": [2], \"data\": [1e300, -0.1]}]}";
        Response r = given().header(Wire.HEADER, Wire.length(json)).body(Wire.body(json, Wire.halfs(1.5f, -2f), Wire.bf16s(1.5f, -2f)))
                .post("/v2/models/types/infer");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        Wire.BinaryResponse b = Wire.split(r);
        JsonNode outs = b.json().get("outputs");
        assertThat(outs).hasSize(10);
        assertThat(outs.get(0).get("data").toString()).isEqualTo("[true,false]");
        assertThat(outs.get(1).get("data").toString()).isEqualTo("[0,255]");
        assertThat(outs.get(2).get("data").toString()).isEqualTo("[-128,127]");
        assertThat(outs.get(3).get("data").toString()).isEqualTo("[-32768,32767]");
        assertThat(outs.get(4).get("data").toString()).isEqualTo("[-2147483648,2147483647]");
        assertThat(outs.get(5).get("data").toString()).isEqualTo("[-9223372036854775808,9223372036854775807]");
        assertThat(outs.get(6).get("datatype").asText()).isEqualTo("FP16");
        assertThat(Wire.halfsToFloats(b.blob(6))).as("FP16 leaves as binary, JSON cannot carry it").containsExactly(1.5f, -2f);
        assertThat(Wire.halfsToFloats(b.blob(7))).hasSize(2);
        assertThat(outs.get(8).get("data").toString()).isEqualTo("[1.5,-2.25]");
        assertThat(outs.get(9).get("data").get(0).asDouble()).isEqualTo(1e300);
        assertThat(outs.get(9).get("data").get(1).asDouble()).isEqualTo(-0.1);
    }

    @Test
    void onlyTheRequestedOutputsComeBack() {
        String json = "{\"inputs\": ["
                + "{\"name\": \"in_bool\", \"datatype\": \"BOOL\", \"shape\": [1], \"data\": [true]},"
                + "{\"name\": \"in_uint8\", \"datatype\": \"UINT8\", \"shape\": [1], \"data\": [1]},"
                + "{\"name\": \"in_int8\", \"datatype\": \"INT8\", \"shape\": [1], \"data\": [2]},"
                + "{\"name\": \"in_int16\", \"datatype\": \"INT16\", \"shape\": [1], \"data\": [3]},"
                + "{\"name\": \"in_int32\", \"datatype\": \"INT32\", \"shape\": [1], \"data\": [4]},"
                + "{\"name\": \"in_int64\", \"datatype\": \"INT64\", \"shape\": [1], \"data\": [5]},"
                + "{\"name\": \"in_fp16\", \"datatype\": \"FP16\", \"shape\": [1], \"parameters\": {\"binary_data_size\": 2}},"
                + "{\"name\": \"in_bf16\", \"datatype\": \"BF16\", \"shape\": [1], \"parameters\": {\"binary_data_size\": 2}},"
                + "{\"name\": \"in_fp32\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [6]},"
                + "{\"name\": \"in_fp64\", \"datatype\": \"FP64\", \"shape\": [1], \"data\": [7]}],"
                + " \"outputs\": [{\"name\": \"out_int64\"}, {\"name\": \"out_bool\"}]}";
        given().header(Wire.HEADER, Wire.length(json)).body(Wire.body(json, Wire.halfs(1f), Wire.bf16s(1f))).post("/v2/models/types/infer")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("outputs.name", equalTo(java.util.List.of("out_int64", "out_bool")))
                .body("outputs[0].data[0]", equalTo(5)).body("outputs[1].data[0]", equalTo(true));
    }
}
