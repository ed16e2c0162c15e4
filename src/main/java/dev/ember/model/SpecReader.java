package dev.ember.model;

import dev.ember.io.Json;
import dev.ember.io.JsonException;
import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * model.json text to a checked {@link ModelSpec}. Every field is checked for presence and type, every name and
 * size against {@link ModelLimits}; errors say where ({@code model.json: modules.children.fc1.args.in_features:
 * expected an int, got str}). The module tree is then checked against {@link ModuleTypes} and the graph compiled
 * into a {@link Program}, so a spec that parses will also build.
 */
final class SpecReader {
    private final String source;
    private final ModelLimits limits;
    private int modules;
    private long parameterElements, inlineElements;

    SpecReader(String source, ModelLimits limits) {
        this.source = source;
        this.limits = limits;
    }

    ModelSpec read(byte[] utf8) throws ModelSpecException {
        try {
            return readChecked(utf8);
        } catch (SpecError e) {
            throw new ModelSpecException(source + ": " + e.getMessage());
        }
    }

    /** Unchecked inside the reader so nested helpers stay readable; turned into a ModelSpecException at the top. */
    static final class SpecError extends RuntimeException {
        SpecError(String path, String message) { super(path.isEmpty() ? message : path + ": " + message); }
    }

    private ModelSpec readChecked(byte[] utf8) {
        if (utf8.length > limits.maxSpecBytes()) throw new SpecError("", utf8.length + " bytes exceeds the limit of " + limits.maxSpecBytes());
        Object root;
        try {
            root = Json.parse(utf8, new Json.Limits((int) Math.min(limits.maxSpecBytes(), Integer.MAX_VALUE), limits.maxJsonDepth()));
        } catch (JsonException e) {
            throw new SpecError("", "malformed JSON: " + e.getMessage());
        }
        Map<String, Object> m = object(root, "");
        fields(m, "", Set.of("format", "format_version", "producer", "inputs", "outputs", "modules", "graph", "constants"),
                Set.of("format", "format_version", "inputs", "outputs", "modules"));
        String format = string(m.get("format"), "format");
        if (!format.equals(ModelSpec.FORMAT)) throw new SpecError("format", "expected \"" + ModelSpec.FORMAT + "\", got \"" + format + "\"");
        long version = integer(m.get("format_version"), "format_version");
        if (version < 1 || version > ModelSpec.FORMAT_VERSION)
            throw new SpecError("format_version", version + " is not a format this Ember reads (1 to " + ModelSpec.FORMAT_VERSION + "); "
                    + (version > ModelSpec.FORMAT_VERSION ? "the file was written by a newer exporter" : "versions start at 1"));
        Map<String, Object> producer = m.containsKey("producer") ? object(m.get("producer"), "producer") : Map.of();
        ModelSignature signature = new ModelSignature(signatures(m.get("inputs"), "inputs"), signatures(m.get("outputs"), "outputs"));
        ModuleSpec tree = module(m.get("modules"), "modules", 0);
        parameterElements += ModuleTypes.check(tree, "modules");
        if (parameterElements > limits.maxParameterElements())
            throw new SpecError("modules", "the module tree holds " + parameterElements + " parameter and buffer elements, over the limit of "
                    + limits.maxParameterElements());
        Map<String, Tensor> constants = new LinkedHashMap<>();
        if (m.containsKey("constants")) {
            for (Map.Entry<String, Object> e : object(m.get("constants"), "constants").entrySet()) {
                String path = "constants." + e.getKey();
                name(e.getKey(), path, false);
                TensorDecl d = tensorDecl(e.getValue(), path, true, false);
                constants.put(e.getKey(), d.data());
            }
        }
        List<NodeSpec> graph = null;
        Program program = null;
        if (m.containsKey("graph")) {
            Map<String, Object> g = object(m.get("graph"), "graph");
            fields(g, "graph", Set.of("nodes"), Set.of("nodes"));
            graph = nodes(g.get("nodes"), "graph.nodes");
            program = Program.compile(graph, tree, constants, signature);
        } else {
            if (!tree.type().equals("torch.nn.Sequential") && (tree.generic() || ModuleTypes.isContainer(tree.type())))
                throw new SpecError("graph", "missing: only a Sequential (or a single layer) runs without a graph; " + tree.shortName()
                        + "'s forward is Python code that only a graph can carry (export the model with tools/export_model.py)");
            if (signature.inputs().size() != 1 || signature.outputs().size() != 1)
                throw new SpecError("inputs", "a model without a graph takes one input and returns one output, but the signature lists "
                        + signature.inputs().size() + " inputs and " + signature.outputs().size() + " outputs");
        }
        return new ModelSpec((int) version, producer, signature, tree, graph, constants, program);
    }

