package dev.ember.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ember.tensor.Device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code config.json}: Triton's model configuration in its JSON form (field names of model_config.proto,
 * datatypes as TYPE_FP32 or FP32) plus Ember's {@code device}. Unknown fields are refused so a typo does not
 * silently change how a model is served; a few Triton fields that do not apply to Ember are accepted and ignored.
 */
public final class ModelConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("name", "platform", "max_batch_size", "input", "output", "version_policy",
            "dynamic_batching", "device");
    private static final Set<String> IGNORED_TRITON_FIELDS = Set.of("backend", "instance_group", "parameters", "optimization",
            "model_warmup", "default_model_filename", "metric_tags", "runtime");

    private ModelConfigReader() {}

    public static ModelConfig read(Path file, String modelName) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw ServingException.invalid("model '" + modelName + "' has no config.json (expected " + file + ")");
        } catch (IOException e) {
            throw ServingException.invalid("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, modelName, file.toString());
    }

    /** Parses config JSON; {@code where} names the source in error messages. */
    public static ModelConfig parse(String json, String modelName, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw ServingException.invalid(where + ": malformed JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) throw ServingException.invalid(where + ": expected a JSON object");
        return new ModelConfigReader.Parser(where).model(root, modelName);
    }

    private record Parser(String where) {
        ModelConfig model(JsonNode root, String modelName) {
            checkFields(root, FIELDS, IGNORED_TRITON_FIELDS, "");
            String name = text(root, "name", modelName);
            if (!name.equals(modelName))
                throw fail("name '" + name + "' does not match the model directory '" + modelName + "'");
            int maxBatch = integer(root, "max_batch_size", 0);
            if (maxBatch < 0) throw fail("max_batch_size must be 0 (no batching) or positive, got " + maxBatch);
            List<TensorSpec> inputs = tensors(root, "input");
            List<TensorSpec> outputs = tensors(root, "output");
            VersionPolicy policy = versionPolicy(root.get("version_policy"));
            ModelConfig.DynamicBatching batching = null;
            int maxQueue = 0;
            JsonNode db = root.get("dynamic_batching");
            if (db != null) {
                if (maxBatch == 0) throw fail("dynamic_batching needs max_batch_size > 0");
                checkFields(db, Set.of("preferred_batch_size", "max_queue_delay_microseconds", "default_queue_policy"), Set.of(), "dynamic_batching.");
                int[] preferred = ints(db, "preferred_batch_size");
                for (int p : preferred)
                    if (p < 1 || p > maxBatch) throw fail("dynamic_batching.preferred_batch_size " + p + " is not in [1, max_batch_size=" + maxBatch + "]");
                long delay = longValue(db, "max_queue_delay_microseconds", 0);
                if (delay < 0) throw fail("dynamic_batching.max_queue_delay_microseconds must not be negative");
                batching = new ModelConfig.DynamicBatching(preferred, delay);
                JsonNode qp = db.get("default_queue_policy");
                if (qp != null) {
                    checkFields(qp, Set.of("max_queue_size"), Set.of(), "dynamic_batching.default_queue_policy.");
                    maxQueue = integer(qp, "max_queue_size", 0);
                    if (maxQueue < 0) throw fail("dynamic_batching.default_queue_policy.max_queue_size must not be negative");
                }
            }
            String device = text(root, "device", null);
            if (device != null && !device.equals("auto")) {
                try {
                    Device.parse(device);
                } catch (IllegalArgumentException e) {
                    throw fail("device: " + e.getMessage());
                }
            }
            return new ModelConfig(name, text(root, "platform", null), maxBatch, inputs, outputs, policy, batching, device, maxQueue);
        }

        List<TensorSpec> tensors(JsonNode root, String field) {
            JsonNode arr = root.get(field);
            if (arr == null || !arr.isArray() || arr.isEmpty()) throw fail("'" + field + "' must list at least one tensor");
            List<TensorSpec> out = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (JsonNode t : arr) {
                if (!t.isObject()) throw fail("each '" + field + "' entry must be an object");
                checkFields(t, Set.of("name", "data_type", "dims"), Set.of("format", "optional", "reshape", "label_filename"), field + ".");
                String name = text(t, "name", null);
                if (name == null || name.isEmpty()) throw fail("an '" + field + "' entry has no name");
                if (!names.add(name)) throw fail("duplicate " + field + " '" + name + "'");
                String dt = text(t, "data_type", null);
                if (dt == null) throw fail(field + " '" + name + "' has no data_type");
                DataType datatype;
                try {
                    datatype = DataType.parseConfig(dt);
                } catch (ServingException e) {
                    throw fail(field + " '" + name + "': " + e.getMessage());
                }
                if (datatype.dtype() == null)
                    throw fail(field + " '" + name + "' has data_type " + dt + ", which Ember tensors cannot hold (PyTorch has no such dtype);"
                            + " use one of BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, BF16, FP32, FP64");
                JsonNode dimsNode = t.get("dims");
                if (dimsNode == null || !dimsNode.isArray()) throw fail(field + " '" + name + "' needs dims (a list; -1 marks a variable dim)");
                long[] dims = new long[dimsNode.size()];
                for (int i = 0; i < dims.length; i++) {
                    JsonNode d = dimsNode.get(i);
                    if (!d.canConvertToLong() || !d.isIntegralNumber() || (d.asLong() < 1 && d.asLong() != -1))
                        throw fail(field + " '" + name + "': dims must be positive integers or -1, got " + d);
                    dims[i] = d.asLong();
                }
                out.add(new TensorSpec(name, datatype, dims));
            }
            return out;
        }

        VersionPolicy versionPolicy(JsonNode node) {
            if (node == null) return new VersionPolicy.Latest(1);
            if (!node.isObject() || node.size() != 1)
                throw fail("version_policy must have exactly one of 'latest', 'all', 'specific'");
            String kind = node.fieldNames().next();
            JsonNode body = node.get(kind);
            return switch (kind) {
                case "latest" -> {
                    checkFields(body, Set.of("num_versions"), Set.of(), "version_policy.latest.");
                    int n = integer(body, "num_versions", 1);
                    if (n < 1) throw fail("version_policy.latest.num_versions must be at least 1, got " + n);
                    yield new VersionPolicy.Latest(n);
                }
                case "all" -> {
                    checkFields(body, Set.of(), Set.of(), "version_policy.all.");
                    yield new VersionPolicy.All();
                }
                case "specific" -> {
                    checkFields(body, Set.of("versions"), Set.of(), "version_policy.specific.");
                    TreeSet<Long> versions = new TreeSet<>();
                    JsonNode vs = body.get("versions");
                    if (vs == null || !vs.isArray() || vs.isEmpty()) throw fail("version_policy.specific.versions must list at least one version");
                    for (JsonNode v : vs) {
                        if (!v.isIntegralNumber() || v.asLong() < 1) throw fail("version_policy.specific.versions must be positive integers, got " + v);
                        versions.add(v.asLong());
                    }
                    yield new VersionPolicy.Specific(versions);
                }
                default -> throw fail("unknown version_policy '" + kind + "'; expected 'latest', 'all' or 'specific'");
            };
        }

        void checkFields(JsonNode node, Set<String> known, Set<String> ignored, String prefix) {
            if (!node.isObject()) throw fail("'" + prefix.replaceAll("\\.$", "") + "' must be an object");
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!known.contains(f) && !ignored.contains(f))
                    throw fail("unknown field '" + prefix + f + "'; known fields: " + new TreeSet<>(known));
            }
        }

        String text(JsonNode n, String field, String dflt) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) return dflt;
            if (!v.isTextual()) throw fail("'" + field + "' must be a string");
            return v.asText();
        }

        int integer(JsonNode n, String field, int dflt) {
            long v = longValue(n, field, dflt);
            if (v != (int) v) throw fail("'" + field + "' is out of range: " + v);
            return (int) v;
        }

        long longValue(JsonNode n, String field, long dflt) {
            JsonNode v = n.get(field);
            if (v == null || v.isNull()) return dflt;
            // Triton's JSON form of 64-bit ints is a string; accept both.
            if (v.isTextual()) {
                try {
                    return Long.parseLong(v.asText());
                } catch (NumberFormatException e) {
                    throw fail("'" + field + "' must be an integer, got \"" + v.asText() + "\"");
                }
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong()) throw fail("'" + field + "' must be an integer, got " + v);
            return v.asLong();
        }

        int[] ints(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null) return new int[0];
            if (!v.isArray()) throw fail("'" + field + "' must be a list of integers");
            int[] out = new int[v.size()];
            for (int i = 0; i < out.length; i++) {
                if (!v.get(i).isIntegralNumber()) throw fail("'" + field + "' must be a list of integers, got " + v.get(i));
                out[i] = v.get(i).asInt();
            }
            return out;
        }

        ServingException fail(String message) { return ServingException.invalid(where + ": " + message); }
    }
}
