package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Tensor;

import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks and transforms the value graph a pickle produced. Nothing here recurses on untrusted depth or calls
 * {@code hashCode}/{@code toString} on untrusted containers: a hostile pickle can build cycles and very deep
 * nesting through its memo without growing its stack.
 */
final class Values {
    private Values() {}

    /** A short description for error messages: type and size, never the (possibly huge or cyclic) contents. */
    static String describe(Object v) {
        return switch (v) {
            case null -> "None";
            case String s -> s.length() <= 40 ? "'" + s + "'" : "'" + s.substring(0, 40) + "...' (" + s.length() + " characters)";
            case Long _, BigInteger _, Double _, Boolean _ -> v.toString();
            case PyTuple t -> "tuple of " + t.size();
            case PyOrderedDict d -> "OrderedDict of " + d.size();
            case Map<?, ?> m -> "dict of " + m.size();
            case List<?> l -> "list of " + l.size();
            case Set<?> s -> "set of " + s.size();
            case byte[] b -> "bytes of " + b.length;
            case PickleGlobal.Function f -> "<function " + f.pyName + ">";
            case PickleGlobal.StorageClass c -> "<class " + c.pyName() + ">";
            case StorageDecl s -> "<storage '" + s.key() + "'>";
            case TensorInfo t -> "tensor " + t;
            case DType d -> d.toString();
            case Device d -> "device('" + d + "')";
            default -> v.getClass().getSimpleName();
        };
    }

    /** Python's hashable values that Ember allows as dict keys and set members: scalars and flat tuples of them. */
    static boolean isHashable(Object k) {
        if (isScalar(k)) return true;
        if (k instanceof PyTuple t) {
            for (Object o : t) if (!isScalar(o)) return false;
            return true;
        }
        return false;
    }

    private static boolean isScalar(Object k) {
        return k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Double || k instanceof Boolean
                || k instanceof DType;
    }

    /**
     * Refuses a result that is not plain data: cycles, nesting deeper than {@code maxDepth}, and leftovers that
     * are not values (a bare global, a storage outside a tensor). Iterative depth-first walk; each container is
     * walked once however often it is shared.
     */
    static void checkGraph(Object root, int maxDepth) throws ModelFormatException {
        IdentityHashMap<Object, Boolean> state = new IdentityHashMap<>(); // TRUE: on the current path, FALSE: done
        ArrayDeque<Frame> path = new ArrayDeque<>();
        enter(root, path, state, maxDepth);
        while (!path.isEmpty()) {
            Frame f = path.peek();
            if (f.children().hasNext()) enter(f.children().next(), path, state, maxDepth);
            else state.put(path.pop().node(), Boolean.FALSE);
        }
    }

    private record Frame(Object node, Iterator<?> children) {}

    private static void enter(Object v, ArrayDeque<Frame> path, IdentityHashMap<Object, Boolean> state, int maxDepth) throws ModelFormatException {
        Iterator<?> children = children(v);
        if (children == null) {
            checkLeaf(v);
            return;
        }
        Boolean st = state.get(v);
        if (st == Boolean.TRUE) throw new ModelFormatException("the pickle builds a container that contains itself; Ember refuses recursive structures");
        if (st == Boolean.FALSE) return;
        if (path.size() >= maxDepth) throw new ModelFormatException("the pickle nests containers deeper than " + maxDepth + " levels");
        state.put(v, Boolean.TRUE);
        path.push(new Frame(v, children));
    }

    private static Iterator<?> children(Object v) {
        return switch (v) {
            case PyOrderedDict d -> concat(d.keySet(), d.values(), d.attributes().values());
            case Map<?, ?> m -> concat(m.keySet(), m.values(), List.of());
            case Collection<?> c -> c.iterator();
            case null, default -> null;
        };
    }

    private static Iterator<?> concat(Collection<?> a, Collection<?> b, Collection<?> c) {
        List<Collection<?>> parts = List.of(a, b, c);
        return parts.stream().flatMap(Collection::stream).iterator();
    }

    private static void checkLeaf(Object v) throws ModelFormatException {
        if (v == null || v instanceof String || v instanceof Long || v instanceof BigInteger || v instanceof Double || v instanceof Boolean
                || v instanceof byte[] || v instanceof DType || v instanceof Device || v instanceof TensorInfo) return;
        throw new ModelFormatException("the pickle's result contains " + describe(v) + ", which is not a tensor or plain data");
    }

    /**
     * Copies an accepted graph, replacing each {@link TensorInfo} through {@code tensors}. Shared containers and
     * tensors stay shared (one copy per original object). Recursion is safe: {@link #checkGraph} bounded the depth.
     */
    static Object resolve(Object v, Function<TensorInfo, Object> tensors, IdentityHashMap<Object, Object> copies) {
        if (v == null) return null;
        Object seen = copies.get(v);
        if (seen != null) return seen;
        Object out = switch (v) {
            case TensorInfo t -> tensors.apply(t);
            case PyTuple t -> {
                Object[] items = new Object[t.size()];
                for (int i = 0; i < items.length; i++) items[i] = resolve(t.get(i), tensors, copies);
                yield PyTuple.wrap(items);
            }
            case PyOrderedDict d -> {
                PyOrderedDict c = new PyOrderedDict();
                for (Map.Entry<Object, Object> e : d.entrySet()) c.put(resolve(e.getKey(), tensors, copies), resolve(e.getValue(), tensors, copies));
                for (Map.Entry<String, Object> e : d.attributes().entrySet()) c.attributes().put(e.getKey(), resolve(e.getValue(), tensors, copies));
                yield c;
            }
            case Map<?, ?> m -> {
                Map<Object, Object> c = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : m.entrySet()) c.put(resolve(e.getKey(), tensors, copies), resolve(e.getValue(), tensors, copies));
                yield c;
            }
            case Set<?> s -> {
                Set<Object> c = new LinkedHashSet<>();
                for (Object o : s) c.add(resolve(o, tensors, copies));
                yield c;
            }
            case List<?> l -> {
                List<Object> c = new ArrayList<>(l.size());
                for (Object o : l) c.add(resolve(o, tensors, copies));
                yield c;
            }
            default -> v;
        };
        if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) copies.put(v, out);
        return out;
    }

    /** Whether a resolved value is a Tensor (used by the state-dict helpers). */
    static boolean isTensor(Object v) { return v instanceof Tensor; }
}
