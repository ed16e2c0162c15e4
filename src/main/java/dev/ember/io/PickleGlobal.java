package dev.ember.io;

import dev.ember.tensor.DType;

import java.util.Map;

/**
 * The pickle globals Ember accepts: a subset of {@code torch.load(weights_only=True)}'s allow-list (torch 1.13
 * and 2.x), each mapped to a Java handler, never to a class looked up by name. Anything else is refused by
 * {@link #lookup} with the global's name, before any storage is allocated.
 */
sealed interface PickleGlobal {

    /** Callables that REDUCE may apply; each is interpreted by {@link Reducers}. */
    enum Function implements PickleGlobal {
        ORDERED_DICT("collections.OrderedDict"),
        REBUILD_TENSOR("torch._utils._rebuild_tensor"),
        REBUILD_TENSOR_V2("torch._utils._rebuild_tensor_v2"),
        REBUILD_TENSOR_V3("torch._utils._rebuild_tensor_v3"),
        REBUILD_PARAMETER("torch._utils._rebuild_parameter"),
        REBUILD_PARAMETER_WITH_STATE("torch._utils._rebuild_parameter_with_state"),
        SIZE("torch.Size"),
        DEVICE("torch.device"),
        CODECS_ENCODE("_codecs.encode"),
        SET("builtins.set");

        final String pyName;

        Function(String pyName) { this.pyName = pyName; }
    }

    /** A storage class in a persistent id; a null dtype is {@code torch.storage.UntypedStorage}. */
    record StorageClass(String pyName, DType dtype) implements PickleGlobal {}

    Map<String, DType> LEGACY_STORAGES = Map.of("FloatStorage", DType.FLOAT32, "DoubleStorage", DType.FLOAT64, "HalfStorage", DType.FLOAT16,
            "BFloat16Storage", DType.BFLOAT16, "LongStorage", DType.INT64, "IntStorage", DType.INT32, "ShortStorage", DType.INT16,
            "CharStorage", DType.INT8, "ByteStorage", DType.UINT8, "BoolStorage", DType.BOOL);

    /** Types torch can save that Ember has no dtype for: allowed by torch, so refused with a precise reason. */
    java.util.Set<String> UNSUPPORTED_STORAGES = java.util.Set.of("ComplexFloatStorage", "ComplexDoubleStorage", "QInt8Storage", "QUInt8Storage",
            "QInt32Storage", "QUInt4x2Storage", "QUInt2x4Storage");

    java.util.Set<String> UNSUPPORTED_DTYPES = java.util.Set.of("complex32", "complex64", "complex128", "quint8", "qint8", "qint32", "quint4x2",
            "quint2x4", "bits1x8", "bits2x4", "bits4x2", "bits8", "bits16", "float8_e5m2", "float8_e4m3fn", "float8_e5m2fnuz",
            "float8_e4m3fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2", "uint16", "uint32", "uint64", "uint1", "uint2", "uint3", "uint4", "uint5",
            "uint6", "uint7", "int1", "int2", "int3", "int4", "int5", "int6", "int7", "cfloat", "cdouble", "chalf");

    /**
     * Resolves {@code GLOBAL module name}: a {@link Function}, a {@link StorageClass}, or a {@link DType} (a
     * {@code torch.float32} value, e.g. the dtype argument of {@code _rebuild_tensor_v3}).
     */
    static Object lookup(String module, String name) throws ModelFormatException {
        if (module.equals("__builtin__")) module = "builtins"; // Python 2 names, as torch's NAME_MAPPING does
        String full = module + "." + name;
        for (Function f : Function.values()) if (f.pyName.equals(full)) return f;
        if (module.equals("torch") || module.equals("torch.cuda")) {
            DType d = LEGACY_STORAGES.get(name);
            if (d != null) return new StorageClass(full, d);
            if (UNSUPPORTED_STORAGES.contains(name))
                throw new ModelFormatException("GLOBAL " + full + ": this tensor type (complex or quantized) is not supported by Ember");
        }
        if (full.equals("torch.storage.UntypedStorage")) return new StorageClass(full, null);
        if (module.equals("torch")) {
            if (UNSUPPORTED_DTYPES.contains(name)) throw new ModelFormatException("GLOBAL " + full + ": dtype torch." + name + " is not supported by Ember");
            try {
                DType d = DType.fromName(name);
                if (d.pyName().equals(name)) return d;
            } catch (IllegalArgumentException notADtype) {
                // falls through to the refusal below
            }
        }
        if (full.equals("builtins.complex"))
            throw new ModelFormatException("GLOBAL builtins.complex: complex numbers are not supported by Ember");
        throw new ModelFormatException("Unsupported global: GLOBAL " + full + " is not allowed. Ember loads only tensors, storages and plain "
                + "containers, as torch.load(weights_only=True) does; a file that needs other classes or functions may run code and is refused");
    }
}
