package dev.ember.serving;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.MemoryScope;
import dev.ember.tensor.Tensor;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One served version: its immutable {@link Servable}, its batcher and its statistics. Requests hold a lease
 * from acceptance to answer; a retired version takes no new leases and shuts down (batcher thread, servable,
 * meters) when the last lease is returned, so in-flight requests always finish on the version they started on.
 */
final class LoadedVersion {
    private static final Logger LOG = Logger.getLogger(LoadedVersion.class.getName());
    private static final int RETIRED = Integer.MIN_VALUE;

    final ModelConfig config;
    final long version;
    final String fingerprint;
    final String platform;
    final VersionStats stats = new VersionStats();
    private final Servable servable;
    private final Batcher batcher;
    private final VersionMetrics metrics;
    private final AtomicInteger modelQueued;
    private final int maxQueue;
    /** Leases held; the sign bit marks the version retired. */
    private final AtomicInteger leases = new AtomicInteger();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();

    LoadedVersion(ModelConfig config, long version, String fingerprint, String platform, Servable servable, AtomicInteger modelQueued, int maxQueue,
                  MeterRegistry registry) {
        this.config = config;
        this.version = version;
        this.fingerprint = fingerprint;
        this.platform = platform;
        this.servable = servable;
        this.modelQueued = modelQueued;
        this.maxQueue = maxQueue;
        this.batcher = new Batcher(BatchPolicy.of(config), this::run, "ember-infer-" + config.name() + "-v" + version);
        this.metrics = registry == null ? null : new VersionMetrics(registry, config.name(), version, stats, batcher, this);
    }

    boolean tryAcquire() {
        for (int c = leases.get(); c >= 0; c = leases.get()) if (leases.compareAndSet(c, c + 1)) return true;
        return false;
    }

    void release() {
        if (leases.decrementAndGet() == RETIRED) terminate();
    }

    /** No new requests; shuts down once those in flight are answered. Idempotent. */
    void retire() {
        int c;
        do {
            c = leases.get();
            if (c < 0) return;
        } while (!leases.compareAndSet(c, c | RETIRED));
        if (c == 0) terminate();
    }

    boolean retired() { return leases.get() < 0; }

    /** Requests accepted and not yet answered. */
    int inflight() { return leases.get() & Integer.MAX_VALUE; }

    CompletableFuture<Void> terminated() { return terminated; }

    /** Queues a validated request; the caller holds a lease. Fails fast when the model's queue is full. */
    CompletableFuture<InferResponse> submit(PendingRequest p) {
        if (modelQueued.incrementAndGet() > maxQueue) {
            modelQueued.decrementAndGet();
            if (metrics != null) metrics.rejected();
            stats.fail.add(0);
            throw ServingException.unavailable("the inference queue of model '" + config.name() + "' is full (" + maxQueue
                    + " requests waiting); retry later or raise dynamic_batching.default_queue_policy.max_queue_size / ember.inference.max-queue-size");
        }
        batcher.submit(p);
        return p.result;
    }

