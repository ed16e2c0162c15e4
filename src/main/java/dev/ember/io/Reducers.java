package dev.ember.io;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What REDUCE does for each allowed callable. The tensor rebuilders check size, stride and offset against
 * the storage's declared size with overflow-checked arithmetic and return a {@link TensorInfo}; no data is
 * read or allocated until the whole pickle has been accepted.
 */
final class Reducers {
    private Reducers() {}

    static Object reduce(Object callable, Object argsObj, StorageTable storages) throws ModelFormatException {
        if (!(callable instanceof PickleGlobal.Function fn))
            throw new ModelFormatException("Trying to call reduce for unrecognized function " + Values.describe(callable));
        if (!(argsObj instanceof PyTuple args)) throw new ModelFormatException(fn.pyName + ": REDUCE arguments must be a tuple, got " + Values.describe(argsObj));
        return switch (fn) {
            case ORDERED_DICT -> {
                if (!args.isEmpty()) throw new ModelFormatException("collections.OrderedDict: only OrderedDict() with no arguments is supported (items come from SETITEMS)");
                yield new PyOrderedDict();
            }
            case REBUILD_TENSOR -> {
                arity(fn, args, 4, 4);
                yield tensor(fn, storage(fn, args.get(0)), args.get(1), args.get(2), args.get(3), false);
            }
            case REBUILD_TENSOR_V2 -> {
                arity(fn, args, 6, 7);
                boolean rg = bool(fn, "requires_grad", args.get(4));
                emptyDict(fn, "backward_hooks", args.get(5));
                if (args.size() == 7) noMetadata(fn, args.get(6));
                yield tensor(fn, storage(fn, args.get(0)), args.get(1), args.get(2), args.get(3), rg);
            }
            case REBUILD_TENSOR_V3 -> {
                arity(fn, args, 7, 8);
                boolean rg = bool(fn, "requires_grad", args.get(4));
                emptyDict(fn, "backward_hooks", args.get(5));
                if (!(args.get(6) instanceof DType dtype)) throw new ModelFormatException(fn.pyName + ": dtype must be a torch dtype, got " + Values.describe(args.get(6)));
                if (args.size() == 8) noMetadata(fn, args.get(7));
                StorageDecl s = storage(fn, args.get(0));
                if (s.dtype() != null) throw new ModelFormatException(fn.pyName + ": expects an untyped storage, got a " + s.dtype() + " storage");
                yield tensor(fn, storages.typed(s, dtype), args.get(1), args.get(2), args.get(3), rg);
            }
            case REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE -> {
                boolean withState = fn == PickleGlobal.Function.REBUILD_PARAMETER_WITH_STATE;
                arity(fn, args, withState ? 4 : 3, withState ? 4 : 3);
                if (!(args.get(0) instanceof TensorInfo data)) throw new ModelFormatException(fn.pyName + ": data must be a tensor, got " + Values.describe(args.get(0)));
                boolean rg = bool(fn, "requires_grad", args.get(1));
                emptyDict(fn, "backward_hooks", args.get(2));
                if (withState) emptyState(fn, args.get(3));
                if (rg && !data.dtype().isFloatingPoint())
                    throw new ModelFormatException(fn.pyName + ": Only Tensors of floating point and complex dtype can require gradients (got " + data.dtype() + ")");
                yield data.withRequiresGrad(rg);
            }
            case SIZE -> {
                arity(fn, args, 0, 1);
                if (args.isEmpty()) yield PyTuple.EMPTY;
                if (!(args.get(0) instanceof PyTuple dims)) throw new ModelFormatException("torch.Size: expects a tuple of ints, got " + Values.describe(args.get(0)));
                for (Object d : dims) if (!(d instanceof Long)) throw new ModelFormatException("torch.Size: expects ints, got " + Values.describe(d));
                yield dims;
            }
            case DEVICE -> {
                arity(fn, args, 1, 2);
                if (!(args.get(0) instanceof String type)) throw new ModelFormatException("torch.device: expects a device type string, got " + Values.describe(args.get(0)));
                String spec = type;
                if (args.size() == 2 && args.get(1) != null) {
                    if (!(args.get(1) instanceof Long index) || index < 0 || index > Integer.MAX_VALUE)
                        throw new ModelFormatException("torch.device: index must be a non-negative int, got " + Values.describe(args.get(1)));
                    spec = type + ":" + index;
                }
                try {
                    yield Device.parse(spec);
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException("torch.device('" + spec + "'): Ember knows only cpu and cuda devices");
                }
            }
            case CODECS_ENCODE -> {
                arity(fn, args, 2, 2);
                if (!(args.get(0) instanceof String text) || !(args.get(1) instanceof String enc) || !(enc.equals("latin1") || enc.equals("latin-1")))
                    throw new ModelFormatException("_codecs.encode: only encode(str, 'latin1') (how protocol 2 pickles bytes) is supported");
                byte[] out = new byte[text.length()];
                for (int i = 0; i < out.length; i++) {
                    char c = text.charAt(i);
                    if (c > 0xFF) throw new ModelFormatException("_codecs.encode: character U+" + Integer.toHexString(c) + " is not latin-1");
                    out[i] = (byte) c;
                }
                yield out;
            }
            case SET -> {
                arity(fn, args, 0, 1);
                Set<Object> set = new LinkedHashSet<>();
                if (args.size() == 1) {
                    if (!(args.get(0) instanceof List<?> items)) throw new ModelFormatException("builtins.set: expects a list, got " + Values.describe(args.get(0)));
                    for (Object o : items) {
                        if (!Values.isHashable(o)) throw new ModelFormatException("builtins.set: unhashable or unsupported member " + Values.describe(o));
                        set.add(o);
                    }
                }
                yield set;
            }
        };
    }

