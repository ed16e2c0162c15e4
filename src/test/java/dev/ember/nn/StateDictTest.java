package dev.ember.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureCase;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** load_state_dict's key logic and PyTorch's exact messages (tools/fixtures/fx_nn_statedict.py). */
class StateDictTest {
    static final FixtureFile FILE = Fixtures.load("nn_statedict");

    /** The fixture's Net: conv1, bn, fc = Sequential(Linear, ReLU, Linear), buffers step and (non-persistent) tmp. */
    static final class Net extends Module {
        Net() {
            register("conv1", new Conv2d(1, 6, 5));
            register("bn", new BatchNorm2d(6));
            register("fc", new Sequential(new Linear(16, 8), new ReLU(), new Linear(8, 3)));
            registerBuffer("step", Tensor.scalar(0));
            registerBuffer("tmp", Tensor.zeros(2), false);
        }
    }

    static StateDict scenario(JsonNode kw) {
        StateDict base = new Net().stateDict();
        StateDict sd = new StateDict();
        List<String> drop = new ArrayList<>();
        kw.get("drop").forEach(k -> drop.add(k.asText()));
        for (String k : base.keySet()) if (!drop.contains(k)) sd.put(k, FILE.tensor("net/" + k));
        kw.get("add").forEach(k -> sd.put(k.asText(), Tensor.zeros(2)));
        for (JsonNode r : kw.get("reshape")) {
            int[] shape = new int[r.get(1).size()];
            for (int i = 0; i < shape.length; i++) shape[i] = r.get(1).get(i).asInt();
            sd.put(r.get(0).asText(), Tensor.zeros(shape));
        }
        if (!kw.get("plain").asBoolean()) sd.metadata().putAll(base.metadata());
        return sd;
    }

    @TestFactory
    Stream<DynamicTest> loadStateDict() {
        return FILE.cases().stream().filter(c -> c.op().equals("load_state_dict")).map(c -> DynamicTest.dynamicTest(c.id() + (c.kwargs().get("strict").asBoolean() ? "" : " (non-strict)"), () -> {
            JsonNode kw = c.kwargs();
            StateDict sd = scenario(kw);
            Map<String, Tensor> arg = kw.get("plain").asBoolean() ? new LinkedHashMap<>(sd) : sd;
            Net target = new Net();
            boolean strict = kw.get("strict").asBoolean();
            if (kw.has("error")) {
                assertThatThrownBy(() -> target.loadStateDict(arg, strict)).isInstanceOf(LoadStateDictException.class).hasMessage(kw.get("error").asText());
                return;
            }
            IncompatibleKeys keys = target.loadStateDict(arg, strict);
            assertThat(keys.missingKeys()).containsExactlyElementsOf(strings(kw.get("missing")));
            assertThat(keys.unexpectedKeys()).containsExactlyElementsOf(strings(kw.get("unexpected")));
            assertThat(keys.toString()).isEqualTo(kw.get("repr").asText());
            for (var e : target.stateDict().entrySet())
                if (sd.containsKey(e.getKey())) TensorAssert.assertClose(e.getValue(), sd.get(e.getKey()), 0, 0, e.getKey());
        }));
    }

    static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(s -> out.add(s.asText()));
        return out;
    }

    /** A 0-dim parameter loads from a 1-element checkpoint tensor's first element; float64 values convert to float32. */
    @Test
    void scalarBackCompatAndDtypeConversion() {
        Module s = new Module() {};
        s.registerParameter("alpha", Tensor.scalar(1.0));
        s.registerParameter("w", Tensor.zeros(2, 2));
        StateDict sd = new StateDict();
        sd.put("alpha", Tensor.of(2.5f, 7f));
        sd.put("w", Tensor.fromArray(new double[] {0, 1 / 3.0, 2 / 3.0, 1}, 2, 2));
        assertThat(s.loadStateDict(sd).allMatched()).isTrue();
        TensorAssert.assertClose(s.param("alpha"), FILE.tensor("scalar/alpha"), 0, 0, "alpha");
        TensorAssert.assertClose(s.param("w"), FILE.tensor("scalar/w"), 0, 0, "w");
    }

    @Test
    void registrationErrorsAreTorchs() {
        JsonNode msgs = FILE.cases().stream().filter(c -> c.op().equals("registration")).findFirst().map(FixtureCase::kwargs).orElseThrow();
        Module m = new Module() {};
        m.registerParameter("p", Tensor.zeros(1));
        assertThatThrownBy(() -> m.registerParameter("a.b", (Parameter) null)).hasMessage(msgs.get("param_dot").asText());
        assertThatThrownBy(() -> m.registerParameter("", (Parameter) null)).hasMessage(msgs.get("param_empty").asText());
        assertThatThrownBy(() -> m.registerBuffer("a.b", null)).hasMessage(msgs.get("buffer_dot").asText());
        assertThatThrownBy(() -> m.registerBuffer("", null)).hasMessage(msgs.get("buffer_empty").asText());
        assertThatThrownBy(() -> m.register("a.b", null)).hasMessage(msgs.get("module_dot").asText());
        assertThatThrownBy(() -> m.register("", null)).hasMessage(msgs.get("module_empty").asText());
        assertThatThrownBy(() -> m.registerBuffer("p", null)).hasMessage(msgs.get("buffer_exists").asText());
        assertThatThrownBy(() -> m.to(dev.ember.tensor.DType.INT64)).hasMessage(msgs.get("to_int").asText());
        Module plain = new Module() {
            @Override
            public String typeName() { return "Module"; }
        };
        assertThatThrownBy(() -> plain.call(Tensor.zeros(1))).hasMessage(msgs.get("no_forward").asText());
    }

    /** state_dict values share storage with the parameters (detached), keep_vars returns the parameters. */
    @Test
    void stateDictSharesStorageAndIsDetached() {
        Linear l = new Linear(3, 2);
        StateDict sd = l.stateDict();
        assertThat(sd.get("weight").requiresGrad()).isFalse();
        assertThat(sd.get("weight").storage()).isSameAs(l.weight().storage());
        assertThat(l.stateDict(true).get("weight")).isSameAs(l.weight());
        assertThat(sd.metadata()).containsOnlyKeys("");
        assertThatThrownBy(() -> l.loadStateDict(null)).hasMessage("Expected state_dict to be dict-like, got <class 'NoneType'>.");
    }
}
