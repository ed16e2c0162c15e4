package dev.ember.model;

import dev.ember.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.ember.model.Specs.edited;
import static dev.ember.model.Specs.module;
import static dev.ember.model.Specs.n;
import static dev.ember.model.Specs.node;
import static dev.ember.model.Specs.nodes;
import static dev.ember.model.Specs.ref;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Malformed and hostile model.json files: each is refused with a message that says where and why, before anything is built. */
class ModelSpecTest {
    static ModelSpec parse(String json) throws ModelSpecException { return ModelSpec.parse(json, "model.json"); }

    @Test
    void baseSpecParses() throws Exception {
        ModelSpec spec = parse(Specs.BASE);
        assertThat(spec.hasGraph()).isTrue();
        assertThat(spec.rootName()).isEqualTo("Net");
        assertThat(spec.signature().inputs().getFirst().shape()).containsExactly(-1, 4);
        assertThat(spec.signature().batched()).isTrue();
    }

    static Stream<Arguments> malformed() {
        List<Arguments> cases = new ArrayList<>();
        add(cases, "truncated JSON", Specs.BASE.substring(0, 200), "model.json: malformed JSON");
        add(cases, "not an object", "[1, 2]", "expected an object, got an array");
        add(cases, "wrong format", s -> s.put("format", "onnx"), "format: expected \"ember.model\", got \"onnx\"");
        add(cases, "newer format version", s -> s.put("format_version", 2L), "format_version: 2 is not a format this Ember reads (1 to 1); the file was written by a newer exporter");
        add(cases, "unknown top-level field", s -> s.put("modulez", 1L), "modulez: unknown field");
        add(cases, "missing modules", s -> s.remove("modules"), "modules: missing");
        add(cases, "no inputs", s -> s.put("inputs", List.of()), "inputs: must list at least one tensor");
        add(cases, "bad dtype", s -> ((Map<String, Object>) ((List<?>) s.get("inputs")).getFirst()).put("dtype", "float128"), "inputs[0].dtype: unknown dtype 'float128'");
        add(cases, "negative dim", s -> ((Map<String, Object>) ((List<?>) s.get("inputs")).getFirst()).put("shape", List.of(-2L, 4L)),
                "inputs[0].shape[0]: must be a size (0 to 2^31-1) or -1 (any), got -2");
        add(cases, "unknown module type", s -> module(s, "fc").put("type", "torch.nn.Transformer"),
                "modules.children.fc.type: unknown module type 'torch.nn.Transformer'; Ember builds [");
        add(cases, "constructor arg of the wrong type", s -> ((Map<String, Object>) module(s, "fc").get("args")).put("in_features", "four"),
                "modules.children.fc.args: Linear.__init__(): argument 'in_features' (position 1) must be int, not str");
        add(cases, "unknown constructor arg", s -> ((Map<String, Object>) module(s, "fc").get("args")).put("bias_init", true),
                "modules.children.fc.args: Linear() got an unexpected keyword argument 'bias_init'");
        add(cases, "missing constructor arg", s -> ((Map<String, Object>) module(s, "fc").get("args")).remove("out_features"),
                "Linear() missing 1 required positional argument: 'out_features'");
        add(cases, "integer out of range", s -> ((Map<String, Object>) module(s, "fc").get("args")).put("in_features", new java.math.BigInteger("100000000000000000000")),
                "integer 100000000000000000000 is out of range (64 bits)");
        add(cases, "huge layer", s -> ((Map<String, Object>) module(s, "fc").get("args")).putAll(Map.of("in_features", 3_000_000L, "out_features", 3_000_000L)),
                "modules: the module tree holds 9000003000000 parameter and buffer elements, over the limit of");
        add(cases, "dotted child name", s -> ((Map<String, Object>) ((Map<String, Object>) s.get("modules")).get("children")).put("a.b", Map.of("type", "torch.nn.ReLU")),
                "a module attribute name can't contain \".\", got: a.b");
        add(cases, "leaf with children", s -> module(s, "fc").put("children", Map.of("x", Map.of("type", "torch.nn.ReLU"))),
                "torch.nn.Linear has no children in model.json");
        add(cases, "unknown function", s -> node(s, 2).put("target", "torch.nn.functional.frobnicate"), "graph.nodes[2] 'relu': unknown function torch.nn.functional.frobnicate");
        add(cases, "unknown method", s -> {
            node(s, 2).put("op", "call_method");
            node(s, 2).put("target", "frobnicate");
        }, "graph.nodes[2] 'relu': unknown method Tensor.frobnicate");
        add(cases, "unknown op", s -> node(s, 2).put("op", "call_python"), "graph.nodes[2] 'relu'.op: unknown op 'call_python'");
        add(cases, "constant arg of the wrong type", s -> nodes(s).set(2, n("relu", "call_function", "torch.nn.functional.max_pool2d", ref("fc"), "two")),
                "graph.nodes[2] 'relu': max_pool2d(): argument 'kernel_size' (position 2) must be tuple of ints, not str");
        add(cases, "unexpected keyword", s -> node(s, 2).put("kwargs", Map.of("inplcae", true)), "relu() got an unexpected keyword argument 'inplcae'");
        add(cases, "too many arguments", s -> node(s, 2).put("args", List.of(ref("fc"), true, 3L)), "relu() takes from 1 to 2 positional arguments but 3 were given");
        add(cases, "undefined node", s -> node(s, 2).put("args", List.of(ref("fc2"))), "graph.nodes[2] 'relu': uses node 'fc2', which is not defined");
        add(cases, "cycle", s -> node(s, 1).put("args", List.of(ref("relu"))), "graph.nodes[1] 'fc': the graph has a cycle: fc -> relu -> fc");
        add(cases, "out of order", s -> {
            List<Object> ns = nodes(s);
            ns.add(1, ns.remove(2));
        }, "graph.nodes[1] 'relu': uses node 'fc' before it is defined (nodes must be in topological order");
        add(cases, "missing output", s -> nodes(s).removeLast(), "graph.nodes: no output node");
        add(cases, "output not last", s -> nodes(s).add(n("extra", "call_function", "torch.relu", ref("relu"))), "the output node must be the last node");
        add(cases, "duplicate node", s -> node(s, 2).put("name", "fc"), "graph.nodes[2] 'fc': duplicate node name 'fc'");
        add(cases, "placeholder name", s -> node(s, 0).put("target", "input"), "placeholder 1 is 'input' but input 1 of the signature is 'x'");
        add(cases, "output count", s -> node(s, 3).put("args", List.of(List.of(ref("relu"), ref("fc")))),
                "forward returns 2 values but the signature declares 1 outputs");
        add(cases, "call a user module", s -> {
            ((Map<String, Object>) ((Map<String, Object>) s.get("modules")).get("children")).put("block", Map.of("type", "torch.nn.Module", "class", "m.Block"));
            node(s, 2).putAll(Map.of("op", "call_module", "target", "block"));
        }, "call_module block: Block is a user-defined module, whose forward is not in model.json");
        add(cases, "call a missing module", s -> node(s, 1).put("target", "fc9"), "call_module fc9: Net has no submodule 'fc9'");
        add(cases, "get a missing attribute", s -> nodes(s).set(2, n("relu", "get_attr", "scale")), "get_attr scale: Net has no parameter, buffer or submodule 'scale'");
        add(cases, "unknown tagged value", s -> node(s, 2).put("args", List.of(Map.of("tensor", List.of(1L)))), "unknown tagged value 'tensor'");
        add(cases, "node ref in module args", s -> ((Map<String, Object>) module(s, "fc").get("args")).put("in_features", ref("x")),
                "node references are allowed only in graph arguments");
        add(cases, "user module without graph", s -> s.remove("graph"), "graph: missing: only a Sequential (or a single layer) runs without a graph; Net's forward");
        add(cases, "non-persistent buffer without data", s -> ((Map<String, Object>) s.get("modules")).put("buffers",
                Map.of("mask", Map.of("shape", List.of(2L), "dtype", "bool", "persistent", false))), "a non-persistent buffer is not in the weights file");
        add(cases, "inline data of the wrong size", s -> s.put("constants", Map.of("c", Map.of("shape", List.of(2L), "dtype", "float32", "data", List.of(1.0)))),
                "constants.c.data: holds 1 values but the shape needs 2");
        add(cases, "integer parameter requiring grad", s -> ((Map<String, Object>) s.get("modules")).put("parameters",
                Map.of("w", Map.of("shape", List.of(2L), "dtype", "int64"))), "only Tensors of floating point dtype can require gradients");
        return cases.stream();
    }

