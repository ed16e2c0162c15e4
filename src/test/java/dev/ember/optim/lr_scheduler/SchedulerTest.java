package dev.ember.optim.lr_scheduler;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.optim.OptimFactory;
import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;
import dev.ember.optim.SGD;
import dev.ember.optim.TrainFixture;
import dev.ember.tensor.Tensor;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Every scheduler against PyTorch 1.13 (tools/fixtures/fx_sched.py): the lr of each group after construction
 * and after each of 20 steps, the cycled momenta, the parameters after each step, and the scheduler's and
 * optimizer's state dicts after 10 and 20 steps. Then resuming at step 10 from Ember's and from PyTorch's
 * state dicts must give the same last 10 steps.
 */
class SchedulerTest {
    static final TrainFixture FX = new TrainFixture("sched");
    static final double LR_RTOL = 1e-12;

    static Stream<JsonNode> records() { return StreamSupport.stream(FX.meta.get("sched").spliterator(), false); }

    /** A fixture case's optimizer, scheduler (and a second, chained one, or null) and parameters. */
    record Run(List<Tensor> params, Optimizer opt, Object sched, LRScheduler chained) {
        List<Double> lastLr() {
            if (chained != null) return chained.getLastLr();
            return sched instanceof LRScheduler s ? s.getLastLr() : ((ReduceLROnPlateau) sched).getLastLr();
        }

        Map<String, Object> schedState() {
            return sched instanceof LRScheduler s ? s.stateDict() : ((ReduceLROnPlateau) sched).stateDict();
        }

        void loadSchedState(Map<String, Object> sd) {
            if (sched instanceof LRScheduler s) s.loadStateDict(sd);
            else ((ReduceLROnPlateau) sched).loadStateDict(sd);
        }
    }

    static Run build(JsonNode rec, List<Tensor> values) {
        List<Tensor> params = new ArrayList<>();
        for (Tensor v : values) params.add(v.detach().clone().requiresGrad_());
        Map<String, Object> optKwargs = FX.decodeMap(rec.get("optim_kwargs"));
        Optimizer opt;
        if (rec.get("group_lrs").isNull()) {
            opt = OptimFactory.make(rec.get("optim").asText(), optKwargs, params);
        } else {
            List<ParamGroup> groups = List.of(ParamGroup.of(params.subList(0, 2)).with("lr", rec.get("group_lrs").get(0).asDouble()),
                    ParamGroup.of(params.subList(2, 5)).with("lr", rec.get("group_lrs").get(1).asDouble()));
            opt = OptimFactory.make(rec.get("optim").asText(), optKwargs, groups);
        }
        if (rec.get("options").has("initial_lr"))
            for (ParamGroup g : opt.paramGroups()) g.put("initial_lr", rec.get("options").get("initial_lr").asDouble());
        Object sched = make(rec.get("sched").asText(), FX.decodeMap(rec.get("kwargs")), opt);
        LRScheduler chained = rec.has("chain") ? (LRScheduler) make(rec.get("chain").get("sched").asText(), FX.decodeMap(rec.get("chain").get("kwargs")), opt) : null;
        return new Run(params, opt, sched, chained);
    }

