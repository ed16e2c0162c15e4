package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import static dev.ember.model.OpTable.function;
import static dev.ember.model.OpTable.method;

/**
 * Tensors a forward creates ({@code torch.zeros(x.size(0), 4)}, {@code torch.arange(n)}, {@code x.new_ones(...)},
 * {@code zeros_like}), in their torch, method and aten spellings, with PyTorch's default dtypes: float32 for sizes,
 * the fill value's kind for {@code full} and {@code arange}, the source tensor's dtype for the {@code _like} and
 * {@code new_} forms.
 */
final class Factories {
    private Factories() {}

    private static final String OPTIONS = "ScalarType? dtype=None, Layout? layout=None, Device? device=None, bool? pin_memory=None, bool requires_grad=False";

    static void register() {
        String kw = ", *, " + OPTIONS;
        for (String fill : new String[] {"zeros", "ones"}) {
            double value = fill.equals("zeros") ? 0 : 1;
            function("torch." + fill, "int... size" + kw, a -> place(a, Tensor.full(a.ints("size"), value, dtype(a, DType.FLOAT32))));
            function("aten." + fill + ".default", "int[] size" + kw, a -> place(a, Tensor.full(a.ints("size"), value, dtype(a, DType.FLOAT32))));
            function("torch." + fill + "_like", "Tensor input" + kw + ", MemoryFormat? memory_format=None", a -> like(a, value));
            function("aten." + fill + "_like.default", "Tensor self" + kw + ", MemoryFormat? memory_format=None", a -> like(a, value));
            method("new_" + fill, "Tensor self, int... size" + kw, a -> place(a, Tensor.full(a.ints("size"), value, dtype(a, a.self().dtype())).to(a.self().device())));
            function("aten.new_" + fill + ".default", "Tensor self, int[] size" + kw,
                    a -> place(a, Tensor.full(a.ints("size"), value, dtype(a, a.self().dtype())).to(a.self().device())));
        }
        function("torch.full", "int[] size, Scalar fill_value" + kw, a -> place(a, full(a.ints("size"), a.get("fill_value"), dtype(a, kind(a.get("fill_value"))))));
        function("aten.full.default", "int[] size, Scalar fill_value" + kw, a -> place(a, full(a.ints("size"), a.get("fill_value"), dtype(a, kind(a.get("fill_value"))))));
        function("torch.full_like", "Tensor input, Scalar fill_value" + kw + ", MemoryFormat? memory_format=None",
                a -> place(a, full(a.self().shape(), a.get("fill_value"), dtype(a, a.self().dtype())).to(a.self().device())));
        function("aten.full_like.default", "Tensor self, Scalar fill_value" + kw + ", MemoryFormat? memory_format=None",
                a -> place(a, full(a.self().shape(), a.get("fill_value"), dtype(a, a.self().dtype())).to(a.self().device())));
        method("new_full", "Tensor self, int[] size, Scalar fill_value" + kw,
                a -> place(a, full(a.ints("size"), a.get("fill_value"), dtype(a, a.self().dtype())).to(a.self().device())));
        function("aten.scalar_tensor.default", "Scalar s" + kw, a -> place(a, Tensor.scalar(Py.dbl(a.get("s")), dtype(a, DType.FLOAT32))));
        // make_fx writes repeat_interleave(x, n) as empty + fill_ of the counts; Ember's empty tensors are zeros
        function("aten.empty.memory_format", "int[] size" + kw + ", MemoryFormat? memory_format=None", a -> place(a, Tensor.empty(a.ints("size"), dtype(a, DType.FLOAT32))));
        function("aten.fill_.Scalar", "Tensor self, Scalar value", a -> a.get("value") instanceof Long l ? a.self().fill_((long) l) : a.self().fill_(Py.dbl(a.get("value"))));
        function("torch.arange", "Scalar start, Scalar? end=None, Scalar step=1" + kw, Factories::arange);
        function("aten.arange.default", "Scalar end" + kw, a -> place(a, arange(0L, a.get("end"), 1L, a)));
        function("aten.arange.start", "Scalar start, Scalar end" + kw, a -> place(a, arange(a.get("start"), a.get("end"), 1L, a)));
        function("aten.arange.start_step", "Scalar start, Scalar end, Scalar step=1" + kw, a -> place(a, arange(a.get("start"), a.get("end"), a.get("step"), a)));
    }

    /** {@code torch.arange(end)} or {@code torch.arange(start, end, step)}. */
    private static Tensor arange(BoundArgs a) {
        Object start = a.get("start"), end = a.get("end");
        return place(a, end == null ? arange(0L, start, a.get("step"), a) : arange(start, end, a.get("step"), a));
    }

    private static Tensor arange(Object start, Object end, Object step, BoundArgs a) {
        boolean integral = start instanceof Long && end instanceof Long && step instanceof Long;
        if (integral) return Tensor.arange((Long) start, (Long) end, (Long) step, dtype(a, DType.INT64));
        return Tensor.arange(Py.dbl(start), Py.dbl(end), Py.dbl(step), dtype(a, DType.FLOAT32));
    }

    private static Tensor like(BoundArgs a, double value) {
        Tensor x = a.self();
        return place(a, Tensor.full(x.shape(), value, dtype(a, x.dtype())).to(x.device()));
    }

    private static Tensor full(int[] shape, Object value, DType dtype) {
        return value instanceof Long l ? Tensor.full(shape, l, dtype) : Tensor.full(shape, Py.dbl(value), dtype);
    }

    /** The dtype {@code torch.full} infers from its fill value: bool, int64 or the default float. */
    private static DType kind(Object value) {
        return value instanceof Boolean ? DType.BOOL : value instanceof Long ? DType.INT64 : DType.FLOAT32;
    }

    private static DType dtype(BoundArgs a, DType dflt) { return a.get("dtype") == null ? dflt : a.dtype("dtype"); }

    /** Moves a new tensor to the requested device and marks it as requiring grad when asked. */
    private static Tensor place(BoundArgs a, Tensor t) {
        Tensor out = a.get("device") == null ? t : t.to(a.device("device"));
        return a.bool("requires_grad") ? out.requiresGrad_() : out;
    }
}
