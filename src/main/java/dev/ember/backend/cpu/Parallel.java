package dev.ember.backend.cpu;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * Splits large kernels over the machine's cores; small ones stay on the calling thread, where a handoff
 * would cost more than it saves. Work already running on the team is never split again.
 *
 * <p>The helpers are a persistent team ({@code ember.threads - 1} daemon threads), not a ForkJoinPool: a
 * submit/join round trip through the pool cost tens of microseconds, which is the whole budget of a 1M-element
 * add. After each job a helper spins for {@code ember.spinMicros} (default 50) watching for the next one,
 * then parks. Chunks are claimed, not assigned, so when a helper is slow to wake (a busy machine) the calling
 * thread takes its chunk too instead of waiting. One caller uses the team at a time; a second concurrent
 * caller (another request thread) runs its work inline, on its own core.
 */
final class Parallel {
    /** Elements below which elementwise work is not worth a second thread (~ tens of microseconds). */
    static final int GRAIN = 1 << 15;

    static final int THREADS = Math.max(1, Integer.getInteger("ember.threads", Runtime.getRuntime().availableProcessors()));

    private static final long SPIN_NANOS = Long.getLong("ember.spinMicros", 50) * 1000;

    private static final Team TEAM = THREADS > 1 ? new Team(THREADS - 1) : null;

    private Parallel() {}

    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /** Runs {@code body} over [0, n), in up to THREADS chunks of at least {@code grain} elements. */
    static void forRange(int n, int grain, Range body) {
        int chunks = TEAM == null ? 1 : Math.min(THREADS, n / Math.max(grain, 1));
        if (chunks > 1 && TEAM.tryRun(new Job(body, n, chunks))) return;
        if (n > 0) body.run(0, n);
    }

    static void forRange(int n, Range body) { forRange(n, GRAIN, body); }

    /**
     * Runs {@code body} for each piece in [0, pieces), each piece claimed by whichever thread is free. For work cut
     * into more pieces than there are threads, so that a thread the machine delays costs a piece, not half the
     * work, and so that the pieces (and a reduction's grouping of its terms) do not depend on the thread count.
     */
    static void forEachPiece(int pieces, IntConsumer body) {
        if (TEAM != null && pieces > 1 && TEAM.tryRun(new Job((from, to) -> body.accept(from), pieces, pieces))) return;
        for (int p = 0; p < pieces; p++) body.accept(p);
    }

    /** One call's work: chunks claimed by index, a count of finished chunks, the first failure. */
    private static final class Job {
        final Range body;
        final int n, chunks;
        final AtomicInteger next = new AtomicInteger(), done = new AtomicInteger();
        volatile Throwable failure;
        volatile Thread waiter;

        Job(Range body, int n, int chunks) {
            this.body = body;
            this.n = n;
            this.chunks = chunks;
        }

        /** Claims and runs chunks until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                try {
                    body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    if (done.incrementAndGet() == chunks) {
                        Thread w = waiter;
                        if (w != null) LockSupport.unpark(w);
                    }
                }
            }
        }

        /** Spins briefly, then parks until every chunk has finished. */
        void await() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (done.get() < chunks) {
                if (System.nanoTime() < spinUntil) {
                    Thread.onSpinWait();
                    continue;
                }
                waiter = Thread.currentThread();
                if (done.get() < chunks) LockSupport.park(this);
            }
        }
    }

    private static final class Team {
        private final Helper[] helpers;
        private final AtomicInteger busy = new AtomicInteger();
        private volatile Job current;

        Team(int size) {
            helpers = new Helper[size];
            for (int i = 0; i < size; i++) {
                helpers[i] = new Helper(this, "ember-cpu-" + i);
                helpers[i].start();
            }
        }

        /** Runs the job with the helpers; false when the team is taken (nested or concurrent call). */
        boolean tryRun(Job job) {
            if (Thread.currentThread() instanceof Helper || !busy.compareAndSet(0, 1)) return false;
            try {
                current = job;
                for (Helper h : helpers) if (h.parked) LockSupport.unpark(h);
                job.work();
                job.await();
            } finally {
                current = null;
                busy.set(0);
            }
            Throwable t = job.failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
            return true;
        }
    }

    private static final class Helper extends Thread {
        private final Team team;
        volatile boolean parked;

        Helper(Team team, String name) {
            super(name);
            this.team = team;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job last = null;
            long idleSince = System.nanoTime();
            while (true) {
                Job j = team.current;
                if (j != null && j != last) {
                    last = j;
                    j.work();
                    idleSince = System.nanoTime();
                    continue;
                }
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                    continue;
                }
                parked = true;
                j = team.current;
                if (j == null || j == last) LockSupport.park(this);
                parked = false;
                idleSince = System.nanoTime();
            }
        }
    }
}
