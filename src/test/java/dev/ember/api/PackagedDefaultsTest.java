package dev.ember.api;

import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.api.grpc.proto.RepositoryIndexRequest;
import dev.ember.api.grpc.proto.ServerReadyRequest;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** With the packaged defaults: open inference, management refused with a hint, and readiness DOWN while a model is missing. */
@QuarkusTest
@TestProfile(PackagedDefaultsProfile.class)
class PackagedDefaultsTest {
    static void awaitStartupLoads() {
        Await.until(() -> given().get("/v2/models/echo/ready").statusCode() == 200, "echo to load");
    }

    @Test
    void readinessStaysDownWhileAStartupModelFailed() throws Exception {
        awaitStartupLoads();
        given().get("/v2/health/live").then().statusCode(200);
        given().get("/v2/health/ready").then().statusCode(400).body("ready", equalTo(false));
        given().get("/q/health/ready").then().statusCode(503).body("status", equalTo("DOWN"));
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
        ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        try {
            assertThat(GRPCInferenceServiceGrpc.newBlockingStub(channel).serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isFalse();
            var health = HealthGrpc.newBlockingStub(channel);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus()).isEqualTo(ServingStatus.NOT_SERVING);
            assertThat(health.check(HealthCheckRequest.newBuilder().setService("inference.GRPCInferenceService").build()).getStatus())
                    .isEqualTo(ServingStatus.NOT_SERVING);
            assertThatThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(channel).repositoryIndex(RepositoryIndexRequest.getDefaultInstance()))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                        assertThat(e.getStatus().getDescription()).contains("ember.auth.management=open");
                    });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void inferenceIsOpenAndManagementExplainsHowToEnableIt() {
        awaitStartupLoads();
        given().contentType(ContentType.JSON).body("{\"inputs\": [{\"name\": \"x\", \"datatype\": \"FP32\", \"shape\": [1, 2], \"data\": [1, 2]}]}")
                .post("/v2/models/echo/infer").then().statusCode(200).body("outputs[0].data", equalTo(List.of(1001f, 1002f)));
        given().post("/v2/repository/index").then().statusCode(403)
                .body("error", containsString("set ember.auth.token and send 'Authorization: Bearer <token>', or set ember.auth.management=open"));
        given().header("Authorization", "Bearer anything").post("/v2/repository/models/echo/unload").then().statusCode(403);
        given().get("/v2/models/echo/ready").then().statusCode(200);
    }
}
