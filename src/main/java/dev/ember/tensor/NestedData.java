package dev.ember.tensor;

import dev.ember.tensor.spi.HostStorage;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.tensor(data)} from nested Java data, following {@code torch/csrc/utils/tensor_new.cpp}.
 *
 * <p>Boxed numbers and Lists behave like Python numbers and lists: Boolean is bool, Byte/Short/Integer/Long are
 * Python ints (int64), Float/Double are Python floats (float32, the default dtype). Primitive arrays behave like
 * NumPy arrays and carry their own dtype: {@code float[]} float32, {@code double[]} float64, {@code long[]} int64,
 * {@code int[]} int32, {@code short[]} int16, {@code byte[]} int8, {@code boolean[]} bool. The dtype is the
 * promotion of every leaf's ({@code infer_scalar_type}); the shape follows the first element at each depth
 * ({@code compute_sizes}); storing then checks every sequence against it ({@code recursive_store}). A Tensor
 * inside a list is one number of its dtype (PyTorch reads it with {@code item()}).
 */
final class NestedData {
    private NestedData() {}

    static Tensor tensor(Object data, DType dtype) {
        if (data instanceof Tensor t) {
            // torch.tensor(t) copies, detached from the graph
            Tensor copy = Kernels.copy(t);
            return dtype == null ? copy : Kernels.cast(copy, dtype);
        }
        DType dt = dtype != null ? dtype : inferDtype(data);
        int[] shape = sizes(data);
        HostStorage h = HostStorage.allocate(dt, Shape.numel(shape), Backends.cpu());
        // like internal_new_from_data, nothing is stored (or checked) when the first elements give a size of 0:
        // torch.tensor([[], [1]]) is an empty (2, 0) tensor
        if (Shape.numel(shape) > 0) store(h, data, 0, shape, new int[1]);
        return new Tensor(h, Layout.contiguous(shape));
    }

    /** {@code infer_scalar_type}: the promoted dtype of all leaves; an empty sequence counts as the default float. */
    static DType inferDtype(Object obj) {
        return switch (obj) {
            case null -> throw new IllegalArgumentException("Could not infer dtype of NoneType");
            case Boolean b -> DType.BOOL;
            case Float f -> DefaultDtype.get();
            case Double d -> DefaultDtype.get();
            case Byte b -> DType.INT64;
            case Short s -> DType.INT64;
            case Integer i -> DType.INT64;
            case Long l -> DType.INT64;
            case float[] a -> DType.FLOAT32;
            case double[] a -> DType.FLOAT64;
            case long[] a -> DType.INT64;
            case int[] a -> DType.INT32;
            case short[] a -> DType.INT16;
            case byte[] a -> DType.INT8;
            case boolean[] a -> DType.BOOL;
            case List<?> l -> {
                DType t = null;
                for (Object item : l) t = t == null ? inferDtype(item) : DType.promote(t, inferDtype(item));
                yield t == null ? DefaultDtype.get() : t;
            }
            case Object[] a -> inferDtype(Arrays.asList(a));
            case Tensor t -> t.dtype(); // a tensor inside a list is one number of its own dtype
            default -> throw new IllegalArgumentException("Could not infer dtype of " + obj.getClass().getSimpleName());
        };
    }

    /** {@code compute_sizes}: the length at each depth, following first elements; stops at an empty sequence. */
    private static int[] sizes(Object obj) {
        List<Integer> dims = new ArrayList<>();
        while (isSequence(obj)) {
            int n = length(obj);
            dims.add(n);
            if (n == 0) break;
            obj = element(obj, 0);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean isSequence(Object obj) { return obj instanceof List<?> || (obj != null && obj.getClass().isArray()); }

    private static int length(Object seq) { return seq instanceof List<?> l ? l.size() : Array.getLength(seq); }

    private static Object element(Object seq, int i) { return seq instanceof List<?> l ? l.get(i) : Array.get(seq, i); }

    private static void store(HostStorage h, Object obj, int dim, int[] shape, int[] next) {
        if (dim == shape.length) {
            storeScalar(h, next[0]++, obj);
            return;
        }
        if (!isSequence(obj)) throw new IllegalArgumentException("not a sequence");
        int n = length(obj);
        if (n != shape[dim]) throw new IllegalArgumentException("expected sequence of length " + shape[dim] + " at dim " + dim + " (got " + n + ")");
        if (dim == shape.length - 1 && copyRow(h, obj, next[0])) {
            next[0] += n;
            return;
        }
        for (int i = 0; i < n; i++) store(h, element(obj, i), dim + 1, shape, next);
    }

    /** A primitive array of exactly the storage's element type is copied in one go (the common large case). */
    private static boolean copyRow(HostStorage h, Object row, int at) {
        boolean same = switch (h.dtype()) {
            case FLOAT32 -> row instanceof float[];
            case FLOAT64 -> row instanceof double[];
            case INT64 -> row instanceof long[];
            case INT32 -> row instanceof int[];
            case INT16 -> row instanceof short[];
            case INT8 -> row instanceof byte[];
            default -> false;
        };
        if (same) System.arraycopy(row, 0, h.array(), at, Array.getLength(row));
        return same;
    }

    /**
     * {@code store_scalar}: integers go into integer types with the overflow check ({@code value cannot be
     * converted to type uint8 without overflow}, negative values wrapping into uint8), into floating types
     * through a double as Python does; floats go into integer types with the same check and truncation.
     */
    private static void storeScalar(HostStorage h, int i, Object value) {
        DType t = h.dtype();
        Scalar s = switch (value) {
            case Boolean b -> Scalar.of(b);
            case Float f -> Scalar.of(f.doubleValue());
            case Double d -> Scalar.of(d);
            case Byte b -> Scalar.of(b.longValue());
            case Short v -> Scalar.of(v.longValue());
            case Integer v -> Scalar.of(v.longValue());
            case Long v -> Scalar.of(v);
            case Tensor v -> tensorScalar(v, t);
            case null -> throw new IllegalArgumentException("Could not infer dtype of NoneType");
            default -> throw new IllegalArgumentException(notANumber(value, t));
        };
        if (!t.isFloatingPoint() && t != DType.BOOL && s.overflows(t))
            throw new IllegalArgumentException("value cannot be converted to type " + t.pyName() + " without overflow");
        if (t.isFloatingPoint()) h.setDouble(i, s.toDouble());
        else s.storeInto(h, i);
    }

    /**
     * A tensor element is read as a Python number, as {@code float(t)} or {@code int(t)} would: it must hold one
     * element, and an integer target takes it through {@code __index__}, which refuses floating tensors.
     */
    private static Scalar tensorScalar(Tensor v, DType target) {
        if (v.numel() != 1) throw new IllegalArgumentException("only one element tensors can be converted to Python scalars");
        if (!target.isFloatingPoint() && target != DType.BOOL && v.isFloatingPoint())
            throw new IllegalArgumentException("only integer tensors of a single element can be converted to an index");
        if (v.isFloatingPoint()) return Scalar.of(v.item());
        return v.dtype() == DType.BOOL ? Scalar.of(v.itemBool()) : Scalar.of(v.itemLong());
    }

    /** Python's complaint when a sequence sits where a number belongs. */
    private static String notANumber(Object value, DType t) {
        String type = isSequence(value) ? "list" : value.getClass().getSimpleName();
        if (t.isFloatingPoint()) return "must be real number, not " + type;
        return "'" + type + "' object cannot be interpreted as an integer";
    }
}
