package dev.ember.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.api.grpc.proto.InferTensorContents;
import dev.ember.api.grpc.proto.ModelInferRequest;
import dev.ember.api.grpc.proto.ModelInferResponse;
import dev.ember.serving.TestRepository;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 64 concurrent clients, half REST and half gRPC, each sending inputs that name the caller (x = [id, -id + k])
 * to models whose outputs name the version (y = x + 1000 * version): every answer must be the caller's own
 * rows from a version that was served, while batching merges callers and versions come and go.
 */
@QuarkusTest
@TestProfile(ServingProfile.class)
class ConcurrencyTest {
    static final int CLIENTS = 64;
    static final int REQUESTS = 25;

    HttpClient http;
    int httpPort;
    int grpcPort;

    @BeforeEach
    void setUp() {
        Await.ready();
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        httpPort = ConfigProvider.getConfig().getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081);
        grpcPort = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
    }

    /** One answer: HTTP-like status, version, the rows of y; or the error text. */
    record Answer(int status, long version, float[] y, String error) {}

    Answer viaRest(String model, float a, float b) throws Exception {
        String body = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [" + a + ", " + b + "]}]}";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/v2/models/" + model + "/infer"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode j = Wire.JSON.readTree(r.body());
        if (r.statusCode() != 200) return new Answer(r.statusCode(), -1, null, j.path("error").asText());
        JsonNode d = j.get("outputs").get(0).get("data");
        return new Answer(200, j.get("model_version").asLong(), new float[] {(float) d.get(0).asDouble(), (float) d.get(1).asDouble()}, null);
    }

    Answer viaGrpc(GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub, String model, float a, float b) {
        try {
            ModelInferResponse r = stub.withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(ModelInferRequest.newBuilder().setModelName(model)
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x").setDatatype("FP32").addShape(1).addShape(2)
                            .setContents(InferTensorContents.newBuilder().addFp32Contents(a).addFp32Contents(b))).build());
            var c = r.getOutputs(0).getContents();
            return new Answer(200, Long.parseLong(r.getModelVersion()), new float[] {c.getFp32Contents(0), c.getFp32Contents(1)}, null);
        } catch (StatusRuntimeException e) {
            return new Answer(switch (e.getStatus().getCode()) {
                case UNAVAILABLE -> 503;
                case INVALID_ARGUMENT -> 400;
                case NOT_FOUND -> 404;
                default -> 500;
            }, -1, null, e.getStatus().getDescription());
        }
    }

    /**
     * Runs the clients until each has sent its requests, while {@code controller} changes the model; returns the
     * problems found (wrong rows, unexpected statuses).
     */
    List<String> hammer(String model, boolean rejectionsAllowed, Runnable controller) throws Exception {
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
        var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS + 1);
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        AtomicInteger ok = new AtomicInteger();
        AtomicBoolean clientsDone = new AtomicBoolean();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c + 1;
                clients.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < REQUESTS; k++) {
                        float a = id, b = -id + k;
                        Answer r = id % 2 == 0 ? viaRest(model, a, b) : viaGrpc(stub, model, a, b);
                        if (r.status() == 200) {
                            float offset = 1000f * r.version();
                            if (r.y()[0] != a + offset || r.y()[1] != b + offset)
                                problems.add("client " + id + " request " + k + " got " + r.y()[0] + ", " + r.y()[1] + " from version " + r.version());
                            else ok.incrementAndGet();
                        } else if (!(rejectionsAllowed && r.status() == 503 && r.error().contains("is not ready"))) {
                            problems.add("client " + id + " request " + k + ": " + r.status() + " " + r.error());
                        }
                    }
                    return null;
                }));
            }
            Future<?> control = pool.submit(() -> {
                start.await();
                while (!clientsDone.get()) controller.run();
                return null;
            });
            start.countDown();
            for (Future<?> f : clients) f.get(5, TimeUnit.MINUTES);
            clientsDone.set(true);
            control.get(1, TimeUnit.MINUTES);
        } finally {
            pool.shutdownNow();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        assertThat(ok.get()).as("successful answers").isPositive();
        return List.copyOf(problems);
    }

    void repository(String action, String model) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/v2/repository/models/" + model + "/" + action))
                    .header("Authorization", ServingProfile.BEARER).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(action + ": " + r.body()).isEqualTo(200);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void batchedAnswersGoBackToTheirCallers() throws Exception {
        long before = stat("echo", "execution_count");
        List<String> problems = hammer("echo", false, () -> sleep(50));
        assertThat(problems).isEmpty();
        long executions = stat("echo", "execution_count") - before;
        assertThat(executions).as("forward passes for %d requests", CLIENTS * REQUESTS).isLessThan(CLIENTS * REQUESTS);
    }

    @Test
    void versionSwapsNeverFailAnAcceptedRequest() throws Exception {
        var root = ServingProfile.REPOSITORY;
        AtomicInteger step = new AtomicInteger();
        try {
            List<String> problems = hammer("swap", false, () -> {
                int s = step.getAndIncrement() % 4;
                switch (s) {
                    case 0 -> TestRepository.version(root, "swap", 2, "{\"kind\": \"offset\", \"offset\": 2000}");
                    case 1 -> TestRepository.version(root, "swap", 3, "{\"kind\": \"offset\", \"offset\": 3000}");
                    case 2 -> TestRepository.delete(root.resolve("swap").resolve("3"));
                    default -> TestRepository.delete(root.resolve("swap").resolve("2"));
                }
                repository("load", "swap");
                sleep(30);
            });
            assertThat(problems).isEmpty();
            assertThat(step.get()).as("version changes made while clients ran").isGreaterThanOrEqualTo(4);
        } finally {
            TestRepository.delete(root.resolve("swap").resolve("2"));
            TestRepository.delete(root.resolve("swap").resolve("3"));
            repository("load", "swap");
        }
    }

    @Test
    void unloadAndLoadRejectNewRequestsButFinishAcceptedOnes() throws Exception {
        AtomicInteger cycles = new AtomicInteger();
        try {
            List<String> problems = hammer("swap", true, () -> {
                repository("unload", "swap");
                sleep(20);
                repository("load", "swap");
                sleep(40);
                cycles.incrementAndGet();
            });
            assertThat(problems).isEmpty();
            assertThat(cycles.get()).isPositive();
        } finally {
            repository("load", "swap");
        }
    }

    private long stat(String model, String field) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + httpPort + "/v2/models/" + model + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return Wire.JSON.readTree(r.body()).get("model_stats").get(0).get(field).asLong();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
