package dev.ember.serving;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one model version in the shape of Triton's statistics extension (research/serving.md §2.3):
 * durations as (count, ns) pairs; inference_count counts batch rows, execution_count forward passes.
 */
public final class VersionStats {
    /** One (count, total nanoseconds) pair. */
    public static final class Duration {
        private final LongAdder count = new LongAdder();
        private final LongAdder ns = new LongAdder();

        void add(long nanos) {
            count.increment();
            ns.add(nanos);
        }

        public long count() { return count.sum(); }

        public long ns() { return ns.sum(); }

        public DurationSnapshot snapshot() { return new DurationSnapshot(count(), ns()); }
    }

    public record DurationSnapshot(long count, long ns) {}

    public record BatchSnapshot(int batchSize, DurationSnapshot computeInput, DurationSnapshot computeInfer, DurationSnapshot computeOutput) {}

    /**
     * Everything the statistics endpoints report for one version. {@code inferenceStats} holds Triton's keys
     * (success, fail, queue, compute_input, compute_infer, compute_output, cache_hit, cache_miss) in that order.
     */
    public record Snapshot(String name, String version, long lastInferenceMillis, long inferenceCount, long executionCount,
                           Map<String, DurationSnapshot> inferenceStats, List<BatchSnapshot> batchStats) {}

    private record BatchDurations(Duration input, Duration infer, Duration output) {}

    final Duration success = new Duration();
    final Duration fail = new Duration();
    final Duration queue = new Duration();
    final Duration computeInput = new Duration();
    final Duration computeInfer = new Duration();
    final Duration computeOutput = new Duration();
    // Ember has no response cache; the keys are reported (as zero) because clients expect Triton's full shape.
    private final Duration cacheHit = new Duration();
    private final Duration cacheMiss = new Duration();
    final LongAdder inferenceCount = new LongAdder();
    final LongAdder executionCount = new LongAdder();
    private volatile long lastInferenceMillis;
    private final Map<Integer, BatchDurations> batches = new ConcurrentHashMap<>();

    void recordBatch(int rows, long inputNs, long inferNs, long outputNs) {
        executionCount.increment();
        inferenceCount.add(rows);
        computeInput.add(inputNs);
        computeInfer.add(inferNs);
        computeOutput.add(outputNs);
        BatchDurations b = batches.computeIfAbsent(rows, r -> new BatchDurations(new Duration(), new Duration(), new Duration()));
        b.input.add(inputNs);
        b.infer.add(inferNs);
        b.output.add(outputNs);
        lastInferenceMillis = System.currentTimeMillis();
    }

    public Snapshot snapshot(String name, String version) {
        Map<String, DurationSnapshot> inference = new LinkedHashMap<>();
        inference.put("success", success.snapshot());
        inference.put("fail", fail.snapshot());
        inference.put("queue", queue.snapshot());
        inference.put("compute_input", computeInput.snapshot());
        inference.put("compute_infer", computeInfer.snapshot());
        inference.put("compute_output", computeOutput.snapshot());
        inference.put("cache_hit", cacheHit.snapshot());
        inference.put("cache_miss", cacheMiss.snapshot());
        List<BatchSnapshot> bs = new ArrayList<>();
        batches.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> bs.add(new BatchSnapshot(e.getKey(),
                e.getValue().input.snapshot(), e.getValue().infer.snapshot(), e.getValue().output.snapshot())));
        return new Snapshot(name, version, lastInferenceMillis, inferenceCount.sum(), executionCount.sum(), inference, bs);
    }
}
