package dev.ember.serving;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Poll mode's clock: calls {@link ModelManager#poll()} every interval on one daemon thread. */
public final class RepositoryPoller implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RepositoryPoller.class.getName());
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ember-repository-poll").daemon(true).factory());

    public RepositoryPoller(ModelManager manager, Duration interval) {
        long ms = Math.max(1, interval.toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                manager.poll();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "repository poll failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() { timer.shutdownNow(); }
}
