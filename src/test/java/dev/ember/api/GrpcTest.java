package dev.ember.api;

import com.google.protobuf.ByteString;
import dev.ember.api.grpc.proto.DataType;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc;
import dev.ember.api.grpc.proto.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import dev.ember.api.grpc.proto.InferParameter;
import dev.ember.api.grpc.proto.InferTensorContents;
import dev.ember.api.grpc.proto.ModelConfig;
import dev.ember.api.grpc.proto.ModelConfigRequest;
import dev.ember.api.grpc.proto.ModelInferRequest;
import dev.ember.api.grpc.proto.ModelInferRequest.InferInputTensor;
import dev.ember.api.grpc.proto.ModelInferResponse;
import dev.ember.api.grpc.proto.ModelMetadataRequest;
import dev.ember.api.grpc.proto.ModelMetadataResponse;
import dev.ember.api.grpc.proto.ModelReadyRequest;
import dev.ember.api.grpc.proto.ModelStatisticsRequest;
import dev.ember.api.grpc.proto.ModelStatisticsResponse;
import dev.ember.api.grpc.proto.ModelStreamInferResponse;
import dev.ember.api.grpc.proto.RepositoryIndexRequest;
import dev.ember.api.grpc.proto.RepositoryIndexResponse;
import dev.ember.api.grpc.proto.RepositoryModelLoadRequest;
import dev.ember.api.grpc.proto.RepositoryModelUnloadRequest;
import dev.ember.api.grpc.proto.ServerLiveRequest;
import dev.ember.api.grpc.proto.ServerMetadataRequest;
import dev.ember.api.grpc.proto.ServerReadyRequest;
import dev.ember.testing.Fixtures;
import grpc.health.v1.HealthGrpc;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthOuterClass.HealthCheckResponse.ServingStatus;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Every GRPCInferenceService RPC and its error codes, through a generated blocking stub over a real channel. */
@QuarkusTest
@TestProfile(ServingProfile.class)
class GrpcTest {
    ManagedChannel channel;
    GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void connect() {
        Await.ready();
        int port = ConfigProvider.getConfig().getOptionalValue("quarkus.grpc.server.test-port", Integer.class).orElse(9001);
        channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static GRPCInferenceServiceBlockingStub authorized(GRPCInferenceServiceBlockingStub s, String value) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), value);
        return s.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
    }

    static void assertCode(Runnable call, Status.Code code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(message);
        });
    }

    static InferInputTensor.Builder input(String name, String datatype, long... shape) {
        InferInputTensor.Builder b = InferInputTensor.newBuilder().setName(name).setDatatype(datatype);
        for (long d : shape) b.addShape(d);
        return b;
    }

    static ModelInferRequest.Builder xRequest(String model, float... values) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : values) c.addFp32Contents(v);
        return ModelInferRequest.newBuilder().setModelName(model).addInputs(input("x", "FP32", 1, values.length).setContents(c));
    }

    @Test
    void healthAndMetadata() {
        assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
        assertThat(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("linear").setVersion("2").build()).getReady()).isTrue();
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("broken").build()).getReady()).isFalse();
        assertCode(() -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nosuch").build()), Status.Code.NOT_FOUND, "unknown model");
        var server = stub.serverMetadata(ServerMetadataRequest.getDefaultInstance());
        assertThat(server.getName()).isEqualTo("ember");
        assertThat(server.getExtensionsList()).contains("binary_tensor_data", "model_repository", "statistics");
        ModelMetadataResponse m = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("linear").build());
        assertThat(m.getVersionsList()).containsExactly("1", "2");
        assertThat(m.getPlatform()).isEqualTo("ember_test");
        assertThat(m.getInputs(0).getName()).isEqualTo("x");
        assertThat(m.getInputs(0).getDatatype()).isEqualTo("FP32");
        assertThat(m.getInputs(0).getShapeList()).containsExactly(-1L, 4L);
        assertCode(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("linear").setVersion("5").build()), Status.Code.NOT_FOUND, "no version 5");
        assertCode(() -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("broken").build()), Status.Code.UNAVAILABLE, "model 'broken' is not");

        var health = HealthGrpc.newBlockingStub(channel);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("").build()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("inference.GRPCInferenceService").build()).getStatus())
                .isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void modelConfigAndStatistics() {
        ModelConfig c = stub.modelConfig(ModelConfigRequest.newBuilder().setName("linear").build()).getConfig();
        assertThat(c.getName()).isEqualTo("linear");
        assertThat(c.getMaxBatchSize()).isEqualTo(8);
        assertThat(c.getInput(0).getDataType()).isEqualTo(DataType.TYPE_FP32);
        assertThat(c.getInput(0).getDimsList()).containsExactly(4L);
        assertThat(c.getVersionPolicy().hasAll()).isTrue();
        assertThat(c.getDynamicBatching().getMaxQueueDelayMicroseconds()).isEqualTo(1000);
        assertThat(stub.modelConfig(ModelConfigRequest.newBuilder().setName("types").build()).getConfig().getOutputList())
                .extracting(o -> o.getDataType()).contains(DataType.TYPE_BOOL, DataType.TYPE_FP16, DataType.TYPE_BF16);

        stub.modelInfer(xRequest("echo", 1, 2).build());
        ModelStatisticsResponse one = stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("echo").setVersion("1").build());
        assertThat(one.getModelStatsList()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo("echo");
            assertThat(s.getInferenceCount()).isPositive();
            assertThat(s.getInferenceStats().getSuccess().getCount()).isPositive();
            assertThat(s.getInferenceStats().getComputeInfer().getNs()).isPositive();
            assertThat(s.getBatchStatsList()).isNotEmpty();
        });
        assertThat(stub.modelStatistics(ModelStatisticsRequest.getDefaultInstance()).getModelStatsList()).extracting(s -> s.getName())
                .contains("echo", "linear", "types");
        assertCode(() -> stub.modelStatistics(ModelStatisticsRequest.newBuilder().setName("nosuch").build()), Status.Code.NOT_FOUND, "unknown model");
    }

    @Test
    void typedAndRawInferenceMatchPyTorch() {
        Fixtures.FixtureFile f = Fixtures.load("serving");
        float[] x = f.tensor(f.cases().get(0).inputs().get(0).name()).toFloatArray();
        float[] y = f.tensor(f.cases().get(0).outputs().get(0)).toFloatArray();
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (float v : x) c.addFp32Contents(v);
        ModelInferResponse typed = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").setModelVersion("1").setId("g-1")
                .putParameters("tag", InferParameter.newBuilder().setStringParam("t").build())
                .addInputs(input("x", "FP32", 6, 4).setContents(c)).build());
        assertThat(typed.getModelName()).isEqualTo("linear");
        assertThat(typed.getModelVersion()).isEqualTo("1");
        assertThat(typed.getId()).isEqualTo("g-1");
        assertThat(typed.getRawOutputContentsCount()).isZero();
        assertThat(typed.getOutputs(0).getShapeList()).containsExactly(6L, 3L);
        float[] got = new float[18];
        for (int i = 0; i < 18; i++) got[i] = typed.getOutputs(0).getContents().getFp32Contents(i);
        assertThat(got).containsExactly(y, within(1e-5f));

        ModelInferResponse raw = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").setModelVersion("1")
                .addInputs(input("x", "FP32", 6, 4)).addRawInputContents(ByteString.copyFrom(Wire.floats(x))).build());
        assertThat(raw.getOutputs(0).hasContents()).isFalse();
        assertThat(Wire.toFloats(raw.getRawOutputContents(0).toByteArray())).containsExactly(y, within(1e-5f));
    }

    @Test
    void everyDatatypeTravelsRaw() {
        String[] types = {"BOOL", "UINT8", "INT8", "INT16", "INT32", "INT64", "FP16", "BF16", "FP32", "FP64"};
        int[] sizes = {1, 1, 1, 2, 4, 8, 2, 2, 4, 8};
        ModelInferRequest.Builder r = ModelInferRequest.newBuilder().setModelName("types");
        for (int i = 0; i < types.length; i++) {
            r.addInputs(input("in_" + types[i].toLowerCase(), types[i], 2));
            byte[] data = new byte[2 * sizes[i]];
            data[0] = 1; // element 0 is 1 (or 1 ulp / tiny for floats), element 1 is 0: valid for every type, BOOL included
            r.addRawInputContents(ByteString.copyFrom(data));
        }
        ModelInferResponse out = stub.modelInfer(r.build());
        assertThat(out.getRawOutputContentsCount()).isEqualTo(10);
        for (int i = 0; i < types.length; i++) {
            assertThat(out.getOutputs(i).getDatatype()).isEqualTo(types[i]);
            assertThat(out.getRawOutputContents(i)).isEqualTo(r.getRawInputContents(i));
        }
    }

    @Test
    void typedContentsPerDatatype() {
        ModelInferRequest.Builder r = ModelInferRequest.newBuilder().setModelName("types")
                .addInputs(input("in_bool", "BOOL", 2).setContents(InferTensorContents.newBuilder().addBoolContents(true).addBoolContents(false)))
                .addInputs(input("in_uint8", "UINT8", 2).setContents(InferTensorContents.newBuilder().addUintContents(0).addUintContents(255)))
                .addInputs(input("in_int8", "INT8", 2).setContents(InferTensorContents.newBuilder().addIntContents(-128).addIntContents(127)))
                .addInputs(input("in_int16", "INT16", 2).setContents(InferTensorContents.newBuilder().addIntContents(-300).addIntContents(300)))
                .addInputs(input("in_int32", "INT32", 2).setContents(InferTensorContents.newBuilder().addIntContents(Integer.MIN_VALUE).addIntContents(7)))
                .addInputs(input("in_int64", "INT64", 2).setContents(InferTensorContents.newBuilder().addInt64Contents(Long.MIN_VALUE).addInt64Contents(8)))
                .addInputs(input("in_fp16", "FP16", 2).setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2)))
                .addInputs(input("in_bf16", "BF16", 2)).addInputs(input("in_fp32", "FP32", 2)).addInputs(input("in_fp64", "FP64", 2));
        assertCode(() -> stub.modelInfer(r.build()), Status.Code.INVALID_ARGUMENT, "send it in raw_input_contents");

        ModelInferRequest.Builder ok = r.clone().setModelName("typed").removeInputs(7).removeInputs(6)
                .setInputs(6, input("in_fp32", "FP32", 2).setContents(InferTensorContents.newBuilder().addFp32Contents(1.5f).addFp32Contents(-2)))
                .setInputs(7, input("in_fp64", "FP64", 2).setContents(InferTensorContents.newBuilder().addFp64Contents(1e300).addFp64Contents(-0.1)));
        ModelInferResponse out = stub.modelInfer(ok.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("out_int8"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("out_fp64"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("out_uint8"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("out_bool")).build());
        assertThat(out.getOutputsList()).extracting(o -> o.getName()).containsExactly("out_int8", "out_fp64", "out_uint8", "out_bool");
        assertThat(out.getOutputs(0).getContents().getIntContentsList()).containsExactly(-128, 127);
        assertThat(out.getOutputs(1).getContents().getFp64ContentsList()).containsExactly(1e300, -0.1);
        assertThat(out.getOutputs(2).getContents().getUintContentsList()).containsExactly(0, 255);
        assertThat(out.getOutputs(3).getContents().getBoolContentsList()).containsExactly(true, false);
    }

    @Test
    void inferenceErrorCodes() {
        assertCode(() -> stub.modelInfer(xRequest("nosuch", 1).build()), Status.Code.NOT_FOUND, "unknown model 'nosuch'");
        assertCode(() -> stub.modelInfer(xRequest("linear", 1, 2, 3, 4).setModelVersion("3").build()), Status.Code.NOT_FOUND, "no version 3");
        assertCode(() -> stub.modelInfer(xRequest("broken", 1).build()), Status.Code.UNAVAILABLE, "model 'broken' is not");
        assertCode(() -> stub.modelInfer(xRequest("linear", 1, 2, 3).build()), Status.Code.INVALID_ARGUMENT, "unexpected shape for input 'x'");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").addInputs(input("x", "FP64", 1, 4)
                .setContents(InferTensorContents.newBuilder().addFp64Contents(1).addFp64Contents(2).addFp64Contents(3).addFp64Contents(4))).build()),
                Status.Code.INVALID_ARGUMENT, "data-type is 'FP64', but model 'linear' expects 'FP32'");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").addInputs(input("x", "FP32", 1, 4)
                .setContents(InferTensorContents.newBuilder().addIntContents(1))).build()), Status.Code.INVALID_ARGUMENT, "belongs in fp32_contents, not int_contents");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").addInputs(input("x", "FP32", 1, 4))
                .addRawInputContents(ByteString.copyFrom(new byte[12])).build()), Status.Code.INVALID_ARGUMENT, "needs 16 bytes of data but 12 were given");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").addInputs(input("x", "FP32", 1, 4))
                .addInputs(input("z", "FP32", 1)).addRawInputContents(ByteString.copyFrom(new byte[16])).build()), Status.Code.INVALID_ARGUMENT,
                "raw_input_contents has 1 entries but the request has 2 inputs");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").addInputs(input("x", "FP32", 200000, 4)).build()),
                Status.Code.RESOURCE_EXHAUSTED, "ember.limits.max-tensor-bytes");
        assertCode(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("linear").addInputs(input("x", "FP32", 8, 40000))
                .addRawInputContents(ByteString.copyFrom(new byte[8 * 40000 * 4])).build()), Status.Code.RESOURCE_EXHAUSTED, "");
        assertCode(() -> stub.modelInfer(xRequest("linear", 1, 2, 3, 4).addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("y")
                .putParameters("shared_memory_region", InferParameter.newBuilder().setStringParam("r").build())).build()), Status.Code.UNIMPLEMENTED, "shared-memory");
        assertCode(() -> stub.modelInfer(xRequest("failing", 1).clearInputs().addInputs(input("x", "FP32", 1)
                .setContents(InferTensorContents.newBuilder().addFp32Contents(1))).build()), Status.Code.INTERNAL, "model exploded");
        assertCode(() -> stub.modelInfer(xRequest("linear", 1, 2, 3, 4).setModelVersion("v1").build()), Status.Code.INVALID_ARGUMENT, "positive integer");
    }

    @Test
    void streamingAnswersEveryRequestAndKeepsGoingAfterAnError() throws Exception {
        List<ModelStreamInferResponse> got = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        StreamObserver<ModelInferRequest> requests = GRPCInferenceServiceGrpc.newStub(channel).modelStreamInfer(new StreamObserver<>() {
            public void onNext(ModelStreamInferResponse r) { got.add(r); }
            public void onError(Throwable t) { done.countDown(); }
            public void onCompleted() { done.countDown(); }
        });
        requests.onNext(xRequest("echo", 1, 2).setId("s1").build());
        requests.onNext(xRequest("echo", 1, 2, 3).setId("s2").build());
        requests.onNext(xRequest("echo", 5, 6).setId("s3").build());
        requests.onCompleted();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(got).hasSize(3);
        assertThat(got).filteredOn(r -> !r.getErrorMessage().isEmpty()).singleElement()
                .satisfies(r -> assertThat(r.getErrorMessage()).contains("unexpected shape"));
        assertThat(got).filteredOn(ModelStreamInferResponse::hasInferResponse).extracting(r -> r.getInferResponse().getId())
                .containsExactlyInAnyOrder("s1", "s3");
        assertThat(got).filteredOn(r -> r.getInferResponse().getId().equals("s3")).singleElement()
                .satisfies(r -> assertThat(r.getInferResponse().getOutputs(0).getContents().getFp32ContentsList()).containsExactly(1005f, 1006f));
    }

    @Test
    void repositoryRpcsNeedTheToken() {
        assertCode(() -> stub.repositoryIndex(RepositoryIndexRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "Authorization: Bearer");
        assertCode(() -> authorized(stub, "Bearer nope").repositoryIndex(RepositoryIndexRequest.getDefaultInstance()), Status.Code.UNAUTHENTICATED, "invalid bearer token");
        assertCode(() -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("linear").build()), Status.Code.UNAUTHENTICATED, "");
        assertCode(() -> stub.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("linear").build()), Status.Code.UNAUTHENTICATED, "");

        GRPCInferenceServiceBlockingStub admin = authorized(stub, ServingProfile.BEARER);
        RepositoryIndexResponse index = admin.repositoryIndex(RepositoryIndexRequest.getDefaultInstance());
        assertThat(index.getModelsList()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("broken");
            assertThat(m.getState()).isEqualTo("UNAVAILABLE");
        });
        assertThat(admin.repositoryIndex(RepositoryIndexRequest.newBuilder().setReady(true).build()).getModelsList())
                .allSatisfy(m -> assertThat(m.getState()).isEqualTo("READY"));
        assertCode(() -> admin.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("broken").build()), Status.Code.INVALID_ARGUMENT,
                "failed to load model 'broken' version 1");
        assertCode(() -> admin.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("nosuch").build()), Status.Code.NOT_FOUND, "");
        assertCode(() -> admin.repositoryIndex(RepositoryIndexRequest.newBuilder().setRepositoryName("other").build()), Status.Code.NOT_FOUND,
                "unknown model repository");
        try {
            admin.repositoryModelUnload(RepositoryModelUnloadRequest.newBuilder().setModelName("bad_output").build());
            assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("bad_output").build()).getReady()).isFalse();
            assertCode(() -> stub.modelInfer(xRequest("bad_output", 1).build()), Status.Code.UNAVAILABLE, "unloaded");
        } finally {
            admin.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("bad_output").build());
        }
        assertThat(stub.modelReady(ModelReadyRequest.newBuilder().setName("bad_output").build()).getReady()).isTrue();
    }
}
