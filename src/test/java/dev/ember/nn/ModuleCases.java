package dev.ember.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.autograd.Autograd;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureCase;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the module cases of tools/fixtures/nnlib.py: builds the Java module, checks PyTorch's repr, state_dict key
 * order and versions, loads PyTorch's state_dict strictly, runs the forward in the recorded mode, and compares
 * outputs, input gradients, parameter gradients and buffers afterwards.
 */
final class ModuleCases {
    private ModuleCases() {}

    static Stream<DynamicTest> run(String family, Map<String, Function<Kw, Module>> builders, Map<String, BiFunction<Module, Tensor[], Object>> callers) {
        FixtureFile file = Fixtures.load(family);
        List<String> missing = file.cases().stream().map(FixtureCase::op).filter(op -> !builders.containsKey(op)).distinct().toList();
        Stream<DynamicTest> coverage = Stream.of(DynamicTest.dynamicTest(family + ": every module case has a Java builder",
                () -> assertThat(missing).as("module cases without a builder").isEmpty()));
        return Stream.concat(coverage, file.cases().stream().filter(c -> builders.containsKey(c.op()))
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> runCase(file, c, builders.get(c.op()), callers.get(c.op())))));
    }

    static Module build(FixtureFile file, FixtureCase c, Function<Kw, Module> builder) {
        JsonNode kw = c.kwargs();
        Module m = builder.apply(new Kw(kw.get("ctor")));
        if (kw.get("ctor").has("dtype") && kw.get("ctor").get("dtype").asText().equals("float64")) m.to(DType.FLOAT64);
        return m;
    }

    /** The case's PyTorch state_dict, with its metadata, as a loader of a .pt file would produce it. */
    static StateDict stateDict(FixtureFile file, FixtureCase c) {
        JsonNode kw = c.kwargs();
        StateDict sd = new StateDict();
        for (JsonNode k : kw.get("keys")) sd.put(k.asText(), file.tensor(c.id() + "/sd/" + k.asText()));
        for (JsonNode pv : kw.get("versions")) sd.metadata().put(pv.get(0).asText(), new java.util.LinkedHashMap<>(Map.of("version", pv.get(1).asInt())));
        return sd;
    }

    static void runCase(FixtureFile file, FixtureCase c, Function<Kw, Module> builder, BiFunction<Module, Tensor[], Object> caller) {
        JsonNode kw = c.kwargs();
        Module m = build(file, c, builder);
        assertThat(m.toString()).as("%s: repr", c.id()).isEqualTo(kw.get("repr").asText());
        StateDict own = m.stateDict();
        List<String> keys = new ArrayList<>();
        kw.get("keys").forEach(k -> keys.add(k.asText()));
        assertThat(new ArrayList<>(own.keySet())).as("%s: state_dict keys in order", c.id()).containsExactlyElementsOf(keys);
        List<String> prefixes = new ArrayList<>();
        for (JsonNode pv : kw.get("versions")) {
            prefixes.add(pv.get(0).asText());
            assertThat(own.version(pv.get(0).asText())).as("%s: _metadata version of '%s'", c.id(), pv.get(0).asText()).isEqualTo(pv.get(1).asInt());
        }
        assertThat(new ArrayList<>(own.metadata().keySet())).as("%s: _metadata prefixes in order", c.id()).containsExactlyElementsOf(prefixes);
        StateDict sd = stateDict(file, c);
        assertThat(m.loadStateDict(sd, true).allMatched()).isTrue();
        for (var e : sd.entrySet()) TensorAssert.assertClose(m.stateDict().get(e.getKey()), e.getValue(), 0, 0, c.id() + " loaded " + e.getKey());
        m.train(kw.get("train").asBoolean());

        List<Tensor> bases = new ArrayList<>();
        Tensor[] in = new Tensor[c.inputs().size()];
        for (int k = 0; k < in.length; k++) {
            var spec = c.inputs().get(k);
            Tensor base = file.tensor(spec.name());
            if (spec.grad()) base.requiresGrad_(true);
            bases.add(base);
            in[k] = OpCases.applyView(base, spec.view());
        }
        Object result = caller != null ? caller.apply(m, in) : m.call((Object[]) in);
        List<Tensor> outs = flatten(result);
        assertThat(outs).as("%s: number of outputs", c.id()).hasSize(c.outputs().size());
        for (int k = 0; k < outs.size(); k++) {
            Tensor expected = file.tensor(c.outputs().get(k));
            double[] tol = tolerance(c, expected.dtype());
            TensorAssert.assertClose(outs.get(k), expected, tol[0], tol[1], c.id() + " output " + k);
        }
        if (!c.gouts().isEmpty()) {
            List<Tensor> diff = new ArrayList<>(), gouts = new ArrayList<>();
            for (int k = 0; k < outs.size(); k++) {
                String g = c.gouts().get(k);
                if (g == null) continue;
                diff.add(outs.get(k));
                gouts.add(file.tensor(g));
            }
            Autograd.backward(diff.toArray(new Tensor[0]), gouts.toArray(new Tensor[0]), false, false);
            for (int k = 0; k < bases.size(); k++) {
                String g = c.grads().get(k);
                if (g == null) continue;
                Tensor expected = file.tensor(g);
                double[] tol = tolerance(c, expected.dtype());
                Tensor actual = bases.get(k).grad() == null ? Tensor.zerosLike(expected) : bases.get(k).grad();
                TensorAssert.assertClose(actual, expected, tol[0], tol[1], c.id() + " grad of input " + k);
            }
            Map<String, Parameter> params = m.namedParameters();
            for (Iterator<Map.Entry<String, JsonNode>> it = kw.get("pgrads").fields(); it.hasNext(); ) {
                var e = it.next();
                Tensor expected = file.tensor(e.getValue().asText());
                Parameter p = params.get(e.getKey());
                assertThat(p).as("%s: parameter %s", c.id(), e.getKey()).isNotNull();
                double[] tol = tolerance(c, expected.dtype());
                TensorAssert.assertClose(p.grad() == null ? Tensor.zerosLike(expected) : p.grad(), expected, tol[0], tol[1], c.id() + " grad of " + e.getKey());
            }
        }
        Map<String, Tensor> buffers = m.namedBuffers();
        for (Iterator<Map.Entry<String, JsonNode>> it = kw.get("buffers").fields(); it.hasNext(); ) {
            var e = it.next();
            Tensor expected = file.tensor(e.getValue().asText());
            double[] tol = tolerance(c, expected.dtype());
            TensorAssert.assertClose(buffers.get(e.getKey()), expected, tol[0], tol[1], c.id() + " buffer " + e.getKey());
        }
    }

    static double[] tolerance(FixtureCase c, DType dtype) {
        double[] tol = TensorAssert.defaultTolerance(dtype);
        return new double[] {c.rtol() != null ? c.rtol() : tol[0], c.atol() != null ? c.atol() : tol[1]};
    }

    /** PyTorch's nested tuples as a flat list of tensors, in order. */
    static List<Tensor> flatten(Object r) {
        List<Tensor> out = new ArrayList<>();
        switch (r) {
            case Tensor t -> out.add(t);
            case List<?> l -> l.forEach(x -> out.addAll(flatten(x)));
            case RNNBase.Result res -> {
                out.add(res.output());
                out.add(res.h());
                if (res.c() != null) out.add(res.c());
            }
            default -> throw new IllegalArgumentException("module returned " + r);
        }
        return out;
    }
}
