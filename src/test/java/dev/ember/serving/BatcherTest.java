package dev.ember.serving;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Batch formation of the dynamic batcher, driven without its worker thread except where the thread is the point. */
class BatcherTest {
    private static final long LONG = TimeUnit.SECONDS.toNanos(60);

    private static PendingRequest req(String id, int rows, String key) {
        return new PendingRequest(new InferRequest("m", "", id, Map.of(), List.of(), List.of()), List.of(), List.of(), rows, key);
    }

    private static Batcher batcher(int maxRows, long delayNanos, int... preferred) {
        return new Batcher(new BatchPolicy(maxRows, preferred, delayNanos), b -> { }, null);
    }

    private static List<String> ids(List<PendingRequest> batch) {
        return batch.stream().map(p -> p.request.id()).toList();
    }

    @Test
    void withoutDynamicBatchingEveryRequestRunsAlone() throws Exception {
        Batcher b = new Batcher(BatchPolicy.SINGLE, x -> { }, null);
        b.submit(req("a", 1, "k"));
        b.submit(req("b", 1, "k"));
        assertThat(ids(b.nextBatch())).containsExactly("a");
        assertThat(ids(b.nextBatch())).containsExactly("b");
    }

    @Test
    void mergesQueuedRequestsInArrivalOrderUpToMaxRows() {
        Batcher b = batcher(4, LONG);
        b.submit(req("a", 1, "k"));
        b.submit(req("b", 2, "k"));
        b.submit(req("c", 1, "k"));
        b.submit(req("d", 1, "k"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(ids(b.nextBatch())).containsExactly("a", "b", "c");
            assertThat(b.queued()).isEqualTo(1);
        });
    }

    @Test
    void aHeadThatDoesNotFitClosesTheBatchWithoutWaiting() {
        Batcher b = batcher(4, LONG);
        b.submit(req("a", 3, "k"));
        b.submit(req("b", 2, "k"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(ids(b.nextBatch())).containsExactly("a");
            b.close(); // b alone would wait out the delay; a closing batcher sends it at once
            assertThat(ids(b.nextBatch())).containsExactly("b");
        }, "must not wait for the delay when the next request cannot join");
    }

    @Test
    void requestsWithOtherShapesAreNotMerged() {
        Batcher b = batcher(8, LONG);
        b.submit(req("a", 1, "[2];"));
        b.submit(req("b", 1, "[3];"));
        b.submit(req("c", 1, "[2];"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(ids(b.nextBatch())).containsExactly("a"));
    }

    @Test
    void aPreferredSizeLeavesAtOnceAndTheRestStaysQueued() {
        Batcher b = batcher(8, LONG, 2, 4);
        for (String id : List.of("a", "b", "c")) b.submit(req(id, 1, "k"));
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(ids(b.nextBatch())).containsExactly("a", "b");
            assertThat(b.queued()).isEqualTo(1);
        });
    }

    @Test
    void waitsForTheDelayCountedFromTheOldestRequest() throws Exception {
        long delay = TimeUnit.MILLISECONDS.toNanos(500);
        Batcher b = batcher(8, delay);
        b.submit(req("a", 1, "k"));
        long queuedAt = System.nanoTime();
        Thread.sleep(400);
        long called = System.nanoTime();
        List<PendingRequest> batch = b.nextBatch();
        long now = System.nanoTime();
        assertThat(ids(batch)).containsExactly("a");
        assertThat(now - queuedAt).as("held at least the delay after queueing").isGreaterThanOrEqualTo(delay);
        assertThat(now - called).as("the delay runs from the oldest request, not from the poll").isLessThan(TimeUnit.MILLISECONDS.toNanos(400));
    }

    @Test
    void aRequestThatFillsTheBatchEndsTheWait() throws Exception {
        Batcher b = batcher(2, LONG);
        b.submit(req("a", 1, "k"));
        Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
            }
            b.submit(req("b", 1, "k"));
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThat(ids(b.nextBatch())).containsExactly("a", "b"));
    }

    @Test
    void aClosedBatcherDrainsWhatItHoldsThenEnds() throws Exception {
        Batcher b = batcher(8, LONG);
        b.submit(req("a", 1, "k"));
        b.submit(req("b", 1, "k"));
        b.close();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            assertThat(ids(b.nextBatch())).containsExactly("a", "b");
            assertThat(b.nextBatch()).isNull();
        });
    }

    @Test
    void theWorkerThreadRunsEveryBatch() throws Exception {
        List<List<String>> seen = new CopyOnWriteArrayList<>();
        Batcher b = new Batcher(new BatchPolicy(3, new int[0], 0), batch -> seen.add(ids(batch)), "test-batcher");
        for (int i = 0; i < 7; i++) b.submit(req("r" + i, 1, "k"));
        b.close();
        assertThat(b.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(seen.stream().flatMap(List::stream).toList()).containsExactly("r0", "r1", "r2", "r3", "r4", "r5", "r6");
        assertThat(seen).allSatisfy(batch -> assertThat(batch.size()).isBetween(1, 3));
    }
}