    private static void arity(PickleGlobal.Function fn, PyTuple args, int min, int max) throws ModelFormatException {
        if (args.size() < min || args.size() > max)
            throw new ModelFormatException(fn.pyName + " takes " + (min == max ? "" + min : min + " to " + max) + " arguments, got " + args.size());
    }

    private static StorageDecl storage(PickleGlobal.Function fn, Object s) throws ModelFormatException {
        if (!(s instanceof StorageDecl d)) throw new ModelFormatException(fn.pyName + ": first argument must be a storage, got " + Values.describe(s));
        return d;
    }

    private static boolean bool(PickleGlobal.Function fn, String what, Object v) throws ModelFormatException {
        if (!(v instanceof Boolean b)) throw new ModelFormatException(fn.pyName + ": " + what + " must be a bool, got " + Values.describe(v));
        return b;
    }

    private static void emptyDict(PickleGlobal.Function fn, String what, Object v) throws ModelFormatException {
        if (!(v instanceof Map<?, ?> m) || !m.isEmpty() || (v instanceof PyOrderedDict d && !d.attributes().isEmpty()))
            throw new ModelFormatException(fn.pyName + ": " + what + " must be an empty OrderedDict, got " + Values.describe(v)
                    + " (hooks are code, which Ember does not load)");
    }

    private static void noMetadata(PickleGlobal.Function fn, Object v) throws ModelFormatException {
        if (v instanceof Map<?, ?> m && m.isEmpty()) return;
        throw new ModelFormatException(fn.pyName + ": tensor metadata " + Values.describe(v)
                + " (a conj or neg view bit) is not supported by Ember");
    }

    private static void emptyState(PickleGlobal.Function fn, Object v) throws ModelFormatException {
        boolean empty = v == null || v instanceof Map<?, ?> m && m.isEmpty()
                || v instanceof PyTuple t && t.stream().allMatch(o -> o == null || o instanceof Map<?, ?> m && m.isEmpty());
        if (!empty) throw new ModelFormatException(fn.pyName + ": a Parameter with Python attributes (" + Values.describe(v) + ") is not supported by Ember");
    }

