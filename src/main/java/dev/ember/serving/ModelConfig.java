package dev.ember.serving;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A model's serving configuration ({@code <repository>/<model>/config.json}), in Triton's terms: with
 * {@code maxBatchSize > 0} every input and output has a leading batch dim of at most that size, which the
 * dims leave out; {@code dynamicBatching} (present only then) lets concurrent requests share a forward pass.
 *
 * @param platform     the loader to use, or null to let the first loader that accepts the files take it
 * @param device       where the loader should place the model (auto, cpu, cuda, cuda:N), or null for the server default
 * @param maxQueueSize requests that may wait for this model at once; 0 means the server default
 */
public record ModelConfig(String name, String platform, int maxBatchSize, List<TensorSpec> inputs, List<TensorSpec> outputs,
                          VersionPolicy versionPolicy, DynamicBatching dynamicBatching, String device, int maxQueueSize) {
    public ModelConfig {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /**
     * Triton's dynamic_batching: {@code preferredBatchSizes} are sent as soon as they form; otherwise the
     * batcher waits at most {@code maxQueueDelayMicros} after the oldest queued request for a fuller batch.
     */
    public record DynamicBatching(int[] preferredBatchSizes, long maxQueueDelayMicros) {
        public DynamicBatching {
            preferredBatchSizes = preferredBatchSizes.clone();
        }

        @Override
        public int[] preferredBatchSizes() { return preferredBatchSizes.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof DynamicBatching d && Arrays.equals(preferredBatchSizes, d.preferredBatchSizes) && maxQueueDelayMicros == d.maxQueueDelayMicros;
        }

        @Override
        public int hashCode() { return Arrays.hashCode(preferredBatchSizes) * 31 + Long.hashCode(maxQueueDelayMicros); }
    }

    public boolean batching() { return maxBatchSize > 0; }

    public Optional<DynamicBatching> dynamicBatchingOpt() { return Optional.ofNullable(dynamicBatching); }

    public Optional<TensorSpec> input(String inputName) { return inputs.stream().filter(s -> s.name().equals(inputName)).findFirst(); }

    public Optional<TensorSpec> output(String outputName) { return outputs.stream().filter(s -> s.name().equals(outputName)).findFirst(); }

    /** The shape clients see in metadata: the dims, behind a -1 batch dim when the model batches. */
    public long[] protocolShape(TensorSpec spec) {
        if (!batching()) return spec.dims();
        long[] d = spec.dims();
        long[] out = new long[d.length + 1];
        out[0] = -1;
        System.arraycopy(d, 0, out, 1, d.length);
        return out;
    }
}
