package dev.ember.model;

import dev.ember.tensor.Tensor;

import java.util.List;

import static dev.ember.model.CommonOps.everywhere;
import static dev.ember.model.OpTable.function;
import static dev.ember.model.OpTable.method;

/**
 * Products (einsum, tensordot, cross, the batched and vector addmm relatives), parts of matrices (diagonals,
 * triangles, trace) and the view ops numpy users reach for (swapaxes, moveaxis, unfold, meshgrid), in their method,
 * torch and ATen spellings.
 */
final class MatrixOps {
    private MatrixOps() {}

    static void register() {
        // torch.einsum(eq, *operands) also takes the operands as one list, which the varargs unpacking covers
        function("torch.einsum", "str equation, Any... operands", a -> Tensor.einsum(a.str("equation"), tensors(a.any("operands"), "einsum")));
        function("aten.einsum.default", "str equation, Tensor[] tensors, *, int[]? path=None",
                a -> Tensor.einsum(a.str("equation"), a.tensors("tensors").toArray(Tensor[]::new)));
        function("torch.tensordot", "Tensor a, Tensor b, Any dims=2, Tensor? out=None", MatrixOps::tensordot);
        function("aten.tensordot.default", "Tensor self, Tensor other, int[] dims_self, int[] dims_other",
                a -> Tensor.tensordot(a.self(), a.tensor("other"), a.ints("dims_self"), a.ints("dims_other")));
        everywhere("cross", ", Tensor other, int? dim=None", "default", a -> a.self().cross(a.tensor("other"), a.optInt("dim")));
        // torch.linalg.cross is a builtin that fx records under its C name
        function("torch._C._linalg.linalg_cross", "Tensor input, Tensor other, *, int dim=-1", a -> a.self().cross(a.tensor("other"), a.intValue("dim")));
        function("aten.linalg_cross.default", "Tensor self, Tensor other, *, int dim=-1", a -> a.self().cross(a.tensor("other"), a.intValue("dim")));
        String scales = ", *, Scalar beta=1, Scalar alpha=1";
        everywhere("baddbmm", ", Tensor batch1, Tensor batch2" + scales, "default",
                a -> Tensor.baddbmm(a.self(), a.tensor("batch1"), a.tensor("batch2"), Py.dbl(a.get("beta")), Py.dbl(a.get("alpha"))));
        everywhere("addbmm", ", Tensor batch1, Tensor batch2" + scales, "default",
                a -> Tensor.addbmm(a.self(), a.tensor("batch1"), a.tensor("batch2"), Py.dbl(a.get("beta")), Py.dbl(a.get("alpha"))));
        everywhere("addmv", ", Tensor mat, Tensor vec" + scales, "default",
                a -> Tensor.addmv(a.self(), a.tensor("mat"), a.tensor("vec"), Py.dbl(a.get("beta")), Py.dbl(a.get("alpha"))));

        // parts of matrices
        everywhere("diagonal", ", int offset=0, int dim1=0, int dim2=1", "default",
                a -> a.self().diagonal(a.intValue("offset"), a.intValue("dim1"), a.intValue("dim2")));
        everywhere("diag", ", int diagonal=0", "default", a -> a.self().diag(a.intValue("diagonal")));
        everywhere("trace", "", "default", a -> a.self().trace());
        everywhere("triu", ", int diagonal=0", "default", a -> a.self().triu(a.intValue("diagonal")));
        everywhere("tril", ", int diagonal=0", "default", a -> a.self().tril(a.intValue("diagonal")));
        for (String op : List.of("triu_", "tril_")) {
            Op.Impl impl = a -> op.equals("triu_") ? a.self().triu_(a.intValue("diagonal")) : a.self().tril_(a.intValue("diagonal"));
            method(op, "Tensor self, int diagonal=0", impl);
            function("aten." + op + ".default", "Tensor self, int diagonal=0", impl);
        }

        // views under numpy's names
        everywhere("swapaxes", ", int axis0, int axis1", "default", a -> a.self().swapaxes(a.intValue("axis0"), a.intValue("axis1")));
        everywhere("swapdims", ", int dim0, int dim1", "default", a -> a.self().swapdims(a.intValue("dim0"), a.intValue("dim1")));
        for (String op : List.of("movedim", "moveaxis"))
            everywhere(op, ", Any source, Any destination", "int", a -> a.self().movedim(oneDim(a, "source"), oneDim(a, "destination")));
        method("unfold", "Tensor self, int dimension, int size, int step", a -> a.self().unfold(a.intValue("dimension"), a.intValue("size"), a.intValue("step")));
        function("aten.unfold.default", "Tensor self, int dimension, int size, int step",
                a -> a.self().unfold(a.intValue("dimension"), a.intValue("size"), a.intValue("step")));
        // torch.meshgrid without indexing= is 'ij' (PyTorch 1.13 warns that this default will change)
        function("torch.meshgrid", "Any... tensors, str? indexing=None", a -> meshgrid(tensors(a.any("tensors"), "meshgrid"), (String) a.get("indexing")));
        function("aten.meshgrid.default", "Tensor[] tensors", a -> meshgrid(a.tensors("tensors").toArray(Tensor[]::new), null));
        function("aten.meshgrid.indexing", "Tensor[] tensors, *, str indexing", a -> meshgrid(a.tensors("tensors").toArray(Tensor[]::new), a.str("indexing")));
    }

    private static Tensor[] tensors(Object v, String fn) {
        if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Tensor)) return l.toArray(Tensor[]::new);
        throw new IllegalArgumentException(fn + "(): operands must be tensors, not " + ArgType.pyType(v));
    }

    private static List<Object> meshgrid(Tensor[] tensors, String indexing) {
        return OpSupport.list(Tensor.meshgrid(indexing == null ? "ij" : indexing, tensors));
    }

    /** movedim's source/destination as one dim: an int or a 1-tuple (several dims at once are not implemented). */
    private static int oneDim(BoundArgs a, String name) {
        int[] d = OpSupport.dims(a.get(name), a.fn());
        if (d == null || d.length != 1) throw new UnsupportedOperationException("Ember: " + a.fn() + " of several dims at once is not implemented yet");
        return d[0];
    }

    /** {@code tensordot(a, b, dims)}: dims an int (the last dims of a with the first of b) or a pair of dim lists. */
    private static Tensor tensordot(BoundArgs a) {
        if (a.get("out") != null) throw new UnsupportedOperationException("Ember: tensordot with out= is not implemented yet");
        Tensor x = a.self(), y = a.tensor("b");
        Object dims = a.get("dims");
        if (dims instanceof Long n) return Tensor.tensordot(x, y, Py.toInt(n, "tensordot", "dims"));
        if (dims instanceof List<?> l && l.size() == 2)
            return Tensor.tensordot(x, y, OpSupport.dims(l.get(0), "tensordot"), OpSupport.dims(l.get(1), "tensordot"));
        throw new IllegalArgumentException("tensordot expects dims to be an int or a pair of lists of dims, not " + ArgType.pyType(dims));
    }
}