    /** {@code _rebuild_tensor_v2}'s checks, with torch's texts where it has them. */
    private static TensorInfo tensor(PickleGlobal.Function fn, StorageDecl s, Object offsetObj, Object sizeObj, Object strideObj, boolean rg)
            throws ModelFormatException {
        long[] size = ints(fn, "size", sizeObj);
        long[] stride = ints(fn, "stride", strideObj);
        if (!(offsetObj instanceof Long offset)) throw new ModelFormatException(fn.pyName + ": storage_offset must be an int, got " + Values.describe(offsetObj));
        if (size.length != stride.length)
            throw new ModelFormatException(fn.pyName + ": size " + Arrays.toString(size) + " and stride " + Arrays.toString(stride) + " have different lengths");
        if (offset < 0) throw new ModelFormatException(fn.pyName + ": invalid storage offset " + offset);
        long numel = 1;
        for (int i = 0; i < size.length; i++) {
            if (size[i] < 0 || stride[i] < 0)
                throw new ModelFormatException(fn.pyName + ": Storage size calculation overflowed with sizes=" + Arrays.toString(size) + " and strides="
                        + Arrays.toString(stride));
            try {
                numel = Math.multiplyExact(numel, size[i]);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(fn.pyName + ": numel: integer multiplication overflow for sizes=" + Arrays.toString(size));
            }
        }
        if (rg && !s.dtype().isFloatingPoint())
            throw new ModelFormatException(fn.pyName + ": Only Tensors of floating point and complex dtype can require gradients (got " + s.dtype() + ")");
        long needed; // storage elements the view reaches
        if (numel == 0) {
            needed = offset;
        } else {
            try {
                long last = offset;
                for (int i = 0; i < size.length; i++) last = Math.addExact(last, Math.multiplyExact(size[i] - 1, stride[i]));
                needed = Math.addExact(last, 1);
            } catch (ArithmeticException e) {
                throw new ModelFormatException(fn.pyName + ": Storage size calculation overflowed with sizes=" + Arrays.toString(size) + " and strides="
                        + Arrays.toString(stride));
            }
        }
        if (needed > s.numel())
            throw new ModelFormatException(fn.pyName + ": a tensor of size " + Arrays.toString(size) + ", stride " + Arrays.toString(stride) + " and offset "
                    + offset + " needs " + needed + " elements but storage '" + s.key() + "' has " + s.numel()
                    + " (torch: Trying to resize storage that is not resizable)");
        for (int i = 0; i < size.length; i++)
            if (size[i] > Integer.MAX_VALUE || stride[i] > Integer.MAX_VALUE)
                throw new ModelFormatException(fn.pyName + ": size or stride beyond 2^31-1 in sizes=" + Arrays.toString(size) + " strides=" + Arrays.toString(stride));
        if (numel > StorageTable.MAX_NUMEL) throw new ModelFormatException(fn.pyName + ": tensor of " + numel + " elements is larger than Ember supports");
        return new TensorInfo(s.dtype(), toInts(size), toInts(stride), (int) (long) offset, s.key(), s.numel(), rg);
    }

    private static long[] ints(PickleGlobal.Function fn, String what, Object v) throws ModelFormatException {
        if (!(v instanceof PyTuple t)) throw new ModelFormatException(fn.pyName + ": " + what + " must be a tuple of ints, got " + Values.describe(v));
        if (t.size() > 64) throw new ModelFormatException(fn.pyName + ": " + what + " has " + t.size() + " dimensions, more than 64");
        List<Long> out = new ArrayList<>(t.size());
        for (Object o : t) {
            if (!(o instanceof Long l)) throw new ModelFormatException(fn.pyName + ": " + what + " must hold ints, got " + Values.describe(o));
            out.add(l);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static int[] toInts(long[] a) {
        int[] out = new int[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (int) a[i];
        return out;
    }

    static String shapeString(int[] shape) { return Shape.str(shape); }
}
