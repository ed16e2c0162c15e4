package dev.ember.api;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/** Health, metadata, configuration, statistics, the repository extension with its token, and the metrics scrape. */
@QuarkusTest
@TestProfile(ServingProfile.class)
class RestMetadataTest {
    @BeforeEach
    void ready() { Await.ready(); }

    @Test
    void health() {
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("models")).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void serverMetadata() {
        given().get("/v2").then().statusCode(200).body("name", equalTo("ember")).body("version", equalTo("0.1.0"))
                .body("extensions", hasItems("binary_tensor_data", "model_repository", "statistics", "model_configuration"));
    }

    @Test
    void modelMetadata() {
        given().get("/v2/models/linear").then().statusCode(200).body("name", equalTo("linear")).body("versions", equalTo(List.of("1", "2")))
                .body("platform", equalTo("ember_test"))
                .body("inputs", equalTo(List.of(Map.of("name", "x", "datatype", "FP32", "shape", List.of(-1, 4)))))
                .body("outputs", equalTo(List.of(Map.of("name", "y", "datatype", "FP32", "shape", List.of(-1, 3)))));
        given().get("/v2/models/types/versions/1").then().statusCode(200).body("inputs[0].shape", equalTo(List.of(-1)))
                .body("inputs.datatype", hasItems("BOOL", "FP16", "BF16", "INT64"));
        given().get("/v2/models/linear/versions/7").then().statusCode(404).body("error", containsString("no version 7"));
        given().get("/v2/models/nosuch").then().statusCode(404).contentType(ContentType.JSON).body("error", containsString("unknown model"));
        given().get("/v2/models/broken").then().statusCode(503).body("error", containsString("model 'broken' is not"));
    }

    @Test
    void modelReadiness() {
        given().get("/v2/models/linear/ready").then().statusCode(200).body("name", equalTo("linear")).body("ready", equalTo(true));
        given().get("/v2/models/linear/versions/1/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/linear/versions/7/ready").then().statusCode(400).body("ready", equalTo(false));
        given().get("/v2/models/broken/ready").then().statusCode(400).body("ready", equalTo(false));
        given().get("/v2/models/nosuch/ready").then().statusCode(404).body("error", containsString("unknown model"));
    }

    @Test
    void modelConfiguration() {
        given().get("/v2/models/linear/config").then().statusCode(200).body("name", equalTo("linear")).body("max_batch_size", equalTo(8))
                .body("input[0].data_type", equalTo("TYPE_FP32")).body("input[0].dims", equalTo(List.of(4)))
                .body("version_policy", equalTo(Map.of("all", Map.of())))
                .body("dynamic_batching.max_queue_delay_microseconds", equalTo(1000));
        given().get("/v2/models/slow/versions/1/config").then().statusCode(200).body("dynamic_batching.default_queue_policy.max_queue_size", equalTo(2));
    }

    @Test
    void statistics() {
        given().contentType(ContentType.JSON).body("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [2, 2], \"data\": [1, 2, 3, 4]}]}")
                .post("/v2/models/echo/infer").then().statusCode(200);
        given().get("/v2/models/echo/stats").then().statusCode(200).body("model_stats[0].name", equalTo("echo"))
                .body("model_stats[0].version", equalTo("1"))
                .body("model_stats[0].inference_count", greaterThanOrEqualTo(2))
                .body("model_stats[0].execution_count", greaterThanOrEqualTo(1))
                .body("model_stats[0].inference_stats.success.count", greaterThanOrEqualTo(1))
                .body("model_stats[0].inference_stats.keySet()", hasItems("success", "fail", "queue", "compute_input", "compute_infer",
                        "compute_output", "cache_hit", "cache_miss"))
                .body("model_stats[0].batch_stats.batch_size", hasItem(2));
        given().get("/v2/models/echo/versions/1/stats").then().statusCode(200).body("model_stats.size()", equalTo(1));
        given().get("/v2/models/linear/stats").then().statusCode(200).body("model_stats.version", equalTo(List.of("1", "2")));
        given().get("/v2/models/stats").then().statusCode(200).body("model_stats.name", hasItems("echo", "linear", "types"));
        given().get("/v2/models/nosuch/stats").then().statusCode(404);
    }

