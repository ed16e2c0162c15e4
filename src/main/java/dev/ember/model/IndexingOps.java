package dev.ember.model;

import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.function.BiFunction;

import static dev.ember.model.CommonOps.everywhere;
import static dev.ember.model.OpTable.function;
import static dev.ember.model.OpTable.method;

/**
 * Writing along a dim by index (scatter and its reductions, index_copy/fill/add) and repeat_interleave, in their
 * method, torch and ATen spellings; each in-place form is the out-of-place op written back into self.
 */
final class IndexingOps {
    private IndexingOps() {}

    static void register() {
        // scatter(dim, index, src | value, *, reduce=None): Python picks the overload by the type of the fourth argument
        outAndInPlace("scatter", ", int dim, Tensor index, Any src=None, *, Any value=None, str? reduce=None", null, IndexingOps::scatter);
        for (String overload : List.of("src", "value")) {
            String rest = ", int dim, Tensor index, " + (overload.equals("src") ? "Tensor src" : "Scalar value");
            aten("scatter", overload, rest, IndexingOps::scatter);
            aten("scatter", overload.equals("src") ? "reduce" : "value_reduce", rest + ", *, str reduce", IndexingOps::scatter);
        }
        outAndInPlace("scatter_add", ", int dim, Tensor index, Tensor src", "default",
                (x, a) -> x.scatterAdd(a.intValue("dim"), a.tensor("index"), a.tensor("src")));
        outAndInPlace("scatter_reduce", ", int dim, Tensor index, Tensor src, str reduce, *, bool include_self=True", "two",
                (x, a) -> x.scatterReduce(a.intValue("dim"), a.tensor("index"), a.tensor("src"), a.str("reduce"), a.bool("include_self")));
        outAndInPlace("index_copy", ", int dim, Tensor index, Tensor source", "default",
                (x, a) -> x.indexCopy(a.intValue("dim"), a.tensor("index"), a.tensor("source")));
        String fill = ", int dim, Tensor index, Any value";
        outAndInPlace("index_fill", fill, null, IndexingOps::indexFill);
        for (String overload : List.of("int_Scalar", "int_Tensor")) aten("index_fill", overload, fill, IndexingOps::indexFill);
        outAndInPlace("index_add", ", int dim, Tensor index, Tensor source, *, Scalar alpha=1", "default", IndexingOps::indexAdd);

        // repeat_interleave(repeats, dim): repeats an int or a tensor; torch.repeat_interleave(repeats) alone expands a count vector
        everywhere("repeat_interleave", ", Any repeats=None, int? dim=None, *, int? output_size=None", null, IndexingOps::repeatInterleave);
        function("aten.repeat_interleave.self_Tensor", "Tensor self, Tensor repeats, int? dim=None, *, int? output_size=None", IndexingOps::repeatInterleave);
        function("aten.repeat_interleave.self_int", "Tensor self, int repeats, int? dim=None, *, int? output_size=None", IndexingOps::repeatInterleave);
        function("aten.repeat_interleave.Tensor", "Tensor repeats, *, int? output_size=None", a -> Tensor.repeatInterleave(a.tensor("repeats")));
    }

    /**
     * {@code x.name(rest)}, {@code torch.name(input, rest)}, {@code x.name_(rest)} and, when {@code overload} is given,
     * {@code aten.name.overload} and {@code aten.name_.overload}; the in-place forms write the result back into self.
     */
    private static void outAndInPlace(String name, String rest, String overload, BiFunction<Tensor, BoundArgs, Tensor> op) {
        everywhere(name, rest, null, a -> op.apply(a.self(), a));
        method(name + "_", "Tensor self" + rest, a -> OpSupport.inplace(a.self(), x -> op.apply((Tensor) x, a)));
        if (overload != null) aten(name, overload, rest, op);
    }

    private static void aten(String name, String overload, String rest, BiFunction<Tensor, BoundArgs, Tensor> op) {
        function("aten." + name + "." + overload, "Tensor self" + rest, a -> op.apply(a.self(), a));
        function("aten." + name + "_." + overload, "Tensor self" + rest, a -> OpSupport.inplace(a.self(), x -> op.apply((Tensor) x, a)));
    }

    private static Tensor scatter(Tensor x, BoundArgs a) {
        Object src = a.has("src") ? a.get("src") : null, value = a.has("value") ? a.get("value") : null;
        if (src != null && value != null) throw new IllegalArgumentException("scatter() got multiple values for argument 'src'");
        if (src == null && value == null) throw new IllegalArgumentException("scatter() missing 1 required positional argument: 'src'");
        Object v = src != null ? src : value;
        int dim = a.intValue("dim");
        Tensor index = a.tensor("index");
        String reduce = a.has("reduce") ? (String) a.get("reduce") : null;
        if (v instanceof Tensor t) return reduce == null ? x.scatter(dim, index, t) : x.scatter(dim, index, t, reduce);
        if (reduce != null) return x.scatter(dim, index, Py.dbl(v), reduce);
        return v instanceof Long l ? x.scatter(dim, index, (long) l) : x.scatter(dim, index, Py.dbl(v));
    }

    private static Tensor indexFill(Tensor x, BoundArgs a) {
        Object v = a.get("value");
        return v instanceof Tensor t ? x.indexFill(a.intValue("dim"), a.tensor("index"), t) : x.indexFill(a.intValue("dim"), a.tensor("index"), Py.dbl(v));
    }

    private static Tensor indexAdd(Tensor x, BoundArgs a) {
        Object alpha = a.get("alpha");
        Tensor source = alpha instanceof Long l && l == 1 ? a.tensor("source") : (Tensor) Py.mul(a.tensor("source"), alpha);
        return x.indexAdd(a.intValue("dim"), a.tensor("index"), source);
    }

    private static Tensor repeatInterleave(BoundArgs a) {
        Object repeats = a.get("repeats");
        Integer dim = a.optInt("dim");
        return switch (repeats) {
            case null -> Tensor.repeatInterleave(a.self());
            case Long n -> a.self().repeatInterleave(n, dim);
            case Tensor t -> a.self().repeatInterleave(t, dim);
            default -> throw new IllegalArgumentException("repeat_interleave(): argument 'repeats' must be Tensor or int, not " + ArgType.pyType(repeats));
        };
    }
}