    @SuppressWarnings("unchecked")
    private static void add(List<Arguments> cases, String name, Consumer<Map<String, Object>> edit, String message) {
        cases.add(Arguments.of(name, edited(edit), message));
    }

    private static void add(List<Arguments> cases, String name, String json, String message) { cases.add(Arguments.of(name, json, message)); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void refusesWithAClearMessage(String name, String json, String message) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelSpecException.class).hasMessageStartingWith("model.json: ").hasMessageContaining(message);
    }

    @Test
    void refusesDeepJsonNesting() {
        String deep = "[".repeat(200) + "]".repeat(200);
        String json = Specs.BASE.replace("\"args\": {\"in_features\": 4", "\"args\": {\"junk\": " + deep + ", \"in_features\": 4");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelSpecException.class).hasMessageContaining("nesting deeper than 64 levels");
    }

    @Test
    void refusesDeeplyNestedModules() {
        String inner = "{\"type\": \"torch.nn.ReLU\"}";
        for (int i = 0; i < 30; i++) inner = "{\"type\": \"torch.nn.Sequential\", \"children\": {\"0\": " + inner + "}}";
        Object modules = Json.parse(inner);
        String json = edited(s -> s.put("modules", modules));
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelSpecException.class).hasMessageContaining("modules nested deeper than 24 levels");
    }

    @Test
    void refusesTooManyNodes() {
        List<Map<String, Object>> nodes = new ArrayList<>();
        String prev = "x";
        for (int i = 0; i < 50; i++) {
            nodes.add(n("r" + i, "call_function", "torch.relu", ref(prev)));
            prev = "r" + i;
        }
        nodes.add(n("output", "output", null, ref(prev)));
        String json = Specs.graph(List.of(-1, 4), List.of(-1, 4), nodes);
        assertThatThrownBy(() -> ModelSpec.parse(json.getBytes(), "model.json", ModelLimits.DEFAULT.withMaxNodes(20)))
                .isInstanceOf(ModelSpecException.class).hasMessageContaining("graph.nodes: 52 nodes exceeds the limit of 20");
    }

    @Test
    void refusesOversizedFilesBeforeReadingThem(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.json");
        Files.writeString(f, Specs.BASE + " ".repeat(5000));
        assertThatThrownBy(() -> ModelSpec.read(f, ModelLimits.DEFAULT.withMaxSpecBytes(1000)))
                .isInstanceOf(ModelSpecException.class).hasMessageContaining("bytes exceeds the limit of 1000");
        assertThatThrownBy(() -> ModelSpec.read(dir.resolve("absent.json"))).isInstanceOf(ModelSpecException.class).hasMessageContaining("no such file");
    }

    @Test
    void aLongCycleIsNamedWithoutRecursion() {
        List<Map<String, Object>> nodes = new ArrayList<>();
        int n = 20_000;
        nodes.add(n("r0", "call_function", "operator.add", ref("x"), ref("r" + (n - 1))));
        for (int i = 1; i < n; i++) nodes.add(n("r" + i, "call_function", "torch.relu", ref("r" + (i - 1))));
        nodes.add(n("output", "output", null, ref("r" + (n - 1))));
        String json = Specs.graph(List.of(-1, 4), List.of(-1, 4), nodes);
        assertThatThrownBy(() -> parse(json)).isInstanceOf(ModelSpecException.class).hasMessageContaining("the graph has a cycle: r0 -> r" + (n - 1));
    }

    @Test
    void everyTaggedValueParses() throws Exception {
        Map<String, Object> kwargs = new LinkedHashMap<>();
        kwargs.put("dtype", Map.of("dtype", "float64"));
        String json = Specs.graph(List.of(-1, 4), List.of(-1, 4), List.of(
                Specs.withKwargs(n("t", "call_method", "to", ref("x")), kwargs),
                n("c", "call_method", "contiguous", ref("t"), Map.of("const", "torch.contiguous_format")),
                n("s", "call_method", "size", ref("c")),
                n("g", "call_function", "operator.getitem", ref("s"), Map.of("slice", java.util.Arrays.asList(1L, null, null))),
                n("d", "call_method", "to", ref("c"), Map.of("device", "cpu")),
                n("m", "call_function", "operator.mul", ref("d"), Map.of("float", "inf")),
                n("output", "output", null, ref("d"))));
        assertThat(parse(json).hasGraph()).isTrue();
    }

    @Test
    void specWithJacksonFreeJsonRoundTrips() {
        Object m = Json.parse(Specs.BASE);
        assertThat(Json.parse(Json.write(m))).isEqualTo(m);
    }
}
