package dev.ember.serving;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** config.json in Triton's JSON form: what it accepts, and the clear refusals that keep typos from changing how a model is served. */
class ModelConfigReaderTest {
    static ModelConfig parse(String json) { return ModelConfigReader.parse(json, "m", "m/config.json"); }

    static final String IO = "\"input\": [{\"name\": \"x\", \"data_type\": \"TYPE_FP32\", \"dims\": [-1, 4]}],"
            + " \"output\": [{\"name\": \"y\", \"data_type\": \"INT64\", \"dims\": [3]}]";

    @Test
    void readsTritonsFields() {
        ModelConfig c = parse("{\"name\": \"m\", \"platform\": \"p\", \"max_batch_size\": 8, " + IO + ", \"device\": \"cuda:1\","
                + " \"dynamic_batching\": {\"preferred_batch_size\": [4, 8], \"max_queue_delay_microseconds\": \"100\","
                + " \"default_queue_policy\": {\"max_queue_size\": 5}}, \"version_policy\": {\"specific\": {\"versions\": [1, 3]}},"
                + " \"instance_group\": [{\"count\": 2}]}");
        assertThat(c.maxBatchSize()).isEqualTo(8);
        assertThat(c.platform()).isEqualTo("p");
        assertThat(c.device()).isEqualTo("cuda:1");
        assertThat(c.inputs()).containsExactly(new TensorSpec("x", DataType.FP32, new long[] {-1, 4}));
        assertThat(c.outputs()).containsExactly(new TensorSpec("y", DataType.INT64, new long[] {3}));
        assertThat(c.dynamicBatching().preferredBatchSizes()).containsExactly(4, 8);
        assertThat(c.dynamicBatching().maxQueueDelayMicros()).isEqualTo(100);
        assertThat(c.maxQueueSize()).isEqualTo(5);
        assertThat(c.versionPolicy()).isEqualTo(new VersionPolicy.Specific(new TreeSet<>(List.of(1L, 3L))));
        assertThat(c.protocolShape(c.inputs().getFirst())).containsExactly(-1, -1, 4);
    }

    @Test
    void defaults() {
        ModelConfig c = parse("{" + IO + "}");
        assertThat(c.maxBatchSize()).isZero();
        assertThat(c.batching()).isFalse();
        assertThat(c.dynamicBatching()).isNull();
        assertThat(c.versionPolicy()).isEqualTo(new VersionPolicy.Latest(1));
        assertThat(c.device()).isNull();
        assertThat(c.protocolShape(c.outputs().getFirst())).containsExactly(3);
    }

    @Test
    void versionPoliciesSelect() {
        TreeSet<Long> onDisk = new TreeSet<>(List.of(1L, 2L, 5L, 7L));
        assertThat(new VersionPolicy.Latest(2).select(onDisk)).containsExactly(5L, 7L);
        assertThat(new VersionPolicy.All().select(onDisk)).containsExactly(1L, 2L, 5L, 7L);
        assertThat(new VersionPolicy.Specific(new TreeSet<>(List.of(2L, 3L))).select(onDisk)).containsExactly(2L);
    }

    @Test
    void refusals() {
        String[][] cases = {
            {"{", "malformed JSON"},
            {"{\"max_batch_sise\": 4, " + IO + "}", "unknown field 'max_batch_sise'"},
            {"{\"name\": \"other\", " + IO + "}", "does not match the model directory 'm'"},
            {"{\"max_batch_size\": -1, " + IO + "}", "max_batch_size must be 0"},
            {"{\"output\": [{\"name\": \"y\", \"data_type\": \"FP32\", \"dims\": [1]}]}", "'input' must list at least one tensor"},
            {"{" + IO.replace("TYPE_FP32", "TYPE_UINT32") + "}", "which Ember tensors cannot hold"},
            {"{" + IO.replace("TYPE_FP32", "TYPE_FLOAT") + "}", "unknown datatype 'FLOAT'"},
            {"{" + IO.replace("[-1, 4]", "[0, 4]") + "}", "dims must be positive integers or -1"},
            {"{\"input\": [{\"name\": \"x\", \"data_type\": \"FP32\", \"dims\": [1]}, {\"name\": \"x\", \"data_type\": \"FP32\", \"dims\": [2]}],"
                    + " \"output\": [{\"name\": \"y\", \"data_type\": \"FP32\", \"dims\": [1]}]}", "duplicate input 'x'"},
            {"{" + IO + ", \"dynamic_batching\": {}}", "dynamic_batching needs max_batch_size > 0"},
            {"{\"max_batch_size\": 4, " + IO + ", \"dynamic_batching\": {\"preferred_batch_size\": [8]}}", "is not in [1, max_batch_size=4]"},
            {"{" + IO + ", \"version_policy\": {\"newest\": {}}}", "unknown version_policy 'newest'"},
            {"{" + IO + ", \"version_policy\": {\"latest\": {\"num_versions\": 0}}}", "at least 1"},
            {"{" + IO + ", \"device\": \"tpu\"}", "device:"},
        };
        for (String[] c : cases)
            assertThatThrownBy(() -> parse(c[0])).as(c[0]).isInstanceOf(ServingException.class).hasMessageStartingWith("m/config.json: ").hasMessageContaining(c[1]);
    }
}
