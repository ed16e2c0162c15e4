package dev.ember.serving;

import dev.ember.serving.ManagedModel.Snapshot;
import io.micrometer.core.instrument.MeterRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Loads, swaps and unloads model versions from the {@link ModelRepository}, and hands requests a leased
 * version. A (re)load builds the new versions first and publishes them in one snapshot write; versions that
 * left the snapshot drain in the background. So loading, unloading and version changes never fail a request
 * that was accepted, and a failed reload leaves what was served untouched (Triton's poll semantics).
 */
public final class ModelManager implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ModelManager.class.getName());

    /**
     * @param startupModels   models to load at startup in explicit mode ("*" for all)
     * @param defaultDevice   where models go when config.json names no device
     * @param defaultMaxQueue requests that may wait per model when config.json sets no max_queue_size
     */
    public record Settings(ControlMode mode, List<String> startupModels, String defaultDevice, int defaultMaxQueue) {
        public Settings {
            startupModels = List.copyOf(startupModels);
        }
    }

    /** A model as its metadata endpoints describe it: configuration, served versions (ascending) and platform. */
    public record ModelView(ModelConfig config, List<Long> versions, String platform) {}

    private final ModelRepository repository;
    private final ModelLoaders loaders;
    private final Settings settings;
    private final MeterRegistry registry;
    private final Map<String, ManagedModel> models = new ConcurrentHashMap<>();
    private final Set<String> startupPending = ConcurrentHashMap.newKeySet();
    private final List<Consumer<Boolean>> readinessListeners = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> startup = new CompletableFuture<>();
    private volatile boolean startupDone;
    private volatile boolean lastReady;
    private volatile boolean closed;

    public ModelManager(ModelRepository repository, ModelLoaders loaders, Settings settings, MeterRegistry registry) {
        this.repository = repository;
        this.loaders = loaders;
        this.settings = settings;
        this.registry = registry;
    }

    public ControlMode mode() { return settings.mode(); }

    public ModelRepository repository() { return repository; }

    /**
     * Loads the startup models in the background (all of them in none and poll mode, ember.load-models in
     * explicit mode) and returns; {@link #startup()} completes when every load has ended.
     */
    public CompletableFuture<Void> start() {
        Set<String> names = new TreeSet<>();
        if (settings.mode() == ControlMode.EXPLICIT) {
            for (String n : settings.startupModels()) {
                if (n.equals("*")) names.addAll(repository.modelNames());
                else if (!n.isBlank()) names.add(n.trim());
            }
        } else {
            names.addAll(repository.modelNames());
        }
        startupPending.addAll(names);
        LOG.info(() -> "model control mode " + settings.mode() + "; loading " + (names.isEmpty() ? "no models" : names) + " from " + repository.root());
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, Thread.ofPlatform().name("ember-load-", 0).daemon(true).factory());
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (String n : names) {
            loads.add(CompletableFuture.runAsync(() -> {
                try {
                    load(n);
                } catch (RuntimeException e) {
                    LOG.log(Level.SEVERE, "startup load of model '" + n + "' failed; the server stays unready: " + e.getMessage());
                }
            }, pool));
        }
        CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).whenComplete((r, e) -> {
            pool.shutdown();
            startupDone = true;
            fireReadiness();
            startup.complete(null);
        });
        return startup;
    }

    public CompletableFuture<Void> startup() { return startup; }

    /** Ready once the startup loads ended and every startup model is served (or was unloaded since). */
    public boolean isReady() {
        return startupDone && startupPending.isEmpty() && !closed;
    }

    public void onReadinessChange(Consumer<Boolean> listener) {
        readinessListeners.add(listener);
        listener.accept(isReady());
    }

    /** Loads a model, or reloads it (keeping versions whose files and config did not change). */
    public void load(String name) {
        ModelRepository.checkName(name);
        if (closed) throw ServingException.unavailable("the server is shutting down");
        if (!repository.contains(name))
            throw ServingException.notFound("model '" + name + "' is not in the model repository " + repository.root());
        ManagedModel m = models.computeIfAbsent(name, ManagedModel::new);
        m.control.lock();
        try {
            reload(m);
        } finally {
            m.control.unlock();
        }
        startupPending.remove(name);
        fireReadiness();
    }

    /** The repository API's load: allowed in explicit mode only, as in Triton. */
    public void requestLoad(String name) {
        checkExplicit("load");
        load(name);
    }

    /** The repository API's unload: allowed in explicit mode only, as in Triton. */
    public void requestUnload(String name) {
        checkExplicit("unload");
        unload(name);
    }

    private void checkExplicit(String what) {
        switch (settings.mode()) {
            case EXPLICIT -> { }
            case NONE -> throw new ServingException(ServingException.Status.FAILED_PRECONDITION, "cannot " + what
                    + " models: the model control mode is 'none', which serves the repository as it was at startup;"
                    + " start the server with ember.model-control-mode=explicit to load and unload models through the API");
            case POLL -> throw new ServingException(ServingException.Status.FAILED_PRECONDITION, "cannot " + what
                    + " models: the model control mode is 'poll', which follows the repository directory; change the files"
                    + " there, or use ember.model-control-mode=explicit to load and unload through the API");
        }
    }

    /** Stops serving a model; its in-flight requests finish on the versions they hold. */
    public void unload(String name) {
        ModelRepository.checkName(name);
        ManagedModel m = models.get(name);
        if (m == null && !repository.contains(name)) throw ServingException.notFound("unknown model '" + name + "'");
        if (m != null) {
            m.control.lock();
            try {
                unloadLocked(m, "unloaded");
            } finally {
                m.control.unlock();
            }
        }
        startupPending.remove(name);
        fireReadiness();
    }

    /**
     * One pass of poll mode: loads new models, reloads changed ones (new, removed or modified version
     * directories, changed config.json) and unloads models whose directory is gone. Failures are logged and
     * leave what is served unchanged; an unchanged failed model is not retried until its files change.
     */
    public void poll() {
        if (closed) return;
        Set<String> onDisk = repository.modelNames();
        for (String name : onDisk) {
            ManagedModel m = models.computeIfAbsent(name, ManagedModel::new);
            if (!m.control.tryLock()) continue; // a load of this model is running; the next poll looks again
            try {
                if (repositoryFingerprint(name).equals(m.snapshot.attempt())) continue;
                reload(m);
                startupPending.remove(name);
            } catch (RuntimeException e) {
                LOG.warning("poll: " + e.getMessage());
            } finally {
                m.control.unlock();
            }
        }
        for (ManagedModel m : models.values()) {
            if (onDisk.contains(m.name)) continue;
            m.control.lock();
            try {
                unloadLocked(m, "removed from the model repository");
                models.remove(m.name, m);
            } finally {
                m.control.unlock();
            }
        }
        fireReadiness();
    }

    /** Leases the requested version (empty: the newest served); the caller must {@link LoadedVersion#release()} it. */
    LoadedVersion acquire(String name, String version) {
        ManagedModel m = model(name);
        Long v = parseVersion(version);
        while (true) {
            Snapshot s = m.snapshot;
            LoadedVersion lv = pick(m, s, v);
            if (lv.tryAcquire()) return lv;
            // retired after we read the snapshot; its successor snapshot is already published
            Thread.onSpinWait();
        }
    }

    public ModelView view(String name, String version) {
        ManagedModel m = model(name);
        Snapshot s = m.snapshot;
        LoadedVersion lv = pick(m, s, parseVersion(version));
        return new ModelView(lv.config, List.copyOf(s.served().keySet()), lv.platform);
    }

    /** Whether the model (or that version of it) is served; unknown models are an error. */
    public boolean isModelReady(String name, String version) {
        ModelRepository.checkName(name);
        ManagedModel m = models.get(name);
        if (m == null) {
            if (!repository.contains(name)) throw ServingException.notFound("unknown model '" + name + "'");
            return false;
        }
        Long v = parseVersion(version);
        NavigableMap<Long, LoadedVersion> served = m.snapshot.served();
        return v == null ? !served.isEmpty() : served.containsKey(v);
    }

    /** Statistics of the served versions of one model (name given) or of every model (name null). */
    public List<VersionStats.Snapshot> statistics(String name, String version) {
        List<VersionStats.Snapshot> out = new ArrayList<>();
        if (name == null) {
            for (ManagedModel m : new TreeMap<>(models).values())
                for (LoadedVersion lv : m.snapshot.served().values()) out.add(lv.stats.snapshot(m.name, Long.toString(lv.version)));
            return out;
        }
        ManagedModel m = model(name);
        Snapshot s = m.snapshot;
        Long v = parseVersion(version);
        if (v != null) {
            LoadedVersion lv = pick(m, s, v);
            out.add(lv.stats.snapshot(m.name, Long.toString(lv.version)));
        } else {
            if (s.served().isEmpty()) throw notReady(m, s);
            for (LoadedVersion lv : s.served().values()) out.add(lv.stats.snapshot(m.name, Long.toString(lv.version)));
        }
        return out;
    }

    /** The repository index: every model on disk or held, with each version's state. */
    public List<IndexEntry> index(boolean readyOnly) {
        TreeSet<String> names = new TreeSet<>(repository.modelNames());
        names.addAll(models.keySet());
        List<IndexEntry> out = new ArrayList<>();
        for (String name : names) {
            ManagedModel m = models.get(name);
            List<IndexEntry> rows = new ArrayList<>();
            if (m == null) {
                rows.add(new IndexEntry(name, "", ModelState.UNAVAILABLE, "not loaded"));
            } else {
                Snapshot s = m.snapshot;
                TreeMap<Long, IndexEntry> byVersion = new TreeMap<>();
                for (LoadedVersion lv : m.draining)
                    byVersion.put(lv.version, new IndexEntry(name, Long.toString(lv.version), ModelState.UNLOADING, ""));
                s.failed().forEach((v, why) -> byVersion.put(v, new IndexEntry(name, Long.toString(v), ModelState.UNAVAILABLE, why)));
                for (Long v : s.loading()) byVersion.put(v, new IndexEntry(name, Long.toString(v), ModelState.LOADING, ""));
                for (Long v : s.served().keySet()) byVersion.put(v, new IndexEntry(name, Long.toString(v), ModelState.READY, ""));
                rows.addAll(byVersion.values());
                if (s.served().isEmpty() && s.loading().isEmpty() && s.failed().isEmpty())
                    rows.addFirst(new IndexEntry(name, "", ModelState.UNAVAILABLE, s.reason()));
            }
            for (IndexEntry e : rows) if (!readyOnly || e.state() == ModelState.READY) out.add(e);
        }
        return out;
    }

    /** Stops serving everything and waits (bounded) for in-flight requests to finish. */
    @Override
    public void close() {
        closed = true;
        List<CompletableFuture<Void>> drained = new ArrayList<>();
        for (ManagedModel m : models.values()) {
            m.control.lock();
            try {
                for (LoadedVersion lv : m.snapshot.served().values()) drained.add(lv.terminated());
                unloadLocked(m, "the server is shutting down");
            } finally {
                m.control.unlock();
            }
        }
        try {
            CompletableFuture.allOf(drained.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warning("shutdown: some inference requests were still running after 30 s");
        } catch (Exception e) {
            LOG.log(Level.WARNING, "shutdown", e);
        }
        fireReadiness();
    }

    // ---------------------------------------------------------------------------------------------

    /** Caller holds m.control. */
    private void reload(ManagedModel m) {
        Snapshot old = m.snapshot;
        String attempt = repositoryFingerprint(m.name);
        ModelConfig config;
        TreeMap<Long, Path> onDisk;
        SortedSet<Long> wanted;
        try {
            config = repository.readConfig(m.name);
            onDisk = repository.versions(m.name);
            wanted = config.versionPolicy().select(onDisk.navigableKeySet());
            if (wanted.isEmpty())
                throw ServingException.invalid("model '" + m.name + "' has no version directory that its version_policy selects (found "
                        + onDisk.keySet() + " in " + repository.modelDir(m.name) + ")");
        } catch (ServingException e) {
            m.snapshot = new Snapshot(old.config(), old.served(), Set.of(), old.failed(), old.served().isEmpty() ? e.getMessage() : old.reason(), attempt);
            throw e;
        }
        boolean configChanged = !config.equals(old.config());
        Map<Long, String> fingerprints = new HashMap<>();
        TreeMap<Long, LoadedVersion> next = new TreeMap<>();
        Set<Long> toLoad = new TreeSet<>();
        for (long v : wanted) {
            String fp = ModelRepository.fingerprint(onDisk.get(v));
            fingerprints.put(v, fp);
            LoadedVersion current = old.served().get(v);
            if (current != null && !configChanged && current.fingerprint.equals(fp)) next.put(v, current);
            else toLoad.add(v);
        }
        if (toLoad.isEmpty() && next.size() == old.served().size()) {
            m.snapshot = new Snapshot(old.config(), old.served(), Set.of(), Map.of(), "", attempt);
            return;
        }
        m.snapshot = new Snapshot(old.config(), old.served(), toLoad, Map.of(), old.reason(), old.attempt());
        List<LoadedVersion> fresh = new ArrayList<>();
        long current = -1;
        try {
            for (long v : toLoad) {
                current = v;
                LoadedVersion lv = loadVersion(m, config, v, onDisk.get(v), fingerprints.get(v));
                fresh.add(lv);
                next.put(v, lv);
            }
        } catch (ServingException e) {
            fresh.forEach(LoadedVersion::retire);
            m.snapshot = new Snapshot(old.config(), old.served(), Set.of(), Map.of(current, e.getMessage()),
                    old.served().isEmpty() ? e.getMessage() : old.reason(), attempt);
            throw e;
        }
        m.snapshot = new Snapshot(config, next, Set.of(), Map.of(), "", attempt);
        Set<LoadedVersion> kept = new HashSet<>(next.values());
        for (LoadedVersion lv : old.served().values()) if (!kept.contains(lv)) retire(m, lv);
        LOG.info(() -> "model '" + m.name + "' serves versions " + next.keySet() + (fresh.isEmpty() ? "" : " (loaded " + toLoad + ")"));
    }

    private LoadedVersion loadVersion(ManagedModel m, ModelConfig config, long v, Path dir, String fingerprint) {
        String what = "failed to load model '" + m.name + "' version " + v + ": ";
        try {
            ModelLoader loader = loaders.select(config, dir);
            String device = config.device() != null ? config.device() : settings.defaultDevice();
            Servable servable = loader.load(config, v, dir, device);
            if (servable == null) throw new IllegalStateException("the " + loader.platform() + " loader returned no model");
            int maxQueue = config.maxQueueSize() > 0 ? config.maxQueueSize() : settings.defaultMaxQueue();
            return new LoadedVersion(config, v, fingerprint, loader.platform(), servable, m.queued, maxQueue, registry);
        } catch (ServingException e) {
            throw new ServingException(e.status(), what + e.getMessage(), e);
        } catch (Exception | OutOfMemoryError e) {
            LOG.log(Level.WARNING, what + e, e);
            throw ServingException.invalid(what + e);
        }
    }

    /** Caller holds m.control. */
    private void unloadLocked(ManagedModel m, String reason) {
        Snapshot old = m.snapshot;
        m.snapshot = new Snapshot(old.config(), new TreeMap<>(), Set.of(), Map.of(), reason, "");
        for (LoadedVersion lv : old.served().values()) retire(m, lv);
        if (!old.served().isEmpty()) LOG.info(() -> "model '" + m.name + "' " + reason);
    }

    private void retire(ManagedModel m, LoadedVersion lv) {
        m.draining.add(lv);
        lv.terminated().whenComplete((r, e) -> m.draining.remove(lv));
        lv.retire();
    }

    /** Config file plus every version directory on disk, so adding, removing or changing any of them shows. */
    private String repositoryFingerprint(String name) {
        StringBuilder sb = new StringBuilder(ModelRepository.fingerprint(repository.modelDir(name).resolve("config.json")));
        try {
            repository.versions(name).forEach((v, dir) -> sb.append(';').append(v).append('=').append(ModelRepository.fingerprint(dir)));
        } catch (ServingException e) {
            sb.append(";unlistable");
        }
        return sb.toString();
    }

    private ManagedModel model(String name) {
        ModelRepository.checkName(name);
        ManagedModel m = models.get(name);
        if (m != null) return m;
        if (repository.contains(name)) throw ServingException.unavailable("model '" + name + "' is not loaded");
        throw ServingException.notFound("unknown model '" + name + "'");
    }

    private static LoadedVersion pick(ManagedModel m, Snapshot s, Long v) {
        if (s.served().isEmpty()) throw notReady(m, s);
        if (v == null) return s.served().lastEntry().getValue();
        LoadedVersion lv = s.served().get(v);
        if (lv == null)
            throw ServingException.notFound("model '" + m.name + "' has no version " + v + " loaded (loaded versions: " + s.served().keySet() + ")");
        return lv;
    }

    private static ServingException notReady(ManagedModel m, Snapshot s) {
        return ServingException.unavailable("model '" + m.name + "' is not ready: " + (s.loading().isEmpty() ? s.reason() : "loading"));
    }

    private static Long parseVersion(String version) {
        if (version == null || version.isEmpty()) return null;
        try {
            long v = Long.parseLong(version);
            if (v >= 1) return v;
        } catch (NumberFormatException ignored) {
            // falls through to the error
        }
        throw ServingException.invalid("model version must be a positive integer, got '" + version + "'");
    }

    private void fireReadiness() {
        boolean ready = isReady();
        if (ready == lastReady) return;
        synchronized (readinessListeners) {
            ready = isReady();
            if (ready == lastReady) return;
            lastReady = ready;
            LOG.info(ready ? "server ready: the startup models are loaded" : "server not ready");
            for (Consumer<Boolean> l : readinessListeners) l.accept(ready);
        }
    }
}
