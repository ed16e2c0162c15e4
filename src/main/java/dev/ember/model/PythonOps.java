package dev.ember.model;

import dev.ember.tensor.Tensor;

import java.util.List;

import static dev.ember.model.OpTable.function;

/**
 * The Python built-ins traced graphs call: the {@code operator} module (arithmetic on tensors and on the ints that
 * sizes are made of, {@code getitem} on tuples and tensors) and {@code builtins.getattr}/{@code len}.
 */
final class PythonOps {
    private PythonOps() {}

    static void register() {
        function("operator.add", "Any a, Any b", a -> Py.add(a.get("a"), a.get("b")));
        function("operator.sub", "Any a, Any b", a -> Py.sub(a.get("a"), a.get("b")));
        function("operator.mul", "Any a, Any b", a -> Py.mul(a.get("a"), a.get("b")));
        function("operator.truediv", "Any a, Any b", a -> Py.truediv(a.get("a"), a.get("b")));
        function("operator.floordiv", "Any a, Any b", a -> Py.floordiv(a.get("a"), a.get("b")));
        function("operator.mod", "Any a, Any b", a -> Py.mod(a.get("a"), a.get("b")));
        function("operator.pow", "Any a, Any b", a -> Py.pow(a.get("a"), a.get("b")));
        function("operator.matmul", "Tensor a, Tensor b", a -> a.tensor("a").matmul(a.tensor("b")));
        function("operator.neg", "Any a", a -> Py.neg(a.get("a")));
        for (String op : List.of("and", "or", "xor")) {
            String name = op.equals("xor") ? op : op + "_";
            function("operator." + name, "Any a, Any b", a -> Py.bitwise(op, a.get("a"), a.get("b")));
            function("operator.i" + op, "Any a, Any b", a -> OpSupport.inplace(a.get("a"), x -> Py.bitwise(op, x, a.get("b"))));
        }
        function("operator.invert", "Any a", a -> Py.invert(a.get("a")));
        function("operator.pos", "Any a", a -> a.get("a"));
        for (String cmp : List.of("eq", "ne", "lt", "le", "gt", "ge")) function("operator." + cmp, "Any a, Any b", a -> Py.compare(cmp, a.get("a"), a.get("b")));
        // fx turns `x += y` into these only when it cannot trace in place; on tensors they are in place, as in Python
        function("operator.iadd", "Any a, Any b", a -> OpSupport.inplace(a.get("a"), x -> Py.add(x, a.get("b"))));
        function("operator.imul", "Any a, Any b", a -> OpSupport.inplace(a.get("a"), x -> Py.mul(x, a.get("b"))));
        function("operator.getitem", "Any a, Any b", a -> Py.getitem(a.get("a"), a.get("b")));
        function("builtins.getattr", "Any obj, str name, Any default=None", a -> getattr(a.get("obj"), a.str("name")));
        function("builtins.len", "Any obj", a -> switch (a.get("obj")) {
            case List<?> l -> (long) l.size();
            case Tensor t -> {
                if (t.dim() == 0) throw new IllegalArgumentException("len() of a 0-d tensor");
                yield (long) t.size(0);
            }
            default -> throw new IllegalArgumentException("object of type '" + ArgType.pyType(a.get("obj")) + "' has no len()");
        });
    }

    /**
     * The tensor attributes forward code reads ({@code x.shape}, {@code x.dtype}...), and the fields of the
     * (values, indices) results of max(dim), median(dim), cummax, sort... ({@code x.median(1).values}).
     */
    static Object getattr(Object obj, String name) {
        if (obj instanceof List<?> l && l.size() == 2 && (name.equals("values") || name.equals("indices"))) return l.get(name.equals("values") ? 0 : 1);
        if (!(obj instanceof Tensor t)) throw new IllegalArgumentException("'" + ArgType.pyType(obj) + "' object has no attribute '" + name + "'");
        return switch (name) {
            case "shape" -> OpSupport.size(t);
            case "dtype" -> t.dtype();
            case "device" -> t.device();
            case "ndim" -> (long) t.dim();
            case "T" -> t.dim() < 2 ? t : t.permute(reversed(t.dim()));
            case "mT" -> t.mT();
            case "data" -> t.detach();
            case "requires_grad" -> t.requiresGrad();
            case "is_cuda" -> !t.device().isCpu();
            default -> throw new IllegalArgumentException("'Tensor' object has no attribute '" + name + "' (that Ember reads in a graph)");
        };
    }

    private static int[] reversed(int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = n - 1 - i;
        return p;
    }
}
