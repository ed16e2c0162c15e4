package dev.ember.backend.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Splits large kernels over the machine's cores; small ones stay on the calling thread, where a fork
 * would cost more than it saves. Work already running on the pool is never split again.
 */
final class Parallel {
    /** Elements below which elementwise work is not worth a second thread (~ tens of microseconds). */
    static final int GRAIN = 1 << 15;

    static final int THREADS = Integer.getInteger("ember.threads", Runtime.getRuntime().availableProcessors());

    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1, pool -> {
        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        t.setName("ember-cpu-" + t.getPoolIndex());
        t.setDaemon(true);
        return t;
    }, null, false) : null;

    private Parallel() {}

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over [0, n), in up to THREADS chunks of at least {@code grain} elements. */
    static void forRange(int n, int grain, Range body) {
        int chunks = POOL == null || Thread.currentThread() instanceof ForkJoinWorkerThread ? 1 : Math.min(THREADS, n / Math.max(grain, 1));
        if (chunks <= 1) {
            if (n > 0) body.run(0, n);
            return;
        }
        ForkJoinTask<?>[] forks = new ForkJoinTask<?>[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            int from = (int) ((long) n * c / chunks), to = (int) ((long) n * (c + 1) / chunks);
            forks[c - 1] = POOL.submit(() -> body.run(from, to));
        }
        body.run(0, (int) ((long) n / chunks));
        for (ForkJoinTask<?> f : forks) f.join();
    }

    static void forRange(int n, Range body) { forRange(n, GRAIN, body); }
}