    // ------------------------------------------------------------------ signature

    private List<TensorSignature> signatures(Object json, String path) {
        List<Object> l = list(json, path);
        if (l.isEmpty()) throw new SpecError(path, "must list at least one tensor");
        List<TensorSignature> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < l.size(); i++) {
            String p = path + "[" + i + "]";
            Map<String, Object> t = object(l.get(i), p);
            fields(t, p, Set.of("name", "dtype", "shape"), Set.of("name", "dtype", "shape"));
            String name = string(t.get("name"), p + ".name");
            if (name.isEmpty() || name.length() > limits.maxNameLength()) throw new SpecError(p + ".name", "must be 1 to " + limits.maxNameLength() + " characters");
            if (!names.add(name)) throw new SpecError(p + ".name", "duplicate name '" + name + "'");
            DType dtype = dtype(t.get("dtype"), p + ".dtype");
            List<Object> shape = list(t.get("shape"), p + ".shape");
            if (shape.size() > 64) throw new SpecError(p + ".shape", "more than 64 dims");
            long[] dims = new long[shape.size()];
            for (int d = 0; d < dims.length; d++) {
                dims[d] = integer(shape.get(d), p + ".shape[" + d + "]");
                if (dims[d] < -1 || dims[d] > Integer.MAX_VALUE) throw new SpecError(p + ".shape[" + d + "]", "must be a size (0 to 2^31-1) or -1 (any), got " + dims[d]);
            }
            out.add(new TensorSignature(name, dtype, dims));
        }
        return out;
    }

    // ------------------------------------------------------------------ modules

    private ModuleSpec module(Object json, String path, int depth) {
        if (depth > limits.maxModuleDepth()) throw new SpecError(path, "modules nested deeper than " + limits.maxModuleDepth() + " levels");
        if (++modules > limits.maxModules()) throw new SpecError(path, "more than " + limits.maxModules() + " modules");
        Map<String, Object> m = object(json, path);
        fields(m, path, Set.of("type", "class", "args", "children", "parameters", "buffers"), Set.of("type"));
        String type = string(m.get("type"), path + ".type");
        String className = m.containsKey("class") ? string(m.get("class"), path + ".class") : null;
        if (className != null && (className.isEmpty() || className.length() > limits.maxNameLength()))
            throw new SpecError(path + ".class", "must be 1 to " + limits.maxNameLength() + " characters");
        Map<String, Object> args = new LinkedHashMap<>();
        if (m.containsKey("args")) {
            int[] budget = {0};
            for (Map.Entry<String, Object> e : object(m.get("args"), path + ".args").entrySet())
                args.put(e.getKey(), value(e.getValue(), path + ".args." + e.getKey(), budget, false, 0));
        }
        LinkedHashMap<String, ModuleSpec> children = new LinkedHashMap<>();
        if (m.containsKey("children")) {
            for (Map.Entry<String, Object> e : object(m.get("children"), path + ".children").entrySet()) {
                String p = path + ".children." + e.getKey();
                name(e.getKey(), p, true);
                children.put(e.getKey(), module(e.getValue(), p, depth + 1));
            }
        }
        LinkedHashMap<String, TensorDecl> parameters = tensorDecls(m.get("parameters"), path + ".parameters", false);
        LinkedHashMap<String, TensorDecl> buffers = tensorDecls(m.get("buffers"), path + ".buffers", true);
        for (String b : buffers.keySet())
            if (parameters.containsKey(b) || children.containsKey(b)) throw new SpecError(path + ".buffers." + b, "attribute '" + b + "' already exists");
        for (String p : parameters.keySet()) if (children.containsKey(p)) throw new SpecError(path + ".parameters." + p, "attribute '" + p + "' already exists");
        return new ModuleSpec(type, className, args, children, parameters, buffers);
    }

    private LinkedHashMap<String, TensorDecl> tensorDecls(Object json, String path, boolean buffers) {
        LinkedHashMap<String, TensorDecl> out = new LinkedHashMap<>();
        if (json == null) return out;
        for (Map.Entry<String, Object> e : object(json, path).entrySet()) {
            name(e.getKey(), path + "." + e.getKey(), true);
            out.put(e.getKey(), tensorDecl(e.getValue(), path + "." + e.getKey(), false, buffers));
        }
        return out;
    }

    private TensorDecl tensorDecl(Object json, String path, boolean constant, boolean buffer) {
        Map<String, Object> m = object(json, path);
        Set<String> known = constant ? Set.of("shape", "dtype", "data") : buffer ? Set.of("shape", "dtype", "persistent", "data")
                : Set.of("shape", "dtype", "requires_grad", "data");
        fields(m, path, known, constant ? Set.of("shape", "dtype", "data") : Set.of("shape", "dtype"));
        List<Object> shapeJson = list(m.get("shape"), path + ".shape");
        if (shapeJson.size() > 64) throw new SpecError(path + ".shape", "more than 64 dims");
        int[] shape = new int[shapeJson.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            long d = integer(shapeJson.get(i), path + ".shape[" + i + "]");
            if (d < 0 || d > Integer.MAX_VALUE) throw new SpecError(path + ".shape[" + i + "]", "must be a size (0 to 2^31-1), got " + d);
            shape[i] = (int) d;
            numel = Math.min(numel * Math.max(d, 0), Long.MAX_VALUE / (Integer.MAX_VALUE + 1L));
        }
        if (numel > limits.maxTensorElements()) throw new SpecError(path + ".shape", numel + " elements exceeds the limit of " + limits.maxTensorElements());
        DType dtype = dtype(m.get("dtype"), path + ".dtype");
        boolean requiresGrad = !m.containsKey("requires_grad") || bool(m.get("requires_grad"), path + ".requires_grad");
        boolean persistent = !m.containsKey("persistent") || bool(m.get("persistent"), path + ".persistent");
        if (requiresGrad && !constant && !buffer && !dtype.isFloatingPoint())
            throw new SpecError(path + ".requires_grad", "only Tensors of floating point dtype can require gradients (dtype " + dtype.pyName() + ")");
        Tensor data = null;
        if (m.containsKey("data")) data = inlineData(m.get("data"), path + ".data", shape, numel, dtype);
        else if (buffer && !persistent) throw new SpecError(path, "a non-persistent buffer is not in the weights file, so model.json must hold its data");
        if (!constant) {
            parameterElements += numel;
            if (parameterElements > limits.maxParameterElements())
                throw new SpecError(path, "parameters and buffers exceed the limit of " + limits.maxParameterElements() + " elements");
        }
        return new TensorDecl(shape, dtype, requiresGrad, persistent, data);
    }

    private Tensor inlineData(Object json, String path, int[] shape, long numel, DType dtype) {
        List<Object> l = list(json, path);
        inlineElements += l.size();
        if (inlineElements > limits.maxInlineElements())
            throw new SpecError(path, "inline tensor data exceeds the limit of " + limits.maxInlineElements() + " elements (keep large tensors in the weights file)");
        if (l.size() != numel) throw new SpecError(path, "holds " + l.size() + " values but the shape needs " + numel);
        double[] vals = new double[l.size()];
        for (int i = 0; i < vals.length; i++) {
            Object v = value(l.get(i), path + "[" + i + "]", new int[] {0}, false, 0);
            if (dtype == DType.BOOL) {
                if (!(v instanceof Boolean b)) throw new SpecError(path + "[" + i + "]", "expected a bool, got " + ArgType.pyType(v));
                vals[i] = b ? 1 : 0;
            } else if (dtype.isFloatingPoint() && (v instanceof Long || v instanceof Double)) {
                vals[i] = Py.dbl(v);
            } else if (!dtype.isFloatingPoint() && v instanceof Long x) {
                vals[i] = x;
            } else {
                throw new SpecError(path + "[" + i + "]", "expected " + (dtype.isFloatingPoint() ? "a number" : "an int") + " for dtype " + dtype.pyName()
                        + ", got " + ArgType.pyType(v));
            }
        }
        return Tensor.fromArray(vals, shape).to(dtype);
    }

    // ------------------------------------------------------------------ graph

    private List<NodeSpec> nodes(Object json, String path) {
        List<Object> l = list(json, path);
        if (l.size() > limits.maxNodes()) throw new SpecError(path, l.size() + " nodes exceeds the limit of " + limits.maxNodes());
        List<NodeSpec> out = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) {
            String p = path + "[" + i + "]";
            Map<String, Object> n = object(l.get(i), p);
            fields(n, p, Set.of("name", "op", "target", "args", "kwargs"), Set.of("name", "op"));
            String name = string(n.get("name"), p + ".name");
            name(name, p + ".name", false);
            p = path + "[" + i + "] '" + name + "'";
            String op = string(n.get("op"), p + ".op");
            if (!NodeSpec.OPS.contains(op)) throw new SpecError(p + ".op", "unknown op '" + op + "'; expected one of " + NodeSpec.OPS);
            String target = n.containsKey("target") ? string(n.get("target"), p + ".target") : null;
            if (target == null && !op.equals("output")) throw new SpecError(p, "a " + op + " node needs a target");
            if (target != null && (target.isEmpty() || target.length() > limits.maxNameLength()))
                throw new SpecError(p + ".target", "must be 1 to " + limits.maxNameLength() + " characters");
            int[] budget = {0};
            List<Object> args = new ArrayList<>();
            if (n.containsKey("args")) {
                List<Object> a = list(n.get("args"), p + ".args");
                for (int k = 0; k < a.size(); k++) args.add(value(a.get(k), p + ".args[" + k + "]", budget, true, 0));
            }
            Map<String, Object> kwargs = new LinkedHashMap<>();
            if (n.containsKey("kwargs")) {
                for (Map.Entry<String, Object> e : object(n.get("kwargs"), p + ".kwargs").entrySet())
                    kwargs.put(e.getKey(), value(e.getValue(), p + ".kwargs." + e.getKey(), budget, true, 0));
            }
            out.add(new NodeSpec(name, op, target, args, kwargs));
        }
        return out;
    }

    /**
     * A value in args/kwargs: JSON null/bool/number/string/array as Python's, plus tagged objects for what JSON
     * lacks: {@code {"node": n}}, {@code {"dtype": "float32"}}, {@code {"device": "cpu"}}, {@code {"slice": [a, b, c]}},
     * {@code {"const": "Ellipsis"}}, {@code {"float": "inf"}}, {@code {"dict": {...}}}.
     */
    private Object value(Object json, String path, int[] budget, boolean refs, int depth) {
        if (++budget[0] > limits.maxArgElements()) throw new SpecError(path, "more than " + limits.maxArgElements() + " values in one node's arguments");
        return switch (json) {
            case null -> null;
            case Boolean b -> b;
            case Long l -> l;
            case BigInteger b -> throw new SpecError(path, "integer " + b + " is out of range (64 bits)");
            case Double d -> d;
            case String s -> s;
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (int i = 0; i < l.size(); i++) out.add(value(l.get(i), path + "[" + i + "]", budget, refs, depth + 1));
                yield out;
            }
            case Map<?, ?> m -> tagged(m, path, budget, refs, depth);
            default -> throw new SpecError(path, "unexpected JSON value " + json);
        };
    }

    private Object tagged(Map<?, ?> m, String path, int[] budget, boolean refs, int depth) {
        if (m.size() != 1) throw new SpecError(path, "a tagged value must have exactly one key (node, dtype, device, slice, const, float, dict), got " + new TreeSet<>(keys(m)));
        Map.Entry<?, ?> e = m.entrySet().iterator().next();
        String tag = (String) e.getKey();
        Object v = e.getValue();
        String p = path + "." + tag;
        return switch (tag) {
            case "node" -> {
                if (!refs) throw new SpecError(path, "node references are allowed only in graph arguments");
                String n = string(v, p);
                name(n, p, false);
                yield new NodeRef(n);
            }
            case "dtype" -> dtype(v, p);
            case "device" -> {
                try {
                    yield Device.parse(string(v, p));
                } catch (IllegalArgumentException ex) {
                    throw new SpecError(p, ex.getMessage());
                }
            }
            case "slice" -> {
                List<Object> l = list(v, p);
                if (l.size() != 3) throw new SpecError(p, "a slice is [start, stop, step], got " + l.size() + " values");
                Object[] b = new Object[3];
                for (int i = 0; i < 3; i++) {
                    b[i] = value(l.get(i), p + "[" + i + "]", budget, refs, depth + 1);
                    if (b[i] != null && !(b[i] instanceof Long) && !(b[i] instanceof NodeRef))
                        throw new SpecError(p + "[" + i + "]", "slice bounds must be ints, null or node references, got " + ArgType.pyType(b[i]));
                }
                yield new PySlice(b[0], b[1], b[2]);
            }
            case "const" -> {
                String c = string(v, p);
                if (!PyConst.KNOWN.contains(c)) throw new SpecError(p, "unknown constant '" + c + "'; expected one of " + new TreeSet<>(PyConst.KNOWN));
                yield c.equals(PyConst.ELLIPSIS.name()) ? PyConst.ELLIPSIS : new PyConst(c);
            }
            case "float" -> switch (string(v, p)) {
                case "inf" -> Double.POSITIVE_INFINITY;
                case "-inf" -> Double.NEGATIVE_INFINITY;
                case "nan" -> Double.NaN;
                default -> throw new SpecError(p, "expected \"inf\", \"-inf\" or \"nan\"");
            };
            case "dict" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, Object> kv : object(v, p).entrySet()) out.put(kv.getKey(), value(kv.getValue(), p + "." + kv.getKey(), budget, refs, depth + 1));
                yield out;
            }
            default -> throw new SpecError(path, "unknown tagged value '" + tag + "'; expected node, dtype, device, slice, const, float or dict");
        };
    }

    // ------------------------------------------------------------------ JSON helpers

    private void name(String n, String path, boolean attribute) {
        if (n.isEmpty() || n.length() > limits.maxNameLength()) throw new SpecError(path, "a name must be 1 to " + limits.maxNameLength() + " characters");
        if (attribute && n.contains(".")) throw new SpecError(path, "a module attribute name can't contain \".\", got: " + n);
    }

    private static List<String> keys(Map<?, ?> m) {
        List<String> out = new ArrayList<>();
        for (Object k : m.keySet()) out.add(String.valueOf(k));
        return out;
    }

    private static void fields(Map<String, Object> m, String path, Set<String> known, Set<String> required) {
        for (String k : m.keySet())
            if (!known.contains(k)) throw new SpecError(path.isEmpty() ? k : path + "." + k, "unknown field; expected " + new TreeSet<>(known));
        for (String r : required)
            if (!m.containsKey(r)) throw new SpecError(path.isEmpty() ? r : path + "." + r, "missing");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v, String path) {
        if (v instanceof Map<?, ?> m) return (Map<String, Object>) m;
        throw new SpecError(path, "expected an object, got " + jsonType(v));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object v, String path) {
        if (v instanceof List<?> l) return (List<Object>) l;
        throw new SpecError(path, "expected an array, got " + jsonType(v));
    }

    static String string(Object v, String path) {
        if (v instanceof String s) return s;
        throw new SpecError(path, "expected a string, got " + jsonType(v));
    }

    static long integer(Object v, String path) {
        if (v instanceof Long l) return l;
        if (v instanceof BigInteger) throw new SpecError(path, "integer " + v + " is out of range (64 bits)");
        throw new SpecError(path, "expected an integer, got " + jsonType(v));
    }

    static boolean bool(Object v, String path) {
        if (v instanceof Boolean b) return b;
        throw new SpecError(path, "expected true or false, got " + jsonType(v));
    }

    static DType dtype(Object v, String path) {
        String s = string(v, path);
        try {
            return DType.fromName(s);
        } catch (IllegalArgumentException e) {
            throw new SpecError(path, "unknown dtype '" + s + "'; expected float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8 or bool");
        }
    }

    private static String jsonType(Object v) {
        return switch (v) {
            case null -> "null";
            case Map<?, ?> _ -> "an object";
            case List<?> _ -> "an array";
            case String s -> "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
            case Boolean b -> b.toString();
            default -> "the number " + v;
        };
    }
}
