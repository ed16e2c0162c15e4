package dev.ember.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.ember.api.grpc.proto.InferTensorContents;
import dev.ember.api.grpc.proto.ModelInferRequest;
import dev.ember.api.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.ember.api.grpc.proto.ModelInferResponse;
import dev.ember.api.grpc.proto.ModelMetadataRequest;
import dev.ember.serving.ExampleModels;
import dev.ember.serving.SpecModelLoader;
import dev.ember.serving.TestRepository;
import dev.ember.tensor.Tensor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ember.testing.TensorAssert.assertClose;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The bundled example models (digits and LeNet, trained or initialised and exported by real PyTorch) served over
 * REST (JSON, nested and flat; Triton's binary extension; raw binary) and gRPC (typed and raw contents) answer
 * with the outputs PyTorch computed for the same inputs (tools/example_fixtures.py); concurrent callers merged
 * into batches each get PyTorch's answer for their own input; versions load, swap and unload under traffic.
 */
@QuarkusTest
@TestProfile(ServingProfile.class)
class ExampleModelsServingTest {
    static final double RTOL = 1e-4, ATOL = 1e-5;

    ManagedChannel channel;
    GRPCInferenceServiceBlockingStub stub;
    HttpClient http;
    int httpPort;

    @BeforeEach
    void connect() {
        Await.ready();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        httpPort = ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------------------------------------- encoding

    /** The tensor's elements as nested JSON arrays (nested = true) or one flat array. */
    static String json(Tensor t, boolean nested) {
        float[] v = t.toFloatArray();
        if (!nested) return join(v, 0, v.length);
        return nest(v, t.shape(), 0, 0);
    }

    private static String nest(float[] v, int[] shape, int dim, int offset) {
        if (dim == shape.length - 1) return join(v, offset, shape[dim]);
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = 0; i < shape[dim]; i++) j.add(nest(v, shape, dim + 1, offset + i * stride));
        return j.toString();
    }

    private static String join(float[] v, int from, int count) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int i = from; i < from + count; i++) j.add(Float.toString(v[i]));
        return j.toString();
    }

    static String shape(Tensor t) { return Arrays.toString(t.shape()); }

    static String jsonRequest(String input, Tensor x, boolean nested) {
        return "{\"id\": \"q\", \"inputs\": [{\"name\": \"" + input + "\", \"datatype\": \"FP32\", \"shape\": " + shape(x) + ", \"data\": " + json(x, nested) + "}]}";
    }

    static float[] jsonFloats(JsonNode data) {
        float[] out = new float[data.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) data.get(i).asDouble();
        return out;
    }

    /** Compares a flat answer with PyTorch's tensor, shape included. */
    static void assertPyTorch(float[] got, long[] gotShape, Tensor expected, String what) {
        assertThat(gotShape).as(what + " shape").containsExactly(Arrays.stream(expected.shape()).asLongStream().toArray());
        assertClose(Tensor.fromArray(got, expected.shape()), expected, RTOL, ATOL, what);
    }

    static long[] shape(JsonNode s) {
        long[] out = new long[s.size()];
        for (int i = 0; i < out.length; i++) out[i] = s.get(i).asLong();
        return out;
    }

    static ModelInferRequest grpcRequest(String model, String version, String input, Tensor x, boolean raw) {
        InferInputTensor.Builder in = InferInputTensor.newBuilder().setName(input).setDatatype("FP32");
        for (int d : x.shape()) in.addShape(d);
        ModelInferRequest.Builder b = ModelInferRequest.newBuilder().setModelName(model).setModelVersion(version).setId("g");
        float[] v = x.toFloatArray();
        if (raw) {
            b.addRawInputContents(ByteString.copyFrom(Wire.floats(v)));
        } else {
            InferTensorContents.Builder c = InferTensorContents.newBuilder();
            for (float f : v) c.addFp32Contents(f);
            in.setContents(c);
        }
        return b.addInputs(in).build();
    }

    /** The first output's values, typed or raw, whichever the response carries. */
    static float[] grpcFloats(ModelInferResponse r) {
        if (r.getRawOutputContentsCount() > 0) return Wire.toFloats(r.getRawOutputContents(0).toByteArray());
        List<Float> l = r.getOutputs(0).getContents().getFp32ContentsList();
        float[] out = new float[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = l.get(i);
        return out;
    }

    static long[] grpcShape(ModelInferResponse r) { return r.getOutputs(0).getShapeList().stream().mapToLong(Long::longValue).toArray(); }

    // ---------------------------------------------------------------------------------------------- REST

    @Test
    void restJsonGivesPyTorchsOutputs() {
        Tensor digits = ExampleModels.tensor("digits.input");
        Response r = given().contentType(ContentType.JSON).body(jsonRequest("input__0", digits, true)).post("/v2/models/digits/infer");
        r.then().statusCode(200).body("model_name", equalTo("digits")).body("model_version", equalTo("1")).body("id", equalTo("q"))
                .body("outputs[0].name", equalTo("output__0")).body("outputs[0].datatype", equalTo("FP32"));
        JsonNode out = Wire.json(r).get("outputs").get(0);
        assertPyTorch(jsonFloats(out.get("data")), shape(out.get("shape")), ExampleModels.tensor("digits.output"), "digits over REST JSON (nested data)");

        Tensor lenet = ExampleModels.tensor("lenet.input").narrow(0, 0, 5).contiguous();
        Response l = given().contentType(ContentType.JSON).body(jsonRequest("x", lenet, false)).post("/v2/models/lenet/infer");
        l.then().statusCode(200).body("outputs[0].name", equalTo("output"));
        JsonNode lo = Wire.json(l).get("outputs").get(0);
        assertPyTorch(jsonFloats(lo.get("data")), shape(lo.get("shape")), ExampleModels.tensor("lenet.output").narrow(0, 0, 5), "lenet over REST JSON (flat data)");
    }

    @Test
    void restBinaryExtensionGivesPyTorchsOutputs() {
        Tensor x = ExampleModels.tensor("lenet.input");
        String header = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": " + shape(x) + ", \"parameters\": {\"binary_data_size\": "
                + 4 * x.numel() + "}}], \"parameters\": {\"binary_data_output\": true}}";
        Response r = given().header(Wire.HEADER, Wire.length(header)).contentType(ContentType.BINARY).body(Wire.body(header, Wire.floats(x.toFloatArray())))
                .post("/v2/models/lenet/infer");
        r.then().statusCode(200);
        Wire.BinaryResponse b = Wire.split(r);
        assertPyTorch(Wire.toFloats(b.blob(0)), shape(b.json().get("outputs").get(0).get("shape")), ExampleModels.tensor("lenet.output"), "lenet, binary in and out");

        // Triton's raw binary request: the body is the one input's bytes, a batch of one
        Tensor one = ExampleModels.row("digits.input", 3);
        Response raw = given().header(Wire.HEADER, 0).contentType(ContentType.BINARY).body(Wire.floats(one.toFloatArray())).post("/v2/models/digits/infer");
        raw.then().statusCode(200);
        Wire.BinaryResponse rb = Wire.split(raw);
        assertPyTorch(Wire.toFloats(rb.blob(0)), shape(rb.json().get("outputs").get(0).get("shape")), ExampleModels.row("digits.output", 3), "digits, raw binary");
    }

    @Test
    void metadataDescribesTheExportedSignature() {
        given().get("/v2/models/lenet").then().statusCode(200).body("platform", equalTo(SpecModelLoader.PLATFORM))
                .body("inputs[0].name", equalTo("x")).body("inputs[0].shape", equalTo(List.of(-1, 1, 32, 32)))
                .body("outputs[0].name", equalTo("output")).body("outputs[0].shape", equalTo(List.of(-1, 10)));
        assertThat(stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("digits").build()).getPlatform()).isEqualTo(SpecModelLoader.PLATFORM);
        // a client error on a real model is a 400 naming the model's expectation, and the model keeps serving
        given().contentType(ContentType.JSON).body(jsonRequest("x", ExampleModels.tensor("digits.input"), false)).post("/v2/models/lenet/infer")
                .then().statusCode(400).body("error", containsString("unexpected shape for input 'x' for model 'lenet'. Expected [-1, 1, 32, 32], got [16, 1, 8, 8]"));
    }

    // ---------------------------------------------------------------------------------------------- gRPC

    @Test
    void grpcTypedAndRawContentsGivePyTorchsOutputs() {
        for (boolean raw : new boolean[] {false, true}) {
            String how = raw ? "raw" : "typed";
            ModelInferResponse d = stub.modelInfer(grpcRequest("digits", "", "input__0", ExampleModels.tensor("digits.input"), raw));
            assertThat(d.getModelVersion()).isEqualTo("1");
            assertThat(d.getRawOutputContentsCount() > 0).as("answered in the request's form").isEqualTo(raw);
            assertPyTorch(grpcFloats(d), grpcShape(d), ExampleModels.tensor("digits.output"), "digits over gRPC, " + how);
            ModelInferResponse l = stub.modelInfer(grpcRequest("lenet", "1", "x", ExampleModels.tensor("lenet.input"), raw));
            assertPyTorch(grpcFloats(l), grpcShape(l), ExampleModels.tensor("lenet.output"), "lenet over gRPC, " + how);
        }
    }

    // ---------------------------------------------------------------------------------------------- batching

    /** Client c sends row c % 16 of the model's fixture input; returns the problems seen. */
    List<String> concurrentClients(String model, String input, int clients, int requests) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c, row = c % 16;
                futures.add(pool.submit(() -> {
                    start.await();
                    Tensor x = ExampleModels.row(model + ".input", row);
                    Tensor want = ExampleModels.row(model + ".output", row);
                    for (int k = 0; k < requests; k++) {
                        try {
                            if (id % 2 == 0) {
                                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/v2/models/" + model + "/infer"))
                                        .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(jsonRequest(input, x, k % 2 == 0))).build(), HttpResponse.BodyHandlers.ofByteArray());
                                assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                                JsonNode out = Wire.JSON.readTree(r.body()).get("outputs").get(0);
                                assertPyTorch(jsonFloats(out.get("data")), shape(out.get("shape")), want, "REST client " + id + " row " + row);
                            } else {
                                ModelInferResponse r = stub.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(grpcRequest(model, "", input, x, k % 2 == 0));
                                assertPyTorch(grpcFloats(r), grpcShape(r), want, "gRPC client " + id + " row " + row);
                            }
                        } catch (Throwable e) {
                            problems.add(e.toString());
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) f.get(5, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
        }
        return List.copyOf(problems);
    }

    static long stat(String model, String field) {
        return given().get("/v2/models/" + model + "/stats").then().statusCode(200).extract().jsonPath().getLong("model_stats[0]." + field);
    }

    @Test
    void dynamicBatchingGivesEachCallerPyTorchsAnswerForItsOwnInput() throws Exception {
        for (String[] m : new String[][] {{"lenet", "x"}, {"digits", "input__0"}}) {
            long inferences = stat(m[0], "inference_count"), executions = stat(m[0], "execution_count");
            assertThat(concurrentClients(m[0], m[1], 32, 8)).as(m[0]).isEmpty();
            long rows = stat(m[0], "inference_count") - inferences, passes = stat(m[0], "execution_count") - executions;
            assertThat(rows).isEqualTo(32 * 8);
            assertThat(passes).as("forward passes for %d single-row requests to %s", rows, m[0]).isLessThan(rows);
        }
    }

    // ---------------------------------------------------------------------------------------------- versions

    static void repository(String action, String model) {
        given().header("Authorization", ServingProfile.BEARER).post("/v2/repository/" + (action.equals("index") ? "index" : "models/" + model + "/" + action))
                .then().statusCode(200);
    }

    @Test
    void versionsOfARealModelLoadSwapAndUnloadUnderTraffic() throws Exception {
        Path model = ServingProfile.REPOSITORY.resolve("digits_swap");
        Tensor x = ExampleModels.tensor("digits.input");
        try {
            assertPyTorch(grpcFloats(stub.modelInfer(grpcRequest("digits_swap", "", "input__0", x, true))), new long[] {16, 10},
                    ExampleModels.tensor("digits.output"), "version 1");
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger answers = new AtomicInteger();
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int row = c;
                clients.add(pool.submit(() -> {
                    while (!stop.get()) {
                        ModelInferResponse r = stub.withDeadlineAfter(60, TimeUnit.SECONDS)
                                .modelInfer(grpcRequest("digits_swap", "", "input__0", ExampleModels.row("digits.input", row), false));
                        String expected = switch (r.getModelVersion()) {
                            case "1" -> "digits.output";
                            case "2" -> "digits_v2.output";
                            default -> null;
                        };
                        if (expected == null) {
                            problems.add("answer from version " + r.getModelVersion());
                            continue;
                        }
                        try {
                            assertPyTorch(grpcFloats(r), grpcShape(r), ExampleModels.row(expected, row), "row " + row + " from version " + r.getModelVersion());
                            answers.incrementAndGet();
                        } catch (AssertionError e) {
                            problems.add(e.getMessage());
                        }
                    }
                    return null;
                }));
            }
            try {
                Thread.sleep(200);
                Files.createDirectories(model.resolve("2"));
                Files.copy(ExampleModels.digitsV2Weights(), model.resolve("2/model.safetensors"));
                repository("load", "digits_swap");                       // the latest version policy: 2 replaces 1
                given().get("/v2/models/digits_swap").then().statusCode(200).body("versions", equalTo(List.of("2")));
                Thread.sleep(200);
                TestRepository.delete(model.resolve("2"));
                repository("load", "digits_swap");                       // and back
                Thread.sleep(200);
            } finally {
                stop.set(true);
                for (Future<?> f : clients) f.get(1, TimeUnit.MINUTES);
                pool.shutdownNow();
            }
            assertThat(problems).isEmpty();
            assertThat(answers.get()).isPositive();

            Files.createDirectories(model.resolve("2"));
            Files.copy(ExampleModels.digitsV2Weights(), model.resolve("2/model.safetensors"));
            repository("load", "digits_swap");
            Response r = given().contentType(ContentType.JSON).body(jsonRequest("input__0", x, true)).post("/v2/models/digits_swap/infer");
            r.then().statusCode(200).body("model_version", equalTo("2"));
            JsonNode out = Wire.json(r).get("outputs").get(0);
            assertPyTorch(jsonFloats(out.get("data")), shape(out.get("shape")), ExampleModels.tensor("digits_v2.output"), "version 2 over REST");
            given().contentType(ContentType.JSON).body(jsonRequest("input__0", x, true)).post("/v2/models/digits_swap/versions/1/infer")
                    .then().statusCode(404).body("error", equalTo("model 'digits_swap' has no version 1 loaded (loaded versions: [2])"));

            repository("unload", "digits_swap");
            given().get("/v2/models/digits_swap/ready").then().statusCode(400).body("ready", equalTo(false));
            given().contentType(ContentType.JSON).body(jsonRequest("input__0", x, true)).post("/v2/models/digits_swap/infer")
                    .then().statusCode(503).body("error", containsString("model 'digits_swap' is not ready"));
        } finally {
            TestRepository.delete(model.resolve("2"));
            repository("load", "digits_swap");
        }
        given().get("/v2/models/digits_swap/ready").then().statusCode(200);
        assertPyTorch(grpcFloats(stub.modelInfer(grpcRequest("digits_swap", "1", "input__0", x, false))), new long[] {16, 10},
                ExampleModels.tensor("digits.output"), "version 1 again");
    }
}
