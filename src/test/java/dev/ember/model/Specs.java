package dev.ember.model;

import dev.ember.io.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** Hand-written model.json documents for the tests: a valid base to mutate, and graph builders. */
final class Specs {
    private Specs() {}

    /** A Linear + relu model with a graph; valid. */
    static final String BASE = """
            {"format": "ember.model", "format_version": 1,
             "inputs": [{"name": "x", "dtype": "float32", "shape": [-1, 4]}],
             "outputs": [{"name": "output", "dtype": "float32", "shape": [-1, 3]}],
             "modules": {"type": "torch.nn.Module", "class": "test.Net",
                         "children": {"fc": {"type": "torch.nn.Linear", "args": {"in_features": 4, "out_features": 3}}}},
             "graph": {"nodes": [
               {"name": "x", "op": "placeholder", "target": "x"},
               {"name": "fc", "op": "call_module", "target": "fc", "args": [{"node": "x"}]},
               {"name": "relu", "op": "call_function", "target": "torch.nn.functional.relu", "args": [{"node": "fc"}]},
               {"name": "output", "op": "output", "args": [{"node": "relu"}]}]}}
            """;

    @SuppressWarnings("unchecked")
    static Map<String, Object> base() { return (Map<String, Object>) Json.parse(BASE); }

    /** BASE after {@code edit}, as JSON text. */
    static String edited(Consumer<Map<String, Object>> edit) {
        Map<String, Object> m = base();
        edit.accept(m);
        return Json.write(m);
    }

    @SuppressWarnings("unchecked")
    static List<Object> nodes(Map<String, Object> spec) { return (List<Object>) ((Map<String, Object>) spec.get("graph")).get("nodes"); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> node(Map<String, Object> spec, int i) { return (Map<String, Object>) nodes(spec).get(i); }

    @SuppressWarnings("unchecked")
    static Map<String, Object> module(Map<String, Object> spec, String child) {
        return (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) spec.get("modules")).get("children")).get(child);
    }

    static Map<String, Object> ref(String name) { return Map.of("node", name); }

    static Map<String, Object> n(String name, String op, String target, Object... args) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("op", op);
        if (target != null) m.put("target", target);
        m.put("args", new ArrayList<>(java.util.Arrays.asList(args)));
        return m;
    }

    static Map<String, Object> withKwargs(Map<String, Object> node, Map<String, Object> kwargs) {
        node.put("kwargs", kwargs);
        return node;
    }

    /** A parameterless model (a user class with no children) running {@code nodes} on input x of {@code shape}; one output. */
    static String graph(List<Integer> inShape, List<Integer> outShape, List<Map<String, Object>> nodes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", "ember.model");
        m.put("format_version", 1L);
        m.put("inputs", List.of(Map.of("name", "x", "dtype", "float32", "shape", inShape)));
        m.put("outputs", List.of(Map.of("name", "output", "dtype", "float32", "shape", outShape)));
        m.put("modules", Map.of("type", "torch.nn.Module", "class", "test.Fn"));
        List<Object> all = new ArrayList<>();
        all.add(n("x", "placeholder", "x"));
        all.addAll(nodes);
        m.put("graph", Map.of("nodes", all));
        return Json.write(m);
    }
}
