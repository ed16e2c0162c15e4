package dev.ember.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

/** Every way a REST inference request can be wrong, each answered with {"error": ...} and a fitting status. */
@QuarkusTest
@TestProfile(ServingProfile.class)
class RestErrorsTest {
    @BeforeEach
    void ready() { Await.ready(); }

    static ValidatableResponse infer(String model, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/v2/models/" + model + "/infer").then().contentType(ContentType.JSON);
    }

    static String x(String datatype, String shape, String data) {
        return "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"" + datatype + "\", \"shape\": " + shape + ", \"data\": " + data + "}]}";
    }

    static void badRequest(String model, String body, String message) {
        infer(model, body).statusCode(400).body("error", containsString(message));
    }

    @Test
    void malformedBodies() {
        badRequest("linear", "{\"inputs\": [", "malformed JSON");
        badRequest("linear", "[1, 2]", "must be a JSON object");
        badRequest("linear", "{}", "non-empty 'inputs'");
        badRequest("linear", "{\"inputs\": [{\"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}", "needs a 'name'");
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}", "needs a 'datatype'");
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}]}", "needs a 'shape'");
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4]}]}", "neither 'data' nor binary_data_size");
        badRequest("linear", x("FP32", "[1, -4]", "[1, 2, 3, 4]"), "non-negative integers");
        badRequest("linear", "{\"id\": 5, \"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}]}", "'id' must be a string");
        badRequest("linear", x("FP32", "[1, 4]", "[1, 2, {\"a\": 1}, 4]"), "unexpected object");
    }

    @Test
    void datatypeAndShapeMismatches() {
        badRequest("linear", x("fp32", "[1, 4]", "[1, 2, 3, 4]"), "unknown datatype 'fp32'");
        badRequest("linear", x("FP64", "[1, 4]", "[1, 2, 3, 4]"), "inference input 'x' data-type is 'FP64', but model 'linear' expects 'FP32'");
        badRequest("linear", x("FP32", "[1, 4]", "[1, 2, 3]"), "needs 4 elements but the data holds 3");
        badRequest("linear", x("FP32", "[1, 4]", "[[1, 2], [3, 4], [5]]"), "needs 4 elements but the data holds more");
        badRequest("linear", x("FP32", "[1, 5]", "[1, 2, 3, 4, 5]"), "unexpected shape for input 'x' for model 'linear'. Expected [-1, 4], got [1, 5]");
        badRequest("linear", x("FP32", "[9, 4]", "[" + "1,".repeat(35) + "1]"), "batch-size must be <= 8");
        badRequest("linear", x("FP32", "[4]", "[1, 2, 3, 4]"), "unexpected shape");
        badRequest("linear", x("FP32", "[1, 4]", "[1, 2, \"three\", 4]"), "expected a number but got the string \"three\"");
        badRequest("linear", x("FP32", "[1, 4]", "[1, 2, true, 4]"), "expected a number but got true");
        badRequest("failing", "{\"inputs\": [{\"name\": \"z\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}", "unexpected inference input 'z'");
        badRequest("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"data\": [1, 2, 3, 4]}],"
                + " \"outputs\": [{\"name\": \"nope\"}]}", "unexpected inference output 'nope'");
        badRequest("types", "{\"inputs\": [{\"name\": \"in_bool\", \"datatype\": \"BOOL\", \"shape\": [1], \"data\": [true]}]}", "input 'in_uint8' is missing");
    }

    @Test
    void valuesMustFitTheirDatatype() {
        String[][] cases = {
            {"in_uint8", "UINT8", "[256]", "value 256 is out of range for UINT8"},
            {"in_int8", "INT8", "[-129]", "out of range for INT8"},
            {"in_int32", "INT32", "[1.5]", "expected an integer but got 1.5"},
            {"in_bool", "BOOL", "[1]", "expected true or false but got 1"},
            {"in_fp16", "FP16", "[1.0]", "JSON cannot carry"},
        };
        for (String[] c : cases)
            badRequest("types", "{\"inputs\": [{\"name\": \"" + c[0] + "\", \"datatype\": \"" + c[1] + "\", \"shape\": [1], \"data\": " + c[2] + "}]}", c[3]);
    }

    @Test
    void unknownModelsAndVersions() {
        infer("nosuchmodel", x("FP32", "[1, 4]", "[1, 2, 3, 4]")).statusCode(404).body("error", containsString("unknown model 'nosuchmodel'"));
        given().contentType(ContentType.JSON).body(x("FP32", "[1, 4]", "[1, 2, 3, 4]")).post("/v2/models/linear/versions/9/infer")
                .then().statusCode(404).body("error", containsString("has no version 9 loaded (loaded versions: [1, 2])"));
        given().contentType(ContentType.JSON).body(x("FP32", "[1, 4]", "[1, 2, 3, 4]")).post("/v2/models/linear/versions/abc/infer")
                .then().statusCode(400).body("error", containsString("positive integer"));
        infer("broken", x("FP32", "[1]", "[1]")).statusCode(503).body("error", containsString("model 'broken' is not"));
        infer("no such!", x("FP32", "[1]", "[1]")).statusCode(400).body("error", containsString("invalid model name"));
    }

    @Test
    void oversizedRequests() {
        byte[] big = new byte[ServingProfile.MAX_REQUEST_BYTES + 1];
        Response r = given().contentType(ContentType.JSON).body(big).post("/v2/models/linear/infer");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.jsonPath().getString("error")).contains("over the limit of 1000000 bytes (ember.limits.max-request-bytes)");
        // a small body that declares a huge tensor is refused before anything is allocated
        infer("linear", x("FP32", "[100000000, 4]", "[1]")).statusCode(413).body("error", containsString("ember.limits.max-tensor-bytes"));
        infer("linear", x("FP32", "[8, 100000000000]", "[1]")).statusCode(413).body("error", containsString("more than 2147483647 elements"));
    }

    @Test
    void badBinaryFraming() {
        String json = "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": 16}}]}";
        byte[] body = Wire.body(json, Wire.floats(1, 2, 3, 4));
        given().header(Wire.HEADER, "abc").body(body).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("invalid Inference-Header-Content-Length 'abc'"));
        given().header(Wire.HEADER, body.length + 1).body(body).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("but the body has only"));
        given().header(Wire.HEADER, Wire.length(json)).body(Wire.body(json, Wire.floats(1, 2, 3))).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("claims 16 bytes of binary data but only 12 remain"));
        given().header(Wire.HEADER, Wire.length(json)).body(Wire.body(json, Wire.floats(1, 2, 3, 4, 5))).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("4 bytes of binary data that no input claims"));
        given().contentType(ContentType.JSON).body(json).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("no Inference-Header-Content-Length header"));
        String wrongSize = json.replace("16", "12");
        given().header(Wire.HEADER, Wire.length(wrongSize)).body(Wire.body(wrongSize, Wire.floats(1, 2, 3))).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("needs 16 bytes of data but 12 were given"));
        given().header(Wire.HEADER, 0).body(Wire.floats(1, 2)).post("/v2/models/types/infer").then().statusCode(400)
                .body("error", containsString("exactly one input"));
        given().header(Wire.HEADER, 0).body(new byte[] {1, 2, 3}).post("/v2/models/linear/infer").then().statusCode(400)
                .body("error", containsString("needs 16 bytes"));
        String bools = "{\"inputs\": [{\"name\": \"in_bool\", \"shape\": [1], \"datatype\": \"BOOL\", \"parameters\": {\"binary_data_size\": 1}}]}";
        given().header(Wire.HEADER, Wire.length(bools)).body(Wire.body(bools, new byte[] {7})).post("/v2/models/types/infer").then().statusCode(400)
                .body("error", containsString("is BOOL but element 0 is 7"));
    }

    @Test
    void sharedMemoryIsRefusedNotIgnored() {
        infer("linear", "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 4], \"parameters\": {\"shared_memory_region\": \"r\"},"
                + " \"data\": [1, 2, 3, 4]}]}").statusCode(501).body("error", containsString("shared-memory"));
    }

    @Test
    void modelFaultsAreInternalErrors() {
        infer("failing", x("FP32", "[1]", "[1]")).statusCode(500).body("error", containsString("inference failed for model 'failing' version 1: model exploded"));
        infer("bad_output", x("FP32", "[1]", "[1]")).statusCode(500).body("error", containsString("as FP64 but config.json declares FP32"));
    }

    @Test
    void aFullQueueAnswers503() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++)
                calls.add(CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON).body(x("FP32", "[1, 1]", "[1]")).post("/v2/models/slow/infer"), pool));
            List<Integer> codes = calls.stream().map(c -> c.join().statusCode()).toList();
            assertThat(codes).contains(200, 503).containsOnly(200, 503);
            Response rejected = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 503).findFirst().orElseThrow();
            assertThat(rejected.jsonPath().getString("error")).contains("the inference queue of model 'slow' is full (2 requests waiting)");
        } finally {
            pool.shutdown();
        }
    }
}
