package dev.ember.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Prometheus meters of one model version, labelled {@code model} and {@code version}. Triton's names
 * (research/serving.md §2.7) for the counters and gauges, so existing dashboards and HPA rules carry over
 * (Micrometer adds {@code _total} to counters); Ember histograms for latencies and batch sizes. The meters
 * are removed when the version is gone, so a repository that churns versions does not grow the scrape.
 */
final class VersionMetrics {
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    private final Counter rejected;
    private final Counter failed;
    private final Timer request;
    private final Timer queue;
    private final Timer compute;
    private final DistributionSummary batchSize;

    VersionMetrics(MeterRegistry registry, String model, long version, VersionStats stats, Batcher batcher, LoadedVersion lv) {
        this.registry = registry;
        Tags tags = Tags.of("model", model, "version", Long.toString(version));
        count("nv_inference_request_success", "Successful inference requests", tags, stats, s -> s.success.count());
        count("nv_inference_count", "Inferences performed (batch rows)", tags, stats, s -> s.inferenceCount.sum());
        count("nv_inference_exec_count", "Model executions (forward passes)", tags, stats, s -> s.executionCount.sum());
        count("nv_inference_request_duration_us", "Cumulative request duration, queue to response", tags, stats, s -> (s.success.ns() + s.fail.ns()) / 1000.0);
        count("nv_inference_queue_duration_us", "Cumulative time requests waited in the queue", tags, stats, s -> s.queue.ns() / 1000.0);
        count("nv_inference_compute_input_duration_us", "Cumulative time preparing batch inputs", tags, stats, s -> s.computeInput.ns() / 1000.0);
        count("nv_inference_compute_infer_duration_us", "Cumulative forward-pass time", tags, stats, s -> s.computeInfer.ns() / 1000.0);
        count("nv_inference_compute_output_duration_us", "Cumulative time splitting and encoding outputs", tags, stats, s -> s.computeOutput.ns() / 1000.0);
        rejected = add(Counter.builder("nv_inference_request_failure").description("Failed inference requests").tags(tags).tag("reason", "REJECTED").register(registry));
        failed = add(Counter.builder("nv_inference_request_failure").description("Failed inference requests").tags(tags).tag("reason", "BACKEND").register(registry));
        add(Gauge.builder("nv_inference_pending_request_count", batcher, Batcher::queued)
                .description("Requests waiting in the queue for a forward pass").tags(tags).register(registry));
        add(Gauge.builder("ember_inference_inflight_requests", lv, LoadedVersion::inflight)
                .description("Accepted requests not yet answered (queued or computing); the autoscaling signal").tags(tags).register(registry));
        request = add(timer("ember_inference_request_duration", "Request latency from queueing to response", tags));
        queue = add(timer("ember_inference_queue_duration", "Time a request waited for its batch", tags));
        compute = add(timer("ember_inference_compute_duration", "Forward-pass time per batch", tags));
        batchSize = add(DistributionSummary.builder("ember_inference_batch_size").description("Rows per forward pass").tags(tags)
                .serviceLevelObjectives(BATCH_BUCKETS).register(registry));
    }

    void request(long nanos) { request.record(nanos, TimeUnit.NANOSECONDS); }

    void queue(long nanos) { queue.record(nanos, TimeUnit.NANOSECONDS); }

    void batch(int rows, long computeNanos) {
        batchSize.record(rows);
        compute.record(computeNanos, TimeUnit.NANOSECONDS);
    }

    void rejected() { rejected.increment(); }

    void failed(int requests) { failed.increment(requests); }

    void remove() { meters.forEach(registry::remove); }

    private void count(String name, String help, Tags tags, VersionStats stats, ToDoubleFunction<VersionStats> f) {
        add(FunctionCounter.builder(name, stats, f).description(help).tags(tags).register(registry));
    }

    private Timer timer(String name, String help, Tags tags) {
        return Timer.builder(name).description(help).tags(tags).serviceLevelObjectives(LATENCY_BUCKETS).register(registry);
    }

    private <M extends Meter> M add(M m) {
        meters.add(m);
        return m;
    }
}