    /** The scheduler from PyTorch's keyword arguments, through Ember's constructors and options. */
    static Object make(String name, Map<String, Object> kw, Optimizer opt) {
        long lastEpoch = kw.containsKey("last_epoch") ? l(kw.get("last_epoch")) : -1;
        return switch (name) {
            case "StepLR" -> kw.containsKey("gamma") ? new StepLR(opt, l(kw.get("step_size")), d(kw.get("gamma")), lastEpoch, false)
                    : new StepLR(opt, l(kw.get("step_size")));
            case "MultiStepLR" -> kw.containsKey("gamma") ? new MultiStepLR(opt, milestones(kw), d(kw.get("gamma"))) : new MultiStepLR(opt, milestones(kw));
            case "ExponentialLR" -> new ExponentialLR(opt, d(kw.get("gamma")));
            case "CosineAnnealingLR" -> kw.containsKey("eta_min") ? new CosineAnnealingLR(opt, l(kw.get("T_max")), d(kw.get("eta_min")), lastEpoch, false)
                    : new CosineAnnealingLR(opt, l(kw.get("T_max")), lastEpoch, false);
            case "LinearLR" -> kw.isEmpty() ? new LinearLR(opt) : new LinearLR(opt, d(kw.getOrDefault("start_factor", 1.0 / 3)),
                    d(kw.getOrDefault("end_factor", 1.0)), l(kw.getOrDefault("total_iters", 5L)));
            case "OneCycleLR" -> new OneCycleLR(opt, oneCycle(kw));
            case "ReduceLROnPlateau" -> new ReduceLROnPlateau(opt, plateau(kw));
            default -> throw new IllegalArgumentException("no scheduler " + name);
        };
    }

    static OneCycleLR.Options oneCycle(Map<String, Object> kw) {
        var o = OneCycleLR.options();
        kw.forEach((k, v) -> {
            switch (k) {
                case "max_lr" -> o.maxLr(ds(v));
                case "total_steps" -> o.totalSteps((int) l(v));
                case "epochs" -> o.epochs((int) l(v));
                case "steps_per_epoch" -> o.stepsPerEpoch((int) l(v));
                case "pct_start" -> o.pctStart(d(v));
                case "anneal_strategy" -> o.annealStrategy((String) v);
                case "cycle_momentum" -> o.cycleMomentum((Boolean) v);
                case "base_momentum" -> o.baseMomentum(ds(v));
                case "max_momentum" -> o.maxMomentum(ds(v));
                case "div_factor" -> o.divFactor(d(v));
                case "final_div_factor" -> o.finalDivFactor(d(v));
                case "three_phase" -> o.threePhase((Boolean) v);
                default -> throw new IllegalArgumentException("no OneCycleLR option " + k);
            }
        });
        return o;
    }

    static ReduceLROnPlateau.Options plateau(Map<String, Object> kw) {
        var o = ReduceLROnPlateau.options();
        kw.forEach((k, v) -> {
            switch (k) {
                case "mode" -> o.mode((String) v);
                case "factor" -> o.factor(d(v));
                case "patience" -> o.patience(l(v));
                case "threshold" -> o.threshold(d(v));
                case "threshold_mode" -> o.thresholdMode((String) v);
                case "cooldown" -> o.cooldown(l(v));
                case "min_lr" -> o.minLr(ds(v));
                case "eps" -> o.eps(d(v));
                default -> throw new IllegalArgumentException("no ReduceLROnPlateau option " + k);
            }
        });
        return o;
    }

    static List<Number> milestones(Map<String, Object> kw) { return ((List<?>) kw.get("milestones")).stream().map(x -> (Number) x).toList(); }

    static double d(Object v) { return ((Number) v).doubleValue(); }

    static long l(Object v) { return ((Number) v).longValue(); }

    static double[] ds(Object v) {
        if (v instanceof List<?> list) return list.stream().mapToDouble(x -> ((Number) x).doubleValue()).toArray();
        return new double[] {d(v)};
    }