    private void terminate() {
        batcher.close();
        Thread.ofPlatform().daemon(true).name("ember-retire-" + config.name() + "-v" + version).start(() -> {
            try {
                batcher.awaitTermination(1, TimeUnit.HOURS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (metrics != null) metrics.remove();
            try {
                servable.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing model '" + config.name() + "' version " + version + " failed", e);
            }
            terminated.complete(null);
        });
    }

    /** Runs one batch on the batcher thread; never throws, every request gets an answer. */
    private void run(List<PendingRequest> batch) {
        long start = System.nanoTime();
        modelQueued.addAndGet(-batch.size());
        for (PendingRequest p : batch) {
            stats.queue.add(start - p.enqueuedNanos);
            if (metrics != null) metrics.queue(start - p.enqueuedNanos);
        }
        int rows = batch.stream().mapToInt(p -> p.rows).sum();
        // Every tensor of the batch (inputs, intermediates, outputs) dies here: the responses hold copies. The scope
        // hands their memory to the next batch while it is still in the cache instead of leaving it to the GC.
        try (MemoryScope scope = MemoryScope.open()) {
            Map<String, Tensor> inputs = new LinkedHashMap<>();
            for (int i = 0; i < config.inputs().size(); i++) {
                String name = config.inputs().get(i).name();
                List<InferTensor> parts = new ArrayList<>(batch.size());
                for (PendingRequest p : batch) parts.add(p.inputs.get(i));
                inputs.put(name, InferTensor.concatRows(name, parts).toTensor());
            }
            long inferStart = System.nanoTime();
            Map<String, Tensor> outputs;
            try (var g = GradMode.noGrad()) {
                outputs = servable.infer(inputs);
            }
            long inferEnd = System.nanoTime();
            Map<String, InferTensor> encoded = encodeOutputs(batch, outputs, rows);
            long row = 0;
            List<InferResponse> responses = new ArrayList<>(batch.size());
            for (PendingRequest p : batch) {
                List<InferTensor> mine = new ArrayList<>(p.outputs.size());
                for (String name : p.outputs) {
                    InferTensor whole = encoded.get(name);
                    mine.add(config.batching() ? whole.sliceRows(row, p.rows) : whole);
                }
                row += p.rows;
                responses.add(new InferResponse(config.name(), Long.toString(version), p.request.id(), mine));
            }
            long end = System.nanoTime();
            stats.recordBatch(rows, inferStart - start, inferEnd - inferStart, end - inferEnd);
            if (metrics != null) metrics.batch(rows, inferEnd - inferStart);
            for (int i = 0; i < batch.size(); i++) {
                PendingRequest p = batch.get(i);
                stats.success.add(end - p.enqueuedNanos);
                if (metrics != null) metrics.request(end - p.enqueuedNanos);
                p.result.complete(responses.get(i));
            }
        } catch (Throwable e) {
            fail(batch, e);
        }
    }

    /** Checks the outputs against config.json and converts those any request asked for. */
    private Map<String, InferTensor> encodeOutputs(List<PendingRequest> batch, Map<String, Tensor> outputs, int rows) {
        Set<String> wanted = new LinkedHashSet<>();
        for (PendingRequest p : batch) wanted.addAll(p.outputs);
        Map<String, InferTensor> out = new HashMap<>();
        for (TensorSpec spec : config.outputs()) {
            Tensor t = outputs == null ? null : outputs.get(spec.name());
            if (t == null) throw new IllegalStateException("the model returned no output '" + spec.name() + "' (it returned " + (outputs == null ? "null" : outputs.keySet()) + ")");
            DataType dt = DataType.of(t.dtype());
            if (dt != spec.datatype())
                throw new IllegalStateException("the model returned output '" + spec.name() + "' as " + dt + " but config.json declares " + spec.datatype());
            long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
            int from = config.batching() ? 1 : 0;
            if ((config.batching() && (shape.length == 0 || shape[0] != rows)) || !spec.accepts(shape, from))
                throw new IllegalStateException("the model returned output '" + spec.name() + "' with shape " + Arrays.toString(shape)
                        + " but config.json declares " + Arrays.toString(config.protocolShape(spec)) + (config.batching() ? " with batch size " + rows : ""));
            if (wanted.contains(spec.name())) out.put(spec.name(), InferTensor.fromTensor(spec.name(), t));
        }
        return out;
    }

    private void fail(List<PendingRequest> batch, Throwable e) {
        String why = e instanceof ServingException || e instanceof IllegalStateException ? e.getMessage() : e.toString();
        LOG.log(Level.WARNING, "inference failed for model '" + config.name() + "' version " + version, e);
        ServingException err = new ServingException(ServingException.Status.INTERNAL,
                "inference failed for model '" + config.name() + "' version " + version + ": " + why, e);
        long end = System.nanoTime();
        if (metrics != null) metrics.failed(batch.size());
        for (PendingRequest p : batch) {
            stats.fail.add(end - p.enqueuedNanos);
            p.result.completeExceptionally(err);
        }
    }
}