    @Test
    void theRepositoryNeedsTheToken() {
        given().post("/v2/repository/index").then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("error", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer wrong").post("/v2/repository/index").then().statusCode(401).body("error", equalTo("invalid bearer token"));
        given().post("/v2/repository/models/linear/load").then().statusCode(401);
        given().post("/v2/repository/models/linear/unload").then().statusCode(401);
    }

    @Test
    void repositoryIndex() {
        given().header("Authorization", ServingProfile.BEARER).post("/v2/repository/index").then().statusCode(200)
                .body("find { it.name == 'broken' }.state", equalTo("UNAVAILABLE"))
                .body("find { it.name == 'broken' }.reason", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyOrNullString()))
                .body("findAll { it.name == 'linear' }.version", equalTo(List.of("1", "2")))
                .body("findAll { it.name == 'linear' }.state", everyItem(equalTo("READY")));
        given().header("Authorization", ServingProfile.BEARER).contentType(ContentType.JSON).body("{\"ready\": true}").post("/v2/repository/index")
                .then().statusCode(200).body("state", everyItem(equalTo("READY"))).body("name", hasItems("linear", "echo"));
        given().header("Authorization", ServingProfile.BEARER).body("{\"ready\": ").post("/v2/repository/index")
                .then().statusCode(400).body("error", containsString("malformed JSON"));
    }

    @Test
    void loadAndUnload() {
        String auth = ServingProfile.BEARER;
        String one = "{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1], \"data\": [1]}]}";
        given().header("Authorization", auth).post("/v2/repository/models/broken/load").then().statusCode(400)
                .body("error", containsString("failed to load model 'broken' version 1")).body("error", containsString("is truncated"));
        given().header("Authorization", auth).post("/v2/repository/models/nosuch/load").then().statusCode(404)
                .body("error", containsString("not in the model repository"));
        given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"parameters\": {\"config\": \"{}\"}}")
                .post("/v2/repository/models/failing/load").then().statusCode(501);
        try {
            given().header("Authorization", auth).post("/v2/repository/models/failing/unload").then().statusCode(200);
            given().contentType(ContentType.JSON).body(one).post("/v2/models/failing/infer").then().statusCode(503).body("error", containsString("unloaded"));
            given().get("/v2/models/failing/ready").then().statusCode(400);
        } finally {
            given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"parameters\": {\"note\": 1}}")
                    .post("/v2/repository/models/failing/load").then().statusCode(200);
        }
        given().contentType(ContentType.JSON).body(one).post("/v2/models/failing/infer").then().statusCode(500);
        given().get("/v2/health/ready").then().statusCode(200);
    }

    @Test
    void metricsPerModelAndVersion() {
        given().contentType(ContentType.JSON).body("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}]}")
                .post("/v2/models/echo/infer").then().statusCode(200);
        String scrape = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(scrape).contains("nv_inference_request_success_total{model=\"echo\",version=\"1\"}",
                "nv_inference_count_total{model=\"echo\",version=\"1\"}", "nv_inference_exec_count_total{model=\"echo\",version=\"1\"}",
                "nv_inference_queue_duration_us_total{model=\"echo\",version=\"1\"}",
                "nv_inference_pending_request_count{model=\"echo\",version=\"1\"}", "ember_inference_inflight_requests{model=\"echo\",version=\"1\"}",
                "ember_inference_request_duration_seconds_bucket{model=\"echo\",version=\"1\",le=",
                "ember_inference_queue_duration_seconds_count{model=\"echo\",version=\"1\"}",
                "ember_inference_compute_duration_seconds_bucket{model=\"echo\",version=\"1\",le=",
                "ember_inference_batch_size_bucket{model=\"echo\",version=\"1\",le=",
                "nv_inference_request_failure_total{model=\"echo\",reason=\"REJECTED\",version=\"1\"}",
                "nv_inference_request_success_total{model=\"linear\",version=\"2\"}");
    }
}
