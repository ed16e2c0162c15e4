package dev.ember.model;

import dev.ember.nn.Module;
import dev.ember.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A checked, compiled forward graph: each node's op resolved, its arguments bound to the op's signature (constants
 * type-checked once, node references turned into slots), and, per node, the values that die after it, so a run
 * holds only live tensors. {@link #run} is torch.fx's Interpreter: it runs the nodes in order on Ember tensors,
 * recording autograd when grad mode is on.
 */
final class Program {
    enum Kind { PLACEHOLDER, GET_ATTR, CALL_FUNCTION, CALL_METHOD, CALL_MODULE, OUTPUT }

    /** A reference to node {@code index}'s value, resolved from a {@link NodeRef}. */
    record Slot(int index, String name) {}

    record Step(String name, Kind kind, String target, Op op, Object[] bound, List<Object> args, int[] free) {
        String describe() { return kind == Kind.PLACEHOLDER || kind == Kind.OUTPUT ? kind.name().toLowerCase() : kind.name().toLowerCase() + " " + target; }
    }

    private final List<Step> steps;

    private Program(List<Step> steps) { this.steps = steps; }

    List<Step> steps() { return steps; }

    // ------------------------------------------------------------------ compile

    static Program compile(List<NodeSpec> nodes, ModuleSpec tree, Map<String, Tensor> constants, ModelSignature signature) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            if (index.putIfAbsent(n.name(), i) != null) throw new SpecReader.SpecError(where(i, n), "duplicate node name '" + n.name() + "'");
        }
        checkReferences(nodes, index);
        int outputs = 0, placeholders = 0;
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            if (n.op().equals("output")) {
                outputs++;
                if (i != nodes.size() - 1) throw new SpecReader.SpecError(where(i, n), "the output node must be the last node");
            }
            if (n.op().equals("placeholder")) {
                if (placeholders >= signature.inputs().size())
                    throw new SpecReader.SpecError(where(i, n), "more placeholders than the " + signature.inputs().size() + " inputs the signature declares");
                String expected = signature.inputs().get(placeholders).name();
                if (!n.target().equals(expected))
                    throw new SpecReader.SpecError(where(i, n), "placeholder " + (placeholders + 1) + " is '" + n.target() + "' but input " + (placeholders + 1)
                            + " of the signature is '" + expected + "'");
                placeholders++;
            }
        }
        if (outputs == 0) throw new SpecReader.SpecError("graph.nodes", "no output node: the graph must end with an output node naming what forward returns");
        if (outputs > 1) throw new SpecReader.SpecError("graph.nodes", "more than one output node");
        if (placeholders != signature.inputs().size())
            throw new SpecReader.SpecError("graph.nodes", "the graph has " + placeholders + " placeholders but the signature declares " + signature.inputs().size() + " inputs");

        List<Step> steps = new ArrayList<>();
        int[] lastUse = new int[nodes.size()];
        Arrays.fill(lastUse, -1);
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            String where = where(i, n);
            List<Object> args = new ArrayList<>();
            for (Object a : n.args()) args.add(slots(a, index, lastUse, i));
            Map<String, Object> kwargs = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : n.kwargs().entrySet()) kwargs.put(e.getKey(), slots(e.getValue(), index, lastUse, i));
            steps.add(switch (n.op()) {
                case "placeholder" -> new Step(n.name(), Kind.PLACEHOLDER, n.target(), null, null, List.of(), null);
                case "get_attr" -> {
                    checkAttribute(n.target(), tree, constants, where);
                    yield new Step(n.name(), Kind.GET_ATTR, n.target(), null, null, List.of(), null);
                }
                case "call_module" -> {
                    checkCallableModule(n.target(), tree, where);
                    if (!kwargs.isEmpty()) throw new SpecReader.SpecError(where, "call_module with keyword arguments " + kwargs.keySet() + " is not supported; pass them positionally");
                    yield new Step(n.name(), Kind.CALL_MODULE, n.target(), null, null, args, null);
                }
                case "call_function", "call_method" -> {
                    boolean method = n.op().equals("call_method");
                    Op op = method ? OpTable.method(n.target()) : OpTable.function(n.target());
                    if (op == null)
                        throw new SpecReader.SpecError(where, "unknown " + (method ? "method Tensor." : "function ") + n.target() + " (Ember runs "
                                + (method ? OpTable.methods().size() + " tensor methods" : OpTable.functions().size() + " torch, torch.nn.functional, operator and aten targets")
                                + "; docs/model-format.md lists them)");
                    Object[] bound;
                    try {
                        bound = op.sig().bind(args, kwargs);
                    } catch (IllegalArgumentException e) {
                        throw new SpecReader.SpecError(where, e.getMessage());
                    }
                    for (int p = 0; p < bound.length; p++) {
                        if (containsSlot(bound[p])) continue;
                        Object v = op.sig().params.get(p).varargs() && bound[p] instanceof List<?> l && l.size() == 1 && l.getFirst() instanceof List<?> inner ? inner : bound[p];
                        String err = op.sig().typeError(p, v);
                        if (err != null) throw new SpecReader.SpecError(where, err);
                    }
                    yield new Step(n.name(), method ? Kind.CALL_METHOD : Kind.CALL_FUNCTION, n.target(), op, bound, List.of(), null);
                }
                case "output" -> {
                    if (args.size() != 1 || !kwargs.isEmpty()) throw new SpecReader.SpecError(where, "an output node has exactly one argument (what forward returns)");
                    checkOutputs(args.getFirst(), signature, where);
                    yield new Step(n.name(), Kind.OUTPUT, "output", null, null, args, null);
                }
                default -> throw new IllegalStateException(n.op());
            });
        }
        // values never used die right after they are made; the others after their last use
        List<List<Integer>> frees = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) frees.add(new ArrayList<>());
        for (int v = 0; v < nodes.size(); v++) frees.get(lastUse[v] < 0 ? v : lastUse[v]).add(v);
        List<Step> linked = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            linked.add(new Step(s.name(), s.kind(), s.target(), s.op(), s.bound(), s.args(), frees.get(i).stream().mapToInt(Integer::intValue).toArray()));
        }
        return new Program(List.copyOf(linked));
    }

    private static String where(int i, NodeSpec n) { return "graph.nodes[" + i + "] '" + n.name() + "'"; }

    /** Every reference names a node defined earlier; a later one is either a cycle (named) or a misordered graph. */
    private static void checkReferences(List<NodeSpec> nodes, Map<String, Integer> index) {
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            for (String ref : refs(n)) {
                Integer j = index.get(ref);
                if (j == null) throw new SpecReader.SpecError(where(i, n), "uses node '" + ref + "', which is not defined");
                if (nodes.get(j).op().equals("output")) throw new SpecReader.SpecError(where(i, n), "uses the output node '" + ref + "'");
                if (j >= i) {
                    List<String> cycle = cycleThrough(nodes, index, i);
                    if (cycle != null) throw new SpecReader.SpecError(where(i, n), "the graph has a cycle: " + String.join(" -> ", cycle));
                    throw new SpecReader.SpecError(where(i, n), "uses node '" + ref + "' before it is defined (nodes must be in topological order, as torch.fx lists them)");
                }
            }
        }
    }

    /** A path from node {@code start} back to itself, found iteratively (graphs can be deep), or null. */
    private static List<String> cycleThrough(List<NodeSpec> nodes, Map<String, Integer> index, int start) {
        Map<Integer, Integer> parent = new HashMap<>();
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(start);
        parent.put(start, -1);
        while (!todo.isEmpty()) {
            int cur = todo.pop();
            for (String ref : refs(nodes.get(cur))) {
                Integer j = index.get(ref);
                if (j == null) continue;
                if (j == start) {
                    List<String> path = new ArrayList<>();
                    for (int k = cur; k != -1; k = parent.get(k)) path.addFirst(nodes.get(k).name());
                    path.add(nodes.get(start).name());
                    return path;
                }
                if (parent.putIfAbsent(j, cur) == null) todo.push(j);
            }
        }
        return null;
    }

    private static List<String> refs(NodeSpec n) {
        List<String> out = new ArrayList<>();
        Deque<Object> todo = new ArrayDeque<>();
        n.args().forEach(e -> { if (e != null) todo.push(e); });
        n.kwargs().values().forEach(e -> { if (e != null) todo.push(e); });
        while (!todo.isEmpty()) {
            Object v = todo.pop();
            switch (v) {
                case NodeRef r -> out.add(r.name());
                case List<?> l -> l.forEach(e -> { if (e != null) todo.push(e); });
                case Map<?, ?> m -> m.values().forEach(e -> { if (e != null) todo.push(e); });
                case PySlice s -> {
                    for (Object b : new Object[] {s.start(), s.stop(), s.step()}) if (b != null) todo.push(b);
                }
                default -> { }
            }
        }
        return out;
    }

    private static Object slots(Object v, Map<String, Integer> index, int[] lastUse, int user) {
        return switch (v) {
            case NodeRef r -> {
                int j = index.get(r.name());
                lastUse[j] = Math.max(lastUse[j], user);
                yield new Slot(j, r.name());
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object e : l) out.add(slots(e, index, lastUse, user));
                yield out;
            }
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), slots(e.getValue(), index, lastUse, user));
                yield out;
            }
            case PySlice s -> new PySlice(slots(s.start(), index, lastUse, user), slots(s.stop(), index, lastUse, user), slots(s.step(), index, lastUse, user));
            case null -> null;
            default -> v;
        };
    }

    private static boolean containsSlot(Object v) {
        return switch (v) {
            case Slot _ -> true;
            case List<?> l -> l.stream().anyMatch(Program::containsSlot);
            case Map<?, ?> m -> m.values().stream().anyMatch(Program::containsSlot);
            case PySlice s -> containsSlot(s.start()) || containsSlot(s.stop()) || containsSlot(s.step());
            case null -> false;
            default -> false;
        };
    }

    private static void checkOutputs(Object out, ModelSignature signature, String where) {
        int n = signature.outputs().size();
        switch (out) {
            case Slot _ -> {
                if (n != 1) throw new SpecReader.SpecError(where, "forward returns one value but the signature declares " + n + " outputs");
            }
            case List<?> l -> {
                if (l.size() != n) throw new SpecReader.SpecError(where, "forward returns " + l.size() + " values but the signature declares " + n + " outputs");
            }
            case Map<?, ?> m -> {
                List<String> names = signature.outputs().stream().map(TensorSignature::name).toList();
                if (!new ArrayList<>(m.keySet()).equals(names))
                    throw new SpecReader.SpecError(where, "forward returns a dict with keys " + m.keySet() + " but the signature declares outputs " + names);
            }
            default -> throw new SpecReader.SpecError(where, "the output must be a node, a list of nodes or a dict of nodes, got " + ArgType.pyType(out));
        }
    }

    /** A get_attr path must lead through modules of the tree to a constant or an attribute (checked again once built). */
    private static void checkAttribute(String target, ModuleSpec tree, Map<String, Tensor> constants, String where) {
        if (constants.containsKey(target)) return;
        String[] parts = target.split("\\.", -1);
        ModuleSpec m = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            ModuleSpec c = m.children().get(parts[i]);
            if (c == null) throw new SpecReader.SpecError(where, "get_attr " + target + ": " + m.shortName() + " has no submodule '" + parts[i] + "'");
            m = c;
        }
        String last = parts[parts.length - 1];
        if ((m.generic() || ModuleTypes.isContainer(m.type())) && !m.parameters().containsKey(last) && !m.buffers().containsKey(last) && !m.children().containsKey(last))
            throw new SpecReader.SpecError(where, "get_attr " + target + ": " + m.shortName() + " has no parameter, buffer or submodule '" + last + "'"
                    + (constants.isEmpty() ? "" : " and there is no such constant"));
    }

    private static void checkCallableModule(String target, ModuleSpec tree, String where) {
        ModuleSpec m = tree;
        if (!target.isEmpty()) {
            for (String p : target.split("\\.", -1)) {
                ModuleSpec c = m.children().get(p);
                if (c == null) throw new SpecReader.SpecError(where, "call_module " + target + ": " + m.shortName() + " has no submodule '" + p + "'");
                m = c;
            }
        }
        if (m.generic()) throw new SpecReader.SpecError(where, "call_module " + target + ": " + m.shortName() + " is a user-defined module, whose forward "
                + "is not in model.json; a graph calls only torch.nn layers and inlines user code (as torch.fx does)");
        if (m.type().equals("torch.nn.ModuleList") || m.type().equals("torch.nn.ModuleDict") || m.type().startsWith("torch.nn.Parameter"))
            throw new SpecReader.SpecError(where, "call_module " + target + ": " + m.shortName() + " has no forward");
    }

    /** Checks, on the built tree, that every get_attr and call_module resolves. */
    void link(Module root, Map<String, Tensor> constants) throws ModelSpecException {
        for (Step s : steps) {
            try {
                if (s.kind() == Kind.GET_ATTR) attribute(root, constants, s.target());
                else if (s.kind() == Kind.CALL_MODULE) root.getSubmodule(s.target());
            } catch (IllegalArgumentException e) {
                throw new ModelSpecException("graph node '" + s.name() + "' (" + s.describe() + "): " + e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ run

    /** Runs the graph on {@code inputs} (one per placeholder); returns what the output node names, nested as it names it. */
    Object run(Module root, Map<String, Tensor> constants, List<?> inputs) {
        Object[] env = new Object[steps.size()];
        int next = 0;
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            Object value;
            try {
                value = switch (s.kind()) {
                    case PLACEHOLDER -> inputs.get(next++);
                    case GET_ATTR -> attribute(root, constants, s.target());
                    case CALL_FUNCTION, CALL_METHOD -> {
                        Object[] vals = new Object[s.bound().length];
                        for (int p = 0; p < vals.length; p++) vals[p] = resolve(s.bound()[p], env);
                        yield s.op().impl().call(new BoundArgs(s.op().sig(), vals));
                    }
                    case CALL_MODULE -> {
                        Object[] vals = new Object[s.args().size()];
                        for (int p = 0; p < vals.length; p++) vals[p] = resolve(s.args().get(p), env);
                        yield root.getSubmodule(s.target()).call(vals);
                    }
                    case OUTPUT -> resolve(s.args().getFirst(), env);
                };
            } catch (GraphException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new GraphException(s.name(), s.describe(), e.getMessage() == null ? e.toString() : e.getMessage(), e);
            }
            if (s.kind() == Kind.OUTPUT) return value;
            env[i] = value;
            for (int f : s.free()) env[f] = null;
        }
        throw new IllegalStateException("graph without output");
    }

    private static Object resolve(Object v, Object[] env) {
        return switch (v) {
            case Slot s -> env[s.index()];
            case List<?> l -> {
                List<Object> out = new ArrayList<>(l.size());
                for (Object e : l) out.add(resolve(e, env));
                yield out;
            }
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) out.put((String) e.getKey(), resolve(e.getValue(), env));
                yield out;
            }
            case PySlice s -> new PySlice(resolve(s.start(), env), resolve(s.stop(), env), resolve(s.step(), env));
            case null -> null;
            default -> v;
        };
    }

    /** {@code getattr} along a dotted path: a parameter, buffer or submodule of the tree, or a model.json constant. */
    private static Object attribute(Module root, Map<String, Tensor> constants, String target) {
        Tensor c = constants.get(target);
        if (c != null) return c;
        int dot = target.lastIndexOf('.');
        Module m = root.getSubmodule(dot < 0 ? "" : target.substring(0, dot));
        String name = target.substring(dot + 1);
        if (m.namedParameters("", false).containsKey(name)) return m.param(name);
        if (m.namedBuffers("", false).containsKey(name)) return m.buffer(name);
        return m.child(name);
    }
}
