package dev.ember.serving;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.ember.serving.ServingFixture.xRequest;
import static dev.ember.serving.ServingFixture.y;
import static dev.ember.serving.TestRepository.config;
import static dev.ember.serving.TestRepository.version;
import static dev.ember.serving.TestRepository.xy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Loading, version swaps, unloading, draining, readiness and queue bounds, on a real repository directory. */
class ModelManagerTest {
    private static final String OFFSET = "{\"kind\": \"offset\", \"offset\": %d}";

    @Test
    void readinessWaitsForTheStartupModels() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TestModelLoader real = new TestModelLoader();
        ModelLoader slow = new ModelLoader() {
            public String platform() { return "slow"; }
            public boolean accepts(java.nio.file.Path d, ModelConfig c) { return true; }
            public Servable load(ModelConfig c, long v, java.nio.file.Path d, String device) throws Exception {
                release.await(10, TimeUnit.SECONDS);
                return real.load(c, v, d, device);
            }
        };
        try (ServingFixture f = new ServingFixture(ControlMode.NONE, List.of(), slow)) {
            config(f.root, "a", xy(0, "[1]", ""));
            version(f.root, "a", 1, OFFSET.formatted(1));
            List<Boolean> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
            f.manager.onReadinessChange(changes::add);
            CompletableFuture<Void> started = f.manager.start();
            Thread.sleep(100);
            assertThat(f.manager.isReady()).isFalse();
            assertThat(f.manager.index(false)).extracting(IndexEntry::state).containsExactly(ModelState.LOADING);
            release.countDown();
            started.get(10, TimeUnit.SECONDS);
            assertThat(f.manager.isReady()).isTrue();
            assertThat(changes).containsExactly(false, true);
        }
    }

    @Test
    void aModelThatFailsAtStartupKeepsTheServerUnready() throws Exception {
        try (ServingFixture f = new ServingFixture(ControlMode.NONE, List.of())) {
            config(f.root, "good", xy(0, "[1]", ""));
            version(f.root, "good", 1, OFFSET.formatted(1));
            config(f.root, "bad", xy(0, "[1]", ""));
            version(f.root, "bad", 1, "{\"kind\": \"load_fails\"}");
            f.manager.start().get(10, TimeUnit.SECONDS);
            assertThat(f.manager.isReady()).isFalse();
            assertThat(f.manager.isModelReady("good", "")).isTrue();
            assertThat(f.manager.index(false)).anySatisfy(e -> {
                assertThat(e.name()).isEqualTo("bad");
                assertThat(e.state()).isEqualTo(ModelState.UNAVAILABLE);
                assertThat(e.reason()).contains("version 1").contains("is truncated");
            });
        }
    }

    @Test
    void explicitModeLoadsOnlyTheListedModels() throws Exception {
        try (ServingFixture f = new ServingFixture(ControlMode.EXPLICIT, List.of("a"))) {
            for (String m : List.of("a", "b")) {
                config(f.root, m, xy(0, "[1]", ""));
                version(f.root, m, 1, OFFSET.formatted(1));
            }
            f.manager.start().get(10, TimeUnit.SECONDS);
            assertThat(f.manager.isReady()).isTrue();
            assertThat(f.manager.index(true)).extracting(IndexEntry::name).containsExactly("a");
            assertThat(f.manager.index(false)).extracting(IndexEntry::name, IndexEntry::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("a", ModelState.READY), org.assertj.core.groups.Tuple.tuple("b", ModelState.UNAVAILABLE));
            assertThatThrownBy(() -> f.inference.infer(xRequest("b", "", 0, 1f))).isInstanceOf(ServingException.class)
                    .hasMessageContaining("not loaded").extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.UNAVAILABLE);
            assertThatThrownBy(() -> f.inference.infer(xRequest("nope", "", 0, 1f))).extracting(e -> ((ServingException) e).status())
                    .isEqualTo(ServingException.Status.NOT_FOUND);
        }
    }

    @Test
    void aNewVersionSwapsInWhileTheOldOneFinishesItsRequests() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            config(f.root, "swap1", xy(4, "[1]", "\"dynamic_batching\": {}"));
            version(f.root, "swap1", 1, "{\"kind\": \"gate\", \"gate\": \"swap-v1\", \"offset\": 100}");
            f.manager.load("swap1");
            CompletableFuture<InferResponse> inFlight = f.inference.infer(xRequest("swap1", "", 1, 1f));
            Thread.sleep(100); // let it enter the forward pass, blocked on the gate
            version(f.root, "swap1", 2, OFFSET.formatted(200));
            f.manager.load("swap1");
            InferResponse fresh = f.inference.infer(xRequest("swap1", "", 1, 1f)).get(10, TimeUnit.SECONDS);
            assertThat(fresh.version()).isEqualTo("2");
            assertThat(y(fresh)).containsExactly(201f);
            assertThat(f.manager.index(false)).extracting(IndexEntry::version, IndexEntry::state)
                    .contains(org.assertj.core.groups.Tuple.tuple("1", ModelState.UNLOADING), org.assertj.core.groups.Tuple.tuple("2", ModelState.READY));
            assertThat(TestModelLoader.CLOSED).doesNotContain("swap1/1");
            TestModelLoader.GATES.get("swap-v1").countDown();
            InferResponse old = inFlight.get(10, TimeUnit.SECONDS);
            assertThat(old.version()).isEqualTo("1");
            assertThat(y(old)).containsExactly(101f);
            awaitTrue(() -> TestModelLoader.CLOSED.contains("swap1/1"));
            assertThat(f.manager.index(false)).extracting(IndexEntry::version).containsExactly("2");
        }
    }

    @Test
    void unloadLetsAcceptedRequestsFinishAndRefusesNewOnes() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            config(f.root, "unload1", xy(0, "[1]", ""));
            version(f.root, "unload1", 1, "{\"kind\": \"gate\", \"gate\": \"unload\", \"offset\": 5}");
            f.manager.load("unload1");
            CompletableFuture<InferResponse> inFlight = f.inference.infer(xRequest("unload1", "", 0, 1f));
            CompletableFuture<InferResponse> queued = f.inference.infer(xRequest("unload1", "", 0, 2f));
            f.manager.unload("unload1");
            assertThatThrownBy(() -> f.inference.infer(xRequest("unload1", "", 0, 1f))).extracting(e -> ((ServingException) e).status())
                    .isEqualTo(ServingException.Status.UNAVAILABLE);
            TestModelLoader.GATES.computeIfAbsent("unload", g -> new CountDownLatch(1)).countDown();
            assertThat(y(inFlight.get(10, TimeUnit.SECONDS))).containsExactly(6f);
            assertThat(y(queued.get(10, TimeUnit.SECONDS))).containsExactly(7f);
            awaitTrue(() -> TestModelLoader.CLOSED.contains("unload1/1"));
            assertThat(f.manager.index(false)).singleElement().satisfies(e -> {
                assertThat(e.state()).isEqualTo(ModelState.UNAVAILABLE);
                assertThat(e.reason()).isEqualTo("unloaded");
            });
            assertThat(f.registry.find("nv_inference_request_success").tag("model", "unload1").functionCounter()).isNull();
        }
    }

    @Test
    void aFailedReloadKeepsServingTheOldVersion() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            config(f.root, "reload1", xy(0, "[1]", ""));
            version(f.root, "reload1", 1, OFFSET.formatted(1));
            f.manager.load("reload1");
            version(f.root, "reload1", 2, "{\"kind\": \"load_fails\"}");
            assertThatThrownBy(() -> f.manager.load("reload1")).hasMessageContaining("failed to load model 'reload1' version 2").hasMessageContaining("truncated");
            assertThat(y(f.inference.infer(xRequest("reload1", "", 0, 1f)).get(10, TimeUnit.SECONDS))).containsExactly(2f);
            assertThat(f.manager.index(false)).extracting(IndexEntry::version, IndexEntry::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("1", ModelState.READY), org.assertj.core.groups.Tuple.tuple("2", ModelState.UNAVAILABLE));
        }
    }

    @Test
    void versionPoliciesChooseTheServedVersions() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            for (String[] m : new String[][] {{"latest2", "\"version_policy\": {\"latest\": {\"num_versions\": 2}}"},
                    {"all", "\"version_policy\": {\"all\": {}}"}, {"specific", "\"version_policy\": {\"specific\": {\"versions\": [1, 3, 9]}}"}}) {
                config(f.root, m[0], xy(0, "[1]", m[1]));
                for (int v = 1; v <= 3; v++) version(f.root, m[0], v, OFFSET.formatted(v * 10));
                f.manager.load(m[0]);
            }
            assertThat(f.manager.view("latest2", "").versions()).containsExactly(2L, 3L);
            assertThat(f.manager.view("all", "").versions()).containsExactly(1L, 2L, 3L);
            assertThat(f.manager.view("specific", "").versions()).containsExactly(1L, 3L);
            assertThat(y(f.inference.infer(xRequest("all", "2", 0, 1f)).get(10, TimeUnit.SECONDS))).containsExactly(21f);
            assertThat(y(f.inference.infer(xRequest("all", "", 0, 1f)).get(10, TimeUnit.SECONDS))).containsExactly(31f);
            assertThatThrownBy(() -> f.inference.infer(xRequest("specific", "2", 0, 1f))).hasMessageContaining("no version 2 loaded")
                    .extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.NOT_FOUND);
            assertThatThrownBy(() -> f.inference.infer(xRequest("all", "x", 0, 1f))).extracting(e -> ((ServingException) e).status())
                    .isEqualTo(ServingException.Status.INVALID_ARGUMENT);
        }
    }

    @Test
    void aFullQueueRejectsWithUnavailable() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            config(f.root, "m", xy(1, "[1]", "\"dynamic_batching\": {\"default_queue_policy\": {\"max_queue_size\": 1}}"));
            version(f.root, "m", 1, "{\"kind\": \"gate\", \"gate\": \"queue\", \"offset\": 0}");
            f.manager.load("m");
            CompletableFuture<InferResponse> running = f.inference.infer(xRequest("m", "", 1, 1f));
            Thread.sleep(100); // the first leaves the queue for the forward pass
            CompletableFuture<InferResponse> waiting = f.inference.infer(xRequest("m", "", 1, 2f));
            assertThatThrownBy(() -> f.inference.infer(xRequest("m", "", 1, 3f))).hasMessageContaining("queue of model 'm' is full")
                    .extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.UNAVAILABLE);
            TestModelLoader.GATES.get("queue").countDown();
            assertThat(y(running.get(10, TimeUnit.SECONDS))).containsExactly(1f);
            assertThat(y(waiting.get(10, TimeUnit.SECONDS))).containsExactly(2f);
            assertThat(f.registry.find("nv_inference_request_failure").tag("reason", "REJECTED").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void concurrentRequestsShareForwardPassesAndGetTheirOwnRows() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            config(f.root, "m", xy(8, "[2]", "\"dynamic_batching\": {\"max_queue_delay_microseconds\": 50000}"));
            version(f.root, "m", 1, OFFSET.formatted(1000));
            f.manager.load("m");
            List<CompletableFuture<InferResponse>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) futures.add(f.inference.infer(xRequest("m", "", 1, i, -i)));
            for (int i = 0; i < 24; i++) assertThat(y(futures.get(i).get(10, TimeUnit.SECONDS))).containsExactly(1000f + i, 1000f - i);
            VersionStats.Snapshot s = f.manager.statistics("m", "").getFirst();
            assertThat(s.inferenceCount()).isEqualTo(24);
            assertThat(s.executionCount()).isLessThan(24).isGreaterThanOrEqualTo(3);
            assertThat(s.batchStats()).allSatisfy(b -> assertThat(b.batchSize()).isBetween(1, 8));
            assertThat(s.inferenceStats().get("success").count()).isEqualTo(24);
        }
    }

    @Test
    void modelFaultsFailTheAcceptedRequestWithInternal() throws Exception {
        try (ServingFixture f = new ServingFixture()) {
            config(f.root, "boom", xy(0, "[1]", ""));
            version(f.root, "boom", 1, "{\"kind\": \"throw\"}");
            config(f.root, "dtype", xy(0, "[1]", ""));
            version(f.root, "dtype", 1, "{\"kind\": \"wrong_dtype\"}");
            f.manager.load("boom");
            f.manager.load("dtype");
            assertThat(f.inference.infer(xRequest("boom", "", 0, 1f))).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                    .havingCause().isInstanceOf(ServingException.class).withMessageContaining("model exploded");
            assertThat(f.inference.infer(xRequest("dtype", "", 0, 1f))).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                    .havingCause().withMessageContaining("returned output 'y' as FP64 but config.json declares FP32");
            assertThat(f.manager.statistics("boom", "1").getFirst().inferenceStats().get("fail").count()).isEqualTo(1);
        }
    }

    @Test
    void pollFollowsTheRepository() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        TestModelLoader real = new TestModelLoader();
        ModelLoader counting = new ModelLoader() {
            public String platform() { return real.platform(); }
            public boolean accepts(java.nio.file.Path d, ModelConfig c) { return real.accepts(d, c); }
            public Servable load(ModelConfig c, long v, java.nio.file.Path d, String device) throws Exception {
                loads.incrementAndGet();
                return real.load(c, v, d, device);
            }
        };
        try (ServingFixture f = new ServingFixture(ControlMode.POLL, List.of(), counting)) {
            f.manager.start().get(10, TimeUnit.SECONDS);
            assertThat(f.manager.isReady()).isTrue();
            config(f.root, "poll1", xy(0, "[1]", ""));
            version(f.root, "poll1", 1, OFFSET.formatted(10));
            f.manager.poll();
            assertThat(f.manager.view("poll1", "").versions()).containsExactly(1L);
            f.manager.poll();
            assertThat(loads).as("an unchanged model is not reloaded").hasValue(1);

            version(f.root, "poll1", 2, OFFSET.formatted(20));
            f.manager.poll();
            assertThat(f.manager.view("poll1", "").versions()).containsExactly(2L);
            assertThat(y(f.inference.infer(xRequest("poll1", "", 0, 1f)).get(10, TimeUnit.SECONDS))).containsExactly(21f);
            awaitTrue(() -> TestModelLoader.CLOSED.contains("poll1/1"));

            TestRepository.delete(f.root.resolve("poll1").resolve("2"));
            f.manager.poll();
            assertThat(f.manager.view("poll1", "").versions()).as("a removed latest version falls back").containsExactly(1L);

            version(f.root, "poll1", 3, "{\"kind\": \"load_fails\"}");
            f.manager.poll();
            f.manager.poll();
            assertThat(f.manager.view("poll1", "").versions()).as("a broken new version leaves the old one served").containsExactly(1L);
            int after = loads.get();
            f.manager.poll();
            assertThat(loads).as("an unchanged failure is not retried").hasValue(after);

            TestRepository.delete(f.root.resolve("poll1"));
            f.manager.poll();
            assertThatThrownBy(() -> f.manager.view("poll1", "")).extracting(e -> ((ServingException) e).status())
                    .isEqualTo(ServingException.Status.NOT_FOUND);
            assertThat(Files.exists(f.root.resolve("poll1"))).isFalse();
        }
    }

    @Test
    void controlModesGuardTheRepositoryApi() {
        for (ControlMode mode : List.of(ControlMode.NONE, ControlMode.POLL)) {
            try (ServingFixture f = new ServingFixture(mode, List.of())) {
                assertThatThrownBy(() -> f.manager.requestLoad("m")).hasMessageContaining("model control mode is '" + mode + "'")
                        .extracting(e -> ((ServingException) e).status()).isEqualTo(ServingException.Status.FAILED_PRECONDITION);
                assertThatThrownBy(() -> f.manager.requestUnload("m")).extracting(e -> ((ServingException) e).status())
                        .isEqualTo(ServingException.Status.FAILED_PRECONDITION);
            }
        }
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 10 s");
            Thread.sleep(10);
        }
    }
}
