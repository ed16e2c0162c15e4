package dev.ember.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.autograd.GradMode;
import dev.ember.nn.utils.ClipGrad;
import dev.ember.tensor.Tensor;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Param groups, zero_grad, closures, validation texts, repr and the tutorial walk-through, against PyTorch 1.13. */
class OptimizerApiTest {
    static final TrainFixture FX = OptimizerTrajectoryTest.FX;

    static List<Tensor> p() { return List.of(Tensor.zeros(2).requiresGrad_()); }

    @TestFactory
    Stream<DynamicTest> errorsMatchPyTorch() {
        List<Tensor> p = p();
        Tensor q = Tensor.zeros(3).requiresGrad_();
        Map<String, Executable> calls = Map.ofEntries(
                entry("sgd/lr", () -> new SGD(p, -0.1)),
                entry("sgd/momentum", () -> new SGD(p, SGD.options().lr(0.1).momentum(-0.5))),
                entry("sgd/weight_decay", () -> new SGD(p, SGD.options().lr(0.1).weightDecay(-1e-05))),
                entry("sgd/nesterov_momentum", () -> new SGD(p, SGD.options().lr(0.1).nesterov(true))),
                entry("sgd/nesterov_dampening", () -> new SGD(p, SGD.options().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true))),
                entry("sgd/required_lr", () -> new SGD(p, SGD.options())),
                entry("adam/lr", () -> new Adam(p, Adam.options().lr(-1.0))),
                entry("adam/eps", () -> new Adam(p, Adam.options().eps(-1e-08))),
                entry("adam/beta0", () -> new Adam(p, Adam.options().betas(1.0, 0.999))),
                entry("adam/beta1", () -> new Adam(p, Adam.options().betas(0.9, -0.1))),
                entry("adam/weight_decay", () -> new Adam(p, Adam.options().weightDecay(-0.1))),
                entry("adamw/lr", () -> new AdamW(p, AdamW.options().lr(-0.001))),
                entry("adamw/beta1", () -> new AdamW(p, AdamW.options().betas(0.9, 1.5))),
                entry("adamw/weight_decay", () -> new AdamW(p, AdamW.options().weightDecay(-0.01))),
                entry("rmsprop/lr", () -> new RMSprop(p, RMSprop.options().lr(-0.01))),
                entry("rmsprop/eps", () -> new RMSprop(p, RMSprop.options().eps(-1.0))),
                entry("rmsprop/momentum", () -> new RMSprop(p, RMSprop.options().momentum(-0.9))),
                entry("rmsprop/weight_decay", () -> new RMSprop(p, RMSprop.options().weightDecay(-2.5))),
                entry("rmsprop/alpha", () -> new RMSprop(p, RMSprop.options().alpha(-0.99))),
                entry("adagrad/lr", () -> new Adagrad(p, Adagrad.options().lr(-0.01))),
                entry("adagrad/lr_decay", () -> new Adagrad(p, Adagrad.options().lrDecay(-0.5))),
                entry("adagrad/weight_decay", () -> new Adagrad(p, Adagrad.options().weightDecay(-0.5))),
                entry("adagrad/initial_accumulator_value", () -> new Adagrad(p, Adagrad.options().initialAccumulatorValue(-0.1))),
                entry("adagrad/eps", () -> new Adagrad(p, Adagrad.options().eps(-1e-10))),
                entry("asgd/lr", () -> new ASGD(p, ASGD.options().lr(-0.01))),
                entry("asgd/weight_decay", () -> new ASGD(p, ASGD.options().weightDecay(-0.0001))),
                entry("empty", () -> new SGD(List.<Tensor>of(), 0.1)),
                entry("duplicate_groups", () -> new SGD(List.of(ParamGroup.of(p), ParamGroup.of(p)), SGD.options().lr(0.1))),
                entry("non_leaf", () -> new SGD(List.of(q.mul(2.0)), 0.1)),
                entry("set_params", () -> ParamGroup.of(new HashSet<>(List.of(q)))),
                entry("load/groups", () -> new SGD(p, 0.1).loadStateDict(new SGD(List.of(ParamGroup.of(p), ParamGroup.of(q)), SGD.options().lr(0.1)).stateDict())),
                entry("load/sizes", () -> new SGD(p, 0.1).loadStateDict(new SGD(List.of(p.getFirst(), q), 0.1).stateDict())),
                entry("clip/nonfinite", () -> {
                    Tensor a = Tensor.zeros(2).requiresGrad_();
                    a.setGrad(Tensor.of(1f, Float.POSITIVE_INFINITY));
                    ClipGrad.clipGradNorm_(List.of(a), 1.0, 2.0, true);
                }));
        return StreamSupport.stream(FX.meta.get("errors").spliterator(), false).map(e -> DynamicTest.dynamicTest(e.get("id").asText(), () -> {
            Executable call = calls.get(e.get("id").asText());
            if (call == null) throw new AssertionError("no Java call for error case " + e.get("id").asText());
            Throwable t = assertThrows(RuntimeException.class, call);
            assertEquals(e.get("error").asText(), t.getMessage());
        }));
    }

    @Test
    void pythonFloatRepr() {
        for (JsonNode f : FX.meta.get("repr").get("floats")) {
            String repr = f.get(0).asText();
            assertEquals(repr, PyValues.repr(Double.parseDouble(repr)));
        }
    }

    @Test
    void optimizerReprMatchesPyTorch() {
        List<Tensor> p = List.of(Tensor.zeros(2).requiresGrad_(), Tensor.zeros(3).requiresGrad_());
        Map<String, Optimizer> opts = Map.of(
                "sgd_groups", new SGD(List.of(ParamGroup.of(p.get(0)).with("lr", 0.5).with("nesterov", true).with("momentum", 0.9),
                        ParamGroup.of(p.get(1))), SGD.options().lr(0.1)),
                "adam", new Adam(p, Adam.options().betas(0.8, 0.99)),
                "adagrad", new Adagrad(p));
        for (JsonNode o : FX.meta.get("repr").get("optimizers"))
            assertEquals(o.get("text").asText(), opts.get(o.get("id").asText()).toString());
    }

    /** The seed tutorial: SGD(lr=0.1, momentum=0.9) on a weight whose grad is ones, then add_param_group and 50 steps. */
    @Test
    void tutorialWalkThrough() {
        JsonNode rec = FX.meta.get("tutorial");
        Tensor weight = FX.file.tensor("tutorial/weight").requiresGrad_();
        Tensor weight2 = FX.file.tensor("tutorial/weight2").requiresGrad_();
        weight.setGrad(Tensor.ones(2, 2));
        SGD optimizer = new SGD(List.of(weight), SGD.options().lr(0.1).momentum(0.9));
        optimizer.step();
        TensorAssert.assertClose(weight.detach(), (Tensor) FX.decode(rec.get("after_step")));
        optimizer.zeroGrad();
        TensorAssert.assertClose(weight.grad(), (Tensor) FX.decode(rec.get("grad_after_zero")));
        optimizer.addParamGroup(ParamGroup.of(weight2).with("lr", 0.0001).with("nesterov", true));
        TrainFixture.assertSameValue(FX.decode(rec.get("before")), optimizer.stateDict(), "state_dict before", 1e-5, 1e-6);
        for (int i = 0; i < 50; i++) optimizer.step();
        TrainFixture.assertSameValue(FX.decode(rec.get("after")), optimizer.stateDict(), "state_dict after", 1e-5, 1e-6);
        TensorAssert.assertClose(weight.detach(), (Tensor) FX.decode(rec.get("weight")));
    }

    @Test
    void groupsTakeTheirOwnOptionsFirstThenTheDefaults() {
        Tensor a = Tensor.zeros(2).requiresGrad_();
        SGD opt = new SGD(List.of(ParamGroup.of(a).with("nesterov", true).with("lr", 0.5)), SGD.options().lr(0.1).momentum(0.9));
        assertEquals(List.of("nesterov", "lr", "momentum", "dampening", "weight_decay", "maximize", "foreach", "differentiable"),
                List.copyOf(opt.paramGroups().getFirst().options().keySet()));
        assertEquals(0.5, opt.paramGroups().getFirst().lr());
        assertEquals(0L, opt.paramGroups().getFirst().get("dampening"), "an untouched default keeps PyTorch's int type");
        assertEquals(0.9, opt.paramGroups().getFirst().get("momentum"));
    }

    @Test
    void orderedSetsAreAcceptedUnorderedOnesAreNot() {
        Tensor a = Tensor.zeros(2).requiresGrad_(), b = Tensor.zeros(1).requiresGrad_();
        assertEquals(List.of(a, b), ParamGroup.of(new LinkedHashSet<>(List.of(a, b))).params());
        assertThrows(IllegalArgumentException.class, () -> ParamGroup.of(new HashSet<>(List.of(a, b))));
    }

    @Test
    void aNonLeafThatRetainsGradCanBeOptimized() {
        Tensor a = Tensor.zeros(2).requiresGrad_();
        Tensor h = a.mul(2.0).retainGrad();
        assertEquals(1, new SGD(List.of(h), 0.1).paramGroups().size());
    }

    @Test
    void duplicatesInAGroupOnlyWarn() {
        Tensor a = Tensor.zeros(2).requiresGrad_();
        SGD opt = new SGD(List.of(a, a), 0.1);
        assertEquals(List.of(0L, 0L), ((Map<?, ?>) ((List<?>) opt.stateDict().get("param_groups")).getFirst()).get("params"),
                "PyTorch numbers a repeated parameter once");
    }

    @Test
    void addParamGroupRejectsParamsAlreadyOptimized() {
        Tensor a = Tensor.zeros(2).requiresGrad_(), b = Tensor.zeros(2).requiresGrad_();
        SGD opt = new SGD(List.of(a), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(b, a)));
        assertEquals("some parameters appear in more than one parameter group", e.getMessage());
        assertEquals(1, opt.paramGroups().size(), "a rejected group leaves the optimizer as it was");
        opt.addParamGroup(ParamGroup.of(b).with("lr", 0.01));
        assertEquals(List.of(0.1, 0.01), opt.paramGroups().stream().map(ParamGroup::lr).toList());
    }

    @Test
    void adagradCreatesStateForGroupsAddedLater() {
        Tensor a = Tensor.zeros(2).requiresGrad_(), b = Tensor.ones(3).requiresGrad_();
        Adagrad opt = new Adagrad(List.of(a), Adagrad.options().initialAccumulatorValue(0.5));
        opt.addParamGroup(ParamGroup.of(b));
        TensorAssert.assertClose((Tensor) opt.state(b).get("sum"), Tensor.full(new int[] {3}, 0.5));
        b.setGrad(Tensor.ones(3));
        opt.step();
        assertEquals(1.0, ((Tensor) opt.state(b).get("step")).item());
        assertEquals(0.0, ((Tensor) opt.state(a).get("step")).item(), "a param without grad is not stepped");
    }

    @Test
    void zeroGradZeroesInPlaceByDefault() {
        Tensor a = Tensor.of(1f, 2f).requiresGrad_();
        a.mul(a).sum().backward();
        Tensor g = a.grad();
        SGD opt = new SGD(List.of(a), 0.1);
        opt.zeroGrad();
        assertSame(g, a.grad(), "set_to_none=False keeps the gradient tensor (PyTorch 1.13's default)");
        assertEquals(0.0, g.abs().sum().item());
        opt.zeroGrad(true);
        assertNull(a.grad());
    }

    @Test
    void zeroGradCutsAGradientWithHistory() {
        Tensor a = Tensor.of(1f, 2f).requiresGrad_();
        a.mul(a).sum().backward(null, false, true);
        assertFalse(a.grad().isLeaf(), "create_graph=True gives a gradient with history");
        new SGD(List.of(a), 0.1).zeroGrad();
        assertTrue(a.grad().isLeaf());
        assertFalse(a.grad().requiresGrad());
    }

    @Test
    void stepSkipsParamsWithoutGradAndRunsUnderNoGrad() {
        Tensor a = Tensor.of(1f).requiresGrad_(), b = Tensor.of(1f).requiresGrad_();
        SGD opt = new SGD(List.of(a, b), SGD.options().lr(0.5).momentum(0.9));
        a.setGrad(Tensor.of(2f));
        opt.step();
        assertEquals(0.0, a.item());
        assertEquals(1.0, b.item());
        assertEquals(Map.of(), opt.state(b));
        assertTrue(a.isLeaf(), "the update is not recorded");
    }

    @Test
    void optimizesNnParameters() {
        var w = new dev.ember.nn.Parameter(Tensor.of(1f, -1f));
        var opt = new Adam(List.of(w), Adam.options().lr(0.1));
        w.mul(w).sum().backward();
        opt.step();
        assertEquals(List.of(0.9, -0.9), java.util.Arrays.stream(w.toDoubleArray()).map(x -> Math.round(x * 1e6) / 1e6).boxed().toList());
        assertTrue(opt.state(w).containsKey("exp_avg"));
    }

    @Test
    void closureRunsWithGradEnabledAndItsLossIsReturned() {
        Tensor w = Tensor.of(3f).requiresGrad_();
        SGD opt = new SGD(List.of(w), 0.25);
        List<Tensor> losses = new ArrayList<>();
        Tensor loss;
        try (var g = GradMode.noGrad()) {
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = w.mul(w).sum();
                l.backward();
                losses.add(l);
                return l;
            });
        }
        assertSame(losses.getFirst(), loss);
        assertEquals(9.0, loss.item());
        assertEquals(1.5, w.item(), "w - 0.25 * 2w");
    }
}
