package dev.ember.serving;

import dev.ember.tensor.Tensor;

import java.util.Map;

/**
 * One loaded, immutable model version: the narrow interface the serving layer runs. The server calls
 * {@link #infer} under no-grad, from its batcher threads, with one tensor per input declared in config.json
 * (batched models get the merged batch along dim 0) and expects every declared output back, with the
 * declared dtype and, for batched models, the same dim 0. A Servable must not change between calls:
 * fine-tuning publishes a new version instead.
 */
public interface Servable extends AutoCloseable {
    Map<String, Tensor> infer(Map<String, Tensor> inputs);

    /** Releases what the version holds (device memory); called once no request uses it any more. */
    @Override
    default void close() {}
}