    /** Steps {@code from..to}, checking lrs, momenta and params after each step. */
    static void steps(JsonNode rec, Run run, int from, int to) {
        Tensor lrs = FX.file.tensor(rec.get("lrs").asText()), moms = FX.file.tensor(rec.get("moms").asText());
        Tensor traj = FX.file.tensor(rec.get("traj").asText());
        for (int k = from; k < to; k++) {
            FX.trainStep(run.opt(), run.params(), "float32", k);
            switch (run.sched()) {
                case ReduceLROnPlateau p -> {
                    double m = FX.meta.get("metric").get(k).asDouble();
                    p.step(rec.get("options").has("negate_metric") ? -m : m);
                }
                case LRScheduler s when rec.get("options").has("epochs") -> s.step(FX.meta.get("epochs").get(k).asLong());
                case LRScheduler s -> s.step();
                default -> throw new IllegalStateException();
            }
            if (run.chained() != null) run.chained().step();
            String at = "step " + (k + 1);
            TensorAssert.assertClose(Tensor.tensor(run.lastLr(), dev.ember.tensor.DType.FLOAT64), lrs.select(0, k + 1), LR_RTOL, 0, "lr after " + at);
            TensorAssert.assertClose(Tensor.tensor(momenta(run.opt()), dev.ember.tensor.DType.FLOAT64), moms.select(0, k + 1), LR_RTOL, 0, "momentum after " + at);
            TensorAssert.assertClose(TrainFixture.flat(run.params()), traj.select(0, k + 1), 1e-5, 1e-6, "params after " + at);
        }
    }

    static List<Double> momenta(Optimizer opt) {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : opt.paramGroups())
            out.add(g.has("betas") ? g.getDoubles("betas")[0] : g.has("momentum") ? g.getDouble("momentum") : 0.0);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> schedulesMatchPyTorch() {
        return records().map(rec -> DynamicTest.dynamicTest(rec.get("id").asText(), () -> {
            Run run = build(rec, FX.initialParams("float32"));
            TensorAssert.assertClose(Tensor.tensor(initialLrs(run), dev.ember.tensor.DType.FLOAT64),
                    FX.file.tensor(rec.get("lrs").asText()).select(0, 0), LR_RTOL, 0, "lr after construction");
            steps(rec, run, 0, 10);
            TrainFixture.assertSameValue(FX.decode(rec.get("sched_sd10")), run.schedState(), "scheduler state_dict after 10", 1e-5, 1e-6);
            if (run.chained() != null)
                TrainFixture.assertSameValue(FX.decode(rec.get("chain_sd10")), run.chained().stateDict(), "chained scheduler state_dict after 10", 1e-5, 1e-6);
            TrainFixture.assertSameValue(FX.decode(rec.get("opt_sd10")), run.opt().stateDict(), "optimizer state_dict after 10", 1e-5, 1e-6);
            steps(rec, run, 10, 20);
            TrainFixture.assertSameValue(FX.decode(rec.get("sched_sd20")), run.schedState(), "scheduler state_dict after 20", 1e-5, 1e-6);
            if (run.chained() != null)
                TrainFixture.assertSameValue(FX.decode(rec.get("chain_sd20")), run.chained().stateDict(), "chained scheduler state_dict after 20", 1e-5, 1e-6);
            TrainFixture.assertSameValue(FX.decode(rec.get("opt_sd20")), run.opt().stateDict(), "optimizer state_dict after 20", 1e-5, 1e-6);
        }));
    }

