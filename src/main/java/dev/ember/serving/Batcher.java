package dev.ember.serving;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The queue of one model version and the thread that drains it into forward passes (Triton's dynamic
 * batcher, research/serving.md §2.5). Requests leave in arrival order; a batch takes queued requests while
 * they fit and share the first one's non-batch dims, then goes at once when full or of a preferred size, or
 * when the oldest request in it has waited {@link BatchPolicy#maxDelayNanos}. A closed batcher still
 * drains what it holds, so no accepted request is dropped.
 */
final class Batcher implements AutoCloseable {
    private final BatchPolicy policy;
    private final Consumer<List<PendingRequest>> runner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<PendingRequest> queue = new ArrayDeque<>();
    private final Thread worker;
    private boolean closed;

    /** Starts a worker thread named {@code threadName}; with null there is none and tests call {@link #nextBatch} themselves. */
    Batcher(BatchPolicy policy, Consumer<List<PendingRequest>> runner, String threadName) {
        this.policy = policy;
        this.runner = runner;
        if (threadName == null) {
            worker = null;
        } else {
            worker = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::drain);
            worker.start();
        }
    }

    void submit(PendingRequest p) {
        lock.lock();
        try {
            if (closed) throw new IllegalStateException("batcher closed"); // callers hold a lease, so this is a bug
            p.enqueuedNanos = System.nanoTime();
            queue.addLast(p);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Requests waiting for a forward pass. */
    int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks for the next batch; null once closed and empty. */
    List<PendingRequest> nextBatch() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty()) {
                if (closed) return null;
                changed.await();
            }
            List<PendingRequest> batch = new ArrayList<>();
            PendingRequest first = queue.pollFirst();
            batch.add(first);
            if (!policy.merges()) return batch;
            int rows = first.rows;
            long deadline = first.enqueuedNanos + policy.maxDelayNanos();
            while (true) {
                boolean blocked = false; // the next request cannot join this batch, so waiting cannot grow it
                while (!queue.isEmpty()) {
                    PendingRequest head = queue.peekFirst();
                    if (!head.shapeKey.equals(first.shapeKey) || rows + head.rows > policy.maxRows()) {
                        blocked = true;
                        break;
                    }
                    batch.add(queue.pollFirst());
                    rows += head.rows;
                }
                if (rows == policy.maxRows() || blocked || closed) return batch;
                int cut = largestPreferredPrefix(batch);
                if (cut > 0) {
                    for (int i = batch.size() - 1; i >= cut; i--) queue.addFirst(batch.remove(i));
                    return batch;
                }
                long wait = deadline - System.nanoTime();
                if (wait <= 0) return batch;
                changed.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The longest prefix of the batch whose rows make a preferred size, or 0. */
    private int largestPreferredPrefix(List<PendingRequest> batch) {
        int rows = 0, best = 0;
        for (int i = 0; i < batch.size(); i++) {
            rows += batch.get(i).rows;
            if (policy.isPreferred(rows)) best = i + 1;
        }
        return best;
    }

    private void drain() {
        try {
            List<PendingRequest> batch;
            while ((batch = nextBatch()) != null) runner.accept(batch);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking requests; the worker finishes what is queued, then ends. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        if (worker == null) return true;
        return worker.join(java.time.Duration.ofNanos(unit.toNanos(timeout)));
    }
}
