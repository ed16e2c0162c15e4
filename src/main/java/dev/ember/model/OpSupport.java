package dev.ember.model;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.MemoryFormat;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** Argument conversions shared by the op families: dims given as None, an int or a list; results as Python values. */
final class OpSupport {
    private OpSupport() {}

    /** A {@code dim} argument that may be None (all dims), an int or a list of ints. */
    static int[] dims(Object v, String fn) {
        if (v == null) return null;
        if (v instanceof Long l) return new int[] {Py.toInt(l, fn, "dim")};
        if (v instanceof List<?> l && l.stream().allMatch(e -> e instanceof Long)) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = Py.toInt((Long) l.get(i), fn, "dim");
            return out;
        }
        throw new IllegalArgumentException(fn + "(): argument 'dim' must be int or tuple of ints, not " + ArgType.pyType(v));
    }

    /** A {@code dim} argument where None or an empty list means every dim, as ATen's reductions take it. */
    static int[] dimsOrAll(Tensor x, Object dim, String fn) {
        int[] d = dims(dim, fn);
        if (d != null && d.length > 0) return d;
        d = new int[x.dim()];
        for (int i = 0; i < d.length; i++) d[i] = i;
        return d;
    }

    /** The op's tensor argument cast to its optional {@code dtype} keyword first, as PyTorch's reductions and softmax do. */
    static Tensor withDtype(BoundArgs a) { return a.get("dtype") == null ? a.self() : a.self().to(a.dtype("dtype")); }

    /** {@code mean}/{@code sum} with PyTorch's dim/keepdim/dtype; an empty dim list reduces everything, as ATen does. */
    static Tensor reduce(boolean mean, Tensor x, Object dim, boolean keepdim, DType dtype, String fn) {
        int[] d = dimsOrAll(x, dim, fn);
        if (mean) {
            Tensor src = dtype == null ? x : x.to(dtype);
            return src.mean(d, keepdim);
        }
        return dtype == null ? x.sum(d, keepdim) : x.sum(d, keepdim, dtype);
    }

    /** {@code torch.Size} of a tensor as Python sees it: a tuple of ints. */
    static List<Object> size(Tensor t) {
        List<Object> out = new ArrayList<>(t.dim());
        for (int s : t.shape()) out.add((long) s);
        return out;
    }

    static List<Object> list(List<Tensor> ts) { return new ArrayList<>(ts); }

    static List<Object> pair(Tensor.ValuesIndices vi) { return List.of(vi.values(), vi.indices()); }

    /** {@code x.max()}, {@code x.max(dim)}, {@code x.max(other)}: PyTorch's overloads by argument. */
    static Object max(Tensor x, Object dim, boolean keepdim, boolean min) {
        if (dim == null) return min ? x.min() : x.max();
        if (dim instanceof Tensor other) return min ? x.minimum(other) : x.maximum(other);
        int d = Py.toInt((Long) dim, min ? "min" : "max", "dim");
        return pair(min ? x.min(d, keepdim) : x.max(d, keepdim));
    }

    /** {@code split(split_size_or_sections, dim)}. */
    static Object split(Tensor x, Object sizes, int dim) {
        if (sizes instanceof Long l) return list(x.split(Py.toInt(l, "split", "split_size"), dim));
        int[] s = dims(sizes, "split");
        return list(x.splitWithSizes(s, dim));
    }

    /** {@code Tensor.to(...)}: a dtype, a device, or another tensor (its dtype and device), positionally or by keyword. */
    /**
     * A {@code memory_format} argument. {@code torch.contiguous_format} asks for row-major order; anything else keeps
     * the source's, {@code torch.channels_last} included: Ember has no channels-last layout, and the values are the
     * same in any order.
     */
    static MemoryFormat memoryFormat(BoundArgs a) {
        return PyConst.CONTIGUOUS_FORMAT.equals(a.get("memory_format")) ? MemoryFormat.CONTIGUOUS : MemoryFormat.PRESERVE;
    }

    static Tensor to(Tensor x, List<?> args, Object dtypeKw, Object deviceKw) {
        Tensor out = x;
        List<Object> all = new ArrayList<>(args);
        if (deviceKw != null) all.add(deviceKw);
        if (dtypeKw != null) all.add(dtypeKw);
        for (Object a : all) {
            out = switch (a) {
                case DType d -> out.to(d);
                case dev.ember.tensor.Device d -> out.to(d);
                case String s -> out.to(dev.ember.tensor.Device.parse(s));
                case Tensor t -> out.to(t.dtype()).to(t.device());
                case Boolean _ -> out; // non_blocking / copy
                default -> throw new IllegalArgumentException("to() received an invalid combination of arguments - got (" + ArgType.pyType(a) + ")");
            };
        }
        return out;
    }

    /** A Scalar or Tensor {@code other} of add/sub/mul/div with {@code alpha}, as {@code torch.add(x, y, alpha=a)}. */
    static Object arith(String op, Object self, Object other, Object alpha) {
        if (alpha != null && !(alpha instanceof Long l && l == 1)) {
            if (!op.equals("add") && !op.equals("sub")) throw new IllegalArgumentException(op + "() got an unexpected keyword argument 'alpha'");
            other = Py.mul(other, alpha);
        }
        return switch (op) {
            case "add" -> Py.add(self, other);
            case "sub" -> Py.sub(self, other);
            case "mul" -> Py.mul(self, other);
            default -> Py.truediv(self, other);
        };
    }

    static Tensor div(Tensor x, Object other, String roundingMode) {
        if (roundingMode == null) return (Tensor) Py.truediv(x, other);
        Tensor y = other instanceof Tensor t ? t : other instanceof Long l ? Tensor.scalar(l, DType.INT64) : Tensor.scalar(Py.dbl(other), DType.FLOAT64);
        return x.div(y, roundingMode);
    }

    static Tensor clamp(Tensor x, Object min, Object max) {
        if (min instanceof Tensor || max instanceof Tensor) return x.clamp((Tensor) min, (Tensor) max);
        return x.clamp(min == null ? null : Py.dbl(min), max == null ? null : Py.dbl(max));
    }

    static Tensor maskedFill(Tensor x, Tensor mask, Object value) {
        return value instanceof Tensor v ? x.maskedFill(mask, v) : x.maskedFill(mask, Py.dbl(value));
    }

    static Tensor where(Tensor cond, Object a, Object b) {
        if (a instanceof Tensor x && b instanceof Tensor y) return Tensor.where(cond, x, y);
        if (a instanceof Tensor x) return Tensor.where(cond, x, Py.dbl(b));
        if (b instanceof Tensor y) return Tensor.where(cond, Py.dbl(a), y);
        throw new IllegalArgumentException("where(): expected a Tensor for input or other, got " + ArgType.pyType(a) + " and " + ArgType.pyType(b));
    }

    /** A Scalar argument as a double (bools count as 0/1, as in Python). */
    static double scalar(Object v) { return Py.dbl(v); }

    /** One int from an {@code int[]} argument given as {@code 3} or {@code (3,)}. */
    static int one(BoundArgs a, String name) {
        int[] v = a.ints(name);
        if (v.length != 1) throw new IllegalArgumentException(a.fn() + "(): argument '" + name + "' must be an int or a 1-tuple, got " + v.length + " values");
        return v[0];
    }

    /** {@code output_size}: an int or a tuple whose None entries keep the input's size (-1 for Ember). */
    static int[] outputSize(BoundArgs a) {
        Object v = a.get("output_size");
        if (v instanceof Long l) return new int[] {Py.toInt(l, a.fn(), "output_size")};
        if (v instanceof List<?> l && !l.isEmpty() && l.stream().allMatch(e -> e == null || e instanceof Long)) {
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = l.get(i) == null ? -1 : Py.toInt((Long) l.get(i), a.fn(), "output_size");
            return out;
        }
        throw new IllegalArgumentException(a.fn() + "(): argument 'output_size' must be an int or a tuple of ints or None, not " + ArgType.pyType(v));
    }

    /**
     * An in-place op ({@code x.add_(y)}, {@code x += y}, {@code aten.sigmoid_}) as the out-of-place op written back
     * into {@code target}. With grad on, the op reads a clone: the op may save its input for backward, and the write
     * into {@code target} would otherwise invalidate that saved tensor (PyTorch's in-place kernels save the original
     * value the same way). On numbers it is the plain op, as Python's {@code +=} on an int.
     */
    static Object inplace(Object target, UnaryOperator<Object> op) {
        if (!(target instanceof Tensor t)) return op.apply(target);
        Tensor src = GradMode.isEnabled() ? t.clone() : t;
        return t.copy_((Tensor) op.apply(src));
    }
}
