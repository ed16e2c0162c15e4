package dev.ember.api.rest;

import dev.ember.serving.IndexEntry;
import dev.ember.serving.ModelConfig;
import dev.ember.serving.ModelManager.ModelView;
import dev.ember.serving.ServerInfo;
import dev.ember.serving.TensorSpec;
import dev.ember.serving.VersionPolicy;
import dev.ember.serving.VersionStats;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON shapes of the metadata, configuration, statistics and repository responses (research/serving.md §1.3, §2). */
final class ProtocolJson {
    private ProtocolJson() {}

    static Map<String, Object> serverMetadata() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", ServerInfo.NAME);
        m.put("version", ServerInfo.VERSION);
        m.put("extensions", ServerInfo.EXTENSIONS);
        return m;
    }

    static Map<String, Object> modelMetadata(String name, ModelView view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("versions", view.versions().stream().map(String::valueOf).toList());
        m.put("platform", view.platform());
        m.put("inputs", tensors(view.config(), view.config().inputs()));
        m.put("outputs", tensors(view.config(), view.config().outputs()));
        return m;
    }

    private static List<Map<String, Object>> tensors(ModelConfig config, List<TensorSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", s.name());
            t.put("datatype", s.datatype().name());
            t.put("shape", config.protocolShape(s));
            out.add(t);
        }
        return out;
    }

    /** Triton's JSON form of the model configuration (model_config.proto field names), plus Ember's device. */
    static Map<String, Object> modelConfig(ModelView view) {
        ModelConfig c = view.config();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("platform", view.platform());
        m.put("max_batch_size", c.maxBatchSize());
        m.put("input", configTensors(c.inputs()));
        m.put("output", configTensors(c.outputs()));
        m.put("version_policy", switch (c.versionPolicy()) {
            case VersionPolicy.Latest l -> Map.of("latest", Map.of("num_versions", l.numVersions()));
            case VersionPolicy.All a -> Map.of("all", Map.of());
            case VersionPolicy.Specific s -> Map.of("specific", Map.of("versions", List.copyOf(s.versions())));
        });
        c.dynamicBatchingOpt().ifPresent(d -> {
            Map<String, Object> db = new LinkedHashMap<>();
            db.put("preferred_batch_size", d.preferredBatchSizes());
            db.put("max_queue_delay_microseconds", d.maxQueueDelayMicros());
            if (c.maxQueueSize() > 0) db.put("default_queue_policy", Map.of("max_queue_size", c.maxQueueSize()));
            m.put("dynamic_batching", db);
        });
        if (c.device() != null) m.put("device", c.device());
        return m;
    }

    private static List<Map<String, Object>> configTensors(List<TensorSpec> specs) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TensorSpec s : specs) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", s.name());
            t.put("data_type", s.datatype().configName());
            t.put("dims", s.dims());
            out.add(t);
        }
        return out;
    }

    static Map<String, Object> statistics(List<VersionStats.Snapshot> stats) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VersionStats.Snapshot s : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", s.name());
            m.put("version", s.version());
            m.put("last_inference", s.lastInferenceMillis());
            m.put("inference_count", s.inferenceCount());
            m.put("execution_count", s.executionCount());
            Map<String, Object> inference = new LinkedHashMap<>();
            s.inferenceStats().forEach((k, d) -> inference.put(k, duration(d)));
            m.put("inference_stats", inference);
            m.put("response_stats", Map.of());
            List<Map<String, Object>> batches = new ArrayList<>();
            for (VersionStats.BatchSnapshot b : s.batchStats()) {
                Map<String, Object> bm = new LinkedHashMap<>();
                bm.put("batch_size", b.batchSize());
                bm.put("compute_input", duration(b.computeInput()));
                bm.put("compute_infer", duration(b.computeInfer()));
                bm.put("compute_output", duration(b.computeOutput()));
                batches.add(bm);
            }
            m.put("batch_stats", batches);
            m.put("memory_usage", List.of());
            out.add(m);
        }
        return Map.of("model_stats", out);
    }

    private static Map<String, Object> duration(VersionStats.DurationSnapshot d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", d.count());
        m.put("ns", d.ns());
        return m;
    }

    /** Repository index rows; Triton leaves out an empty version or reason. */
    static List<Map<String, Object>> index(List<IndexEntry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (IndexEntry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", e.name());
            if (!e.version().isEmpty()) m.put("version", e.version());
            m.put("state", e.state().name());
            if (e.reason() != null && !e.reason().isEmpty()) m.put("reason", e.reason());
            out.add(m);
        }
        return out;
    }
}
