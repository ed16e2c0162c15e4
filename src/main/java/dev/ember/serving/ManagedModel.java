package dev.ember.serving;

import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What the server holds of one model. Readers take the current {@link Snapshot} without locking; control
 * operations (load, unload, poll) hold {@link #control}, build a new snapshot and publish it in one write,
 * so a request sees either the old set of versions or the new one, never a mix.
 */
final class ManagedModel {
    /**
     * @param served   versions answering requests, by number
     * @param loading  versions being loaded right now
     * @param failed   versions whose last load failed, with the reason
     * @param reason   why nothing is served, when nothing is
     * @param attempt  the repository fingerprint of the last load attempt (a poll skips an unchanged model)
     */
    record Snapshot(ModelConfig config, NavigableMap<Long, LoadedVersion> served, Set<Long> loading, Map<Long, String> failed,
                    String reason, String attempt) {
        static Snapshot empty(String reason) {
            return new Snapshot(null, Collections.emptyNavigableMap(), Set.of(), Map.of(), reason, "");
        }

        Snapshot {
            served = Collections.unmodifiableNavigableMap(new TreeMap<>(served));
            loading = Set.copyOf(loading);
            failed = Map.copyOf(failed);
        }
    }

    final String name;
    final ReentrantLock control = new ReentrantLock();
    /** Requests queued for any version of the model, bounded by the model's queue size. */
    final AtomicInteger queued = new AtomicInteger();
    /** Retired versions still answering their last requests (shown as UNLOADING). */
    final Set<LoadedVersion> draining = ConcurrentHashMap.newKeySet();
    volatile Snapshot snapshot = Snapshot.empty("not loaded");

    ManagedModel(String name) {
        this.name = name;
    }
}
