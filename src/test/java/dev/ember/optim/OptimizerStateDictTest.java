package dev.ember.optim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Saving and resuming: 10 steps, state_dict, a fresh optimizer over the same parameter values loads it, 10 more
 * steps must land on PyTorch's 20-step trajectory. Both with Ember's own state dict and with PyTorch's (as a
 * {@code .pt} reader hands it over), so checkpoints move between the two.
 */
class OptimizerStateDictTest {
    static final TrainFixture FX = OptimizerTrajectoryTest.FX;

    /** A new optimizer of the case's kind over fresh leaf copies of {@code values}, with the groups it has at step 10. */
    static Optimizer fresh(JsonNode rec, List<Tensor> values, List<Tensor> params) {
        for (Tensor v : values) params.add(v.detach().clone().requiresGrad_());
        Optimizer opt = OptimizerTrajectoryTest.build(rec, params);
        if (rec.has("add_group") && rec.get("add_group").get(0).asInt() < 10)
            opt.addParamGroup(OptimizerTrajectoryTest.group(rec.get("add_group").get(1), rec.get("add_group").get(2), params));
        return opt;
    }

    @TestFactory
    Stream<DynamicTest> emberStateDictResumes() {
        return OptimizerTrajectoryTest.records().map(rec -> DynamicTest.dynamicTest(rec.get("id").asText(), () -> {
            List<Tensor> params = FX.initialParams(rec.get("dtype").asText());
            Optimizer first = OptimizerTrajectoryTest.build(rec, params);
            OptimizerTrajectoryTest.steps(rec, first, params, 0, 10);
            Map<String, Object> saved = first.stateDict();
            List<Tensor> resumed = new ArrayList<>();
            Optimizer second = fresh(rec, params, resumed);
            second.loadStateDict(saved);
            OptimizerTrajectoryTest.steps(rec, second, resumed, 10, 20);
        }));
    }

    @TestFactory
    Stream<DynamicTest> pytorchStateDictResumes() {
        return OptimizerTrajectoryTest.records().map(rec -> DynamicTest.dynamicTest(rec.get("id").asText(), () -> {
            Tensor traj = FX.file.tensor(rec.get("traj").asText());
            List<Tensor> init = FX.initialParams(rec.get("dtype").asText()), values = new ArrayList<>();
            int offset = 0;
            for (Tensor p : init) {
                values.add(traj.select(0, 10).narrow(0, offset, p.numel()).reshape(p.shape()));
                offset += p.numel();
            }
            List<Tensor> params = new ArrayList<>();
            Optimizer opt = fresh(rec, values, params);
            opt.loadStateDict(asPickleReaderGives(FX.decode(rec.get("sd10"))));
            OptimizerTrajectoryTest.steps(rec, opt, params, 10, 20);
        }));
    }

    /** What a pickle reader such as Pyrolite yields: Integer for small ints, HashMap dicts. */
    @SuppressWarnings("unchecked")
    static <T> T asPickleReaderGives(Object v) {
        Object out = switch (v) {
            case Long l when l == (int) (long) l -> (int) (long) l;
            case Map<?, ?> m -> {
                Map<Object, Object> h = new java.util.HashMap<>();
                m.forEach((k, x) -> h.put(asPickleReaderGives(k), asPickleReaderGives(x)));
                yield h;
            }
            case List<?> l -> {
                List<Object> a = new ArrayList<>();
                for (Object x : l) a.add(asPickleReaderGives(x));
                yield a;
            }
            case null, default -> v;
        };
        return (T) out;
    }

    @Test
    void loadTakesADeepCopy() {
        Tensor w = Tensor.of(1f, 2f).requiresGrad_();
        SGD a = new SGD(List.of(w), SGD.options().lr(0.1).momentum(0.9));
        w.setGrad(Tensor.of(1f, 1f));
        a.step();
        Map<String, Object> sd = a.stateDict();
        SGD b = new SGD(List.of(w), SGD.options().lr(0.5));
        b.loadStateDict(sd);
        Tensor savedBuf = (Tensor) ((Map<?, ?>) ((Map<?, ?>) sd.get("state")).get(0L)).get("momentum_buffer");
        savedBuf.fill_(42);
        assertEquals(List.of(1.0, 1.0), java.util.Arrays.stream(((Tensor) b.state(w).get("momentum_buffer")).toDoubleArray()).boxed().toList());
        assertNotSame(savedBuf, b.state(w).get("momentum_buffer"));
        assertEquals(0.1, b.paramGroups().getFirst().lr(), "options come from the saved groups");
        assertEquals(0.9, b.paramGroups().getFirst().getDouble("momentum"));
    }

    @Test
    void loadCastsStateToTheParamDtypeExceptStep() {
        Tensor w32 = Tensor.of(1f, 2f).requiresGrad_();
        Adam a = new Adam(List.of(w32));
        w32.setGrad(Tensor.of(0.5f, -0.5f));
        a.step();
        Tensor w64 = Tensor.fromArray(new double[] {1, 2}, 2).requiresGrad_();
        Adam b = new Adam(List.of(w64));
        b.loadStateDict(a.stateDict());
        assertEquals(DType.FLOAT64, ((Tensor) b.state(w64).get("exp_avg")).dtype());
        assertEquals(DType.FLOAT32, ((Tensor) b.state(w64).get("step")).dtype(), "step is never cast (pytorch#74424)");
    }

    @Test
    void oldStepNumbersBecomeTensors() {
        Tensor w = Tensor.of(1f, 2f).requiresGrad_();
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("step", 3);
        st.put("exp_avg", Tensor.zeros(2));
        st.put("exp_avg_sq", Tensor.zeros(2));
        Map<String, Object> group = new LinkedHashMap<>(Adam.options().asMap());
        group.remove("fused");
        group.put("params", List.of(0));
        Adam opt = new Adam(List.of(w));
        opt.loadStateDict(Map.of("state", Map.of(0, st), "param_groups", List.of(group)));
        Tensor step = assertInstanceOf(Tensor.class, opt.state(w).get("step"));
        assertEquals(DType.FLOAT32, step.dtype());
        assertEquals(3.0, step.item());
        assertEquals(false, opt.paramGroups().getFirst().get("fused"), "missing options are filled as __setstate__ does");
    }

    @Test
    @SuppressWarnings("unchecked")
    void unknownStateKeysAreKeptAsTheyAre() {
        Tensor w = Tensor.of(1f).requiresGrad_();
        SGD opt = new SGD(List.of(w), 0.1);
        Map<String, Object> sd = opt.stateDict();
        ((Map<Object, Object>) sd.get("state")).put(7L, Map.of("momentum_buffer", Tensor.of(3f)));
        opt.loadStateDict(sd);
        assertEquals(List.of(7L), List.copyOf(((Map<?, ?>) opt.stateDict().get("state")).keySet()));
    }

    @Test
    void mismatchedStateDictsAreRejected() {
        Tensor a = Tensor.of(1f).requiresGrad_(), b = Tensor.of(2f).requiresGrad_();
        SGD one = new SGD(List.of(a), 0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> one.loadStateDict(Map.of("state", Map.of())));
        assertEquals("optimizer state_dict must have a 'state' dict and a 'param_groups' list", e.getMessage());
        var two = new SGD(List.of(ParamGroup.of(a), ParamGroup.of(b)), SGD.options().lr(0.1));
        assertThrows(IllegalArgumentException.class, () -> one.loadStateDict(two.stateDict()));
    }
}
