package dev.ember.api.grpc;

import dev.ember.api.grpc.proto.InferBatchStatistics;
import dev.ember.api.grpc.proto.InferStatistics;
import dev.ember.api.grpc.proto.ModelConfig;
import dev.ember.api.grpc.proto.ModelDynamicBatching;
import dev.ember.api.grpc.proto.ModelInput;
import dev.ember.api.grpc.proto.ModelInstanceGroup;
import dev.ember.api.grpc.proto.ModelMetadataResponse;
import dev.ember.api.grpc.proto.ModelOutput;
import dev.ember.api.grpc.proto.ModelQueuePolicy;
import dev.ember.api.grpc.proto.ModelStatistics;
import dev.ember.api.grpc.proto.ModelVersionPolicy;
import dev.ember.api.grpc.proto.RepositoryIndexResponse;
import dev.ember.api.grpc.proto.StatisticDuration;
import dev.ember.serving.DataType;
import dev.ember.serving.IndexEntry;
import dev.ember.serving.ModelManager.ModelView;
import dev.ember.serving.TensorSpec;
import dev.ember.serving.VersionPolicy;
import dev.ember.serving.VersionStats;
import dev.ember.tensor.Device;

import java.util.List;

/** Metadata, configuration, statistics and index messages from serving's views of the models. */
final class MetadataMessages {
    private MetadataMessages() {}

    static ModelMetadataResponse metadata(String name, ModelView view) {
        ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(name).setPlatform(view.platform());
        view.versions().forEach(v -> b.addVersions(Long.toString(v)));
        for (TensorSpec s : view.config().inputs()) b.addInputs(tensor(view, s));
        for (TensorSpec s : view.config().outputs()) b.addOutputs(tensor(view, s));
        return b.build();
    }

    private static ModelMetadataResponse.TensorMetadata tensor(ModelView view, TensorSpec s) {
        ModelMetadataResponse.TensorMetadata.Builder t = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(s.name()).setDatatype(s.datatype().name());
        for (long d : view.config().protocolShape(s)) t.addShape(d);
        return t.build();
    }

    static ModelConfig config(ModelView view) {
        dev.ember.serving.ModelConfig c = view.config();
        ModelConfig.Builder b = ModelConfig.newBuilder().setName(c.name()).setPlatform(view.platform()).setMaxBatchSize(c.maxBatchSize());
        for (TensorSpec s : c.inputs()) b.addInput(ModelInput.newBuilder().setName(s.name()).setDataType(dataType(s.datatype())).addAllDims(dims(s)));
        for (TensorSpec s : c.outputs()) b.addOutput(ModelOutput.newBuilder().setName(s.name()).setDataType(dataType(s.datatype())).addAllDims(dims(s)));
        b.setVersionPolicy(switch (c.versionPolicy()) {
            case VersionPolicy.Latest l -> ModelVersionPolicy.newBuilder().setLatest(ModelVersionPolicy.Latest.newBuilder().setNumVersions(l.numVersions()));
            case VersionPolicy.All a -> ModelVersionPolicy.newBuilder().setAll(ModelVersionPolicy.All.getDefaultInstance());
            case VersionPolicy.Specific s -> ModelVersionPolicy.newBuilder().setSpecific(ModelVersionPolicy.Specific.newBuilder().addAllVersions(s.versions()));
        });
        c.dynamicBatchingOpt().ifPresent(d -> {
            ModelDynamicBatching.Builder db = ModelDynamicBatching.newBuilder().setMaxQueueDelayMicroseconds(d.maxQueueDelayMicros());
            for (int p : d.preferredBatchSizes()) db.addPreferredBatchSize(p);
            if (c.maxQueueSize() > 0) db.setDefaultQueuePolicy(ModelQueuePolicy.newBuilder().setMaxQueueSize(c.maxQueueSize()));
            b.setDynamicBatching(db);
        });
        // Ember's device, in Triton's terms: one instance, on the GPU it names or on the CPU.
        ModelInstanceGroup.Builder group = ModelInstanceGroup.newBuilder().setCount(1);
        String device = c.device() == null ? "auto" : c.device();
        if (device.equals("auto")) group.setKind(ModelInstanceGroup.Kind.KIND_AUTO);
        else if (Device.parse(device).isCpu()) group.setKind(ModelInstanceGroup.Kind.KIND_CPU);
        else group.setKind(ModelInstanceGroup.Kind.KIND_GPU).addGpus(Math.max(0, Device.parse(device).index()));
        b.addInstanceGroup(group);
        return b.build();
    }

    private static dev.ember.api.grpc.proto.DataType dataType(DataType t) {
        return dev.ember.api.grpc.proto.DataType.valueOf(t.configName());
    }

    private static List<Long> dims(TensorSpec s) {
        return java.util.Arrays.stream(s.dims()).boxed().toList();
    }

    static ModelStatistics statistics(VersionStats.Snapshot s) {
        InferStatistics.Builder inf = InferStatistics.newBuilder()
                .setSuccess(d(s.inferenceStats().get("success"))).setFail(d(s.inferenceStats().get("fail")))
                .setQueue(d(s.inferenceStats().get("queue"))).setComputeInput(d(s.inferenceStats().get("compute_input")))
                .setComputeInfer(d(s.inferenceStats().get("compute_infer"))).setComputeOutput(d(s.inferenceStats().get("compute_output")))
                .setCacheHit(d(s.inferenceStats().get("cache_hit"))).setCacheMiss(d(s.inferenceStats().get("cache_miss")));
        ModelStatistics.Builder b = ModelStatistics.newBuilder().setName(s.name()).setVersion(s.version())
                .setLastInference(s.lastInferenceMillis()).setInferenceCount(s.inferenceCount()).setExecutionCount(s.executionCount())
                .setInferenceStats(inf);
        for (VersionStats.BatchSnapshot bs : s.batchStats())
            b.addBatchStats(InferBatchStatistics.newBuilder().setBatchSize(bs.batchSize()).setComputeInput(d(bs.computeInput()))
                    .setComputeInfer(d(bs.computeInfer())).setComputeOutput(d(bs.computeOutput())));
        return b.build();
    }

    private static StatisticDuration d(VersionStats.DurationSnapshot s) {
        return StatisticDuration.newBuilder().setCount(s.count()).setNs(s.ns()).build();
    }

    static RepositoryIndexResponse index(List<IndexEntry> entries) {
        RepositoryIndexResponse.Builder b = RepositoryIndexResponse.newBuilder();
        for (IndexEntry e : entries)
            b.addModels(RepositoryIndexResponse.ModelIndex.newBuilder().setName(e.name()).setVersion(e.version())
                    .setState(e.state().name()).setReason(e.reason() == null ? "" : e.reason()));
        return b.build();
    }
}