    static List<Double> initialLrs(Run run) {
        if (run.sched() instanceof LRScheduler s) return s.getLastLr();
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : run.opt().paramGroups()) out.add(g.lr());
        return out;
    }

    /** Resume at step 10 into a fresh optimizer and scheduler, from Ember's or PyTorch's state dicts. */
    @TestFactory
    Stream<DynamicTest> resumeFromStateDicts() {
        return records().flatMap(rec -> Stream.of(
                DynamicTest.dynamicTest(rec.get("id").asText() + " (Ember's state dicts)", () -> {
                    Run first = build(rec, FX.initialParams("float32"));
                    steps(rec, first, 0, 10);
                    Run second = build(rec, first.params());
                    second.opt().loadStateDict(first.opt().stateDict());
                    second.loadSchedState(first.schedState());
                    if (second.chained() != null) second.chained().loadStateDict(first.chained().stateDict());
                    steps(rec, second, 10, 20);
                }),
                DynamicTest.dynamicTest(rec.get("id").asText() + " (PyTorch's state dicts)", () -> {
                    Tensor row = FX.file.tensor(rec.get("traj").asText()).select(0, 10);
                    List<Tensor> values = new ArrayList<>();
                    int offset = 0;
                    for (Tensor p : FX.initialParams("float32")) {
                        values.add(row.narrow(0, offset, p.numel()).reshape(p.shape()));
                        offset += p.numel();
                    }
                    Run run = build(rec, values);
                    run.opt().loadStateDict(FX.decodeMap(rec.get("opt_sd10")));
                    run.loadSchedState(FX.decodeMap(rec.get("sched_sd10")));
                    if (run.chained() != null) run.chained().loadStateDict(FX.decodeMap(rec.get("chain_sd10")));
                    steps(rec, run, 10, 20);
                })));
    }

    @TestFactory
    Stream<DynamicTest> errorsMatchPyTorch() {
        Map<String, org.junit.jupiter.api.function.Executable> calls = Map.ofEntries(
                Map.entry("linear/start", () -> new LinearLR(sgd(), 1.5, 1.0, 5)),
                Map.entry("linear/end", () -> new LinearLR(sgd(), 1.0 / 3, -0.5, 5)),
                Map.entry("resume/initial_lr", () -> new StepLR(sgd(), 2, 0.1, 3, false)),
                Map.entry("plateau/factor", () -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().factor(1.0))),
                Map.entry("plateau/mode", () -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().mode("maximum"))),
                Map.entry("plateau/threshold_mode", () -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().thresholdMode("relative"))),
                Map.entry("plateau/min_lrs", () -> new ReduceLROnPlateau(sgd(), ReduceLROnPlateau.options().minLr(0.1, 0.2))),
                Map.entry("onecycle/nothing", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1))),
                Map.entry("onecycle/total_steps", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1).totalSteps(0))),
                Map.entry("onecycle/epochs", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1).epochs(-2).stepsPerEpoch(3))),
                Map.entry("onecycle/steps_per_epoch", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1).epochs(2).stepsPerEpoch(0))),
                Map.entry("onecycle/pct_start", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1).totalSteps(10).pctStart(1.5))),
                Map.entry("onecycle/anneal", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1).totalSteps(10).annealStrategy("exp"))),
                Map.entry("onecycle/max_lrs", () -> new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1, 0.2).totalSteps(10))),
                Map.entry("onecycle/momentum", () -> new OneCycleLR(new dev.ember.optim.Adagrad(List.of(Tensor.zeros(2).requiresGrad_())),
                        OneCycleLR.options().maxLr(0.1).totalSteps(10))),
                Map.entry("onecycle/overstep", () -> {
                    var s = new OneCycleLR(sgd(), OneCycleLR.options().maxLr(0.1).totalSteps(3));
                    for (int i = 0; i < 4; i++) s.step();
                }));
        return StreamSupport.stream(FX.meta.get("errors").spliterator(), false).map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
            var call = calls.get(e.get("id").asText());
            if (call == null) throw new AssertionError("no Java call for " + e.get("id").asText());
            Throwable t = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, call);
            org.junit.jupiter.api.Assertions.assertEquals(e.get("error").asText(), t.getMessage());
        }));
    }

    @Test
    void verboseOutputMatchesPyTorch() {
        var out = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Tensor a = Tensor.zeros(2).requiresGrad_(), b = Tensor.zeros(1).requiresGrad_();
            var opt = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(b).with("lr", 0.02)), SGD.options().lr(0.1));
            var s = new StepLR(opt, 2, 0.5, -1, true);
            for (int i = 0; i < 3; i++) s.step();
            s.step(7);
            var p = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(0).factor(0.5).verbose(true));
            for (double m : new double[] {1.0, 1.0, 0.5, 0.6}) p.step(m);
        } finally {
            System.setOut(old);
        }
        org.junit.jupiter.api.Assertions.assertEquals(FX.meta.get("verbose").asText(), out.toString(java.nio.charset.StandardCharsets.UTF_8).replace("\r\n", "\n"));
    }

    static SGD sgd() { return new SGD(List.of(Tensor.zeros(2).requiresGrad_()), SGD.options().lr(0.1).momentum(0.9)); }
}
