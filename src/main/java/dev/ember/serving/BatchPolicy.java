package dev.ember.serving;

import java.util.Arrays;

/**
 * How a version's queue forms batches. {@code maxRows == 0} runs every request alone (no dynamic batching);
 * otherwise requests merge up to {@code maxRows} batch rows, a batch whose rows hit a preferred size leaves
 * at once, and none waits longer than {@code maxDelayNanos} after its oldest request was queued.
 */
record BatchPolicy(int maxRows, int[] preferred, long maxDelayNanos) {
    static final BatchPolicy SINGLE = new BatchPolicy(0, new int[0], 0);

    static BatchPolicy of(ModelConfig config) {
        return config.dynamicBatchingOpt()
                .map(d -> new BatchPolicy(config.maxBatchSize(), d.preferredBatchSizes(), d.maxQueueDelayMicros() * 1000))
                .orElse(SINGLE);
    }

    boolean merges() { return maxRows > 0; }

    boolean isPreferred(int rows) {
        return Arrays.stream(preferred).anyMatch(p -> p == rows);
    }
}
