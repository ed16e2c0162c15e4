package dev.ember.serving;

import dev.ember.tensor.DType;

import java.util.Locale;

/**
 * The Open Inference Protocol's tensor datatypes (research/serving.md §1.5), with their byte width and the
 * Ember dtype a model computes with. UINT16/32/64 and BYTES travel over the protocol but have no Ember
 * (or PyTorch 1.13) tensor type, so a model cannot declare them; FP16 and BF16 travel only as raw bytes.
 */
public enum DataType {
    BOOL(1, DType.BOOL),
    UINT8(1, DType.UINT8),
    UINT16(2, null),
    UINT32(4, null),
    UINT64(8, null),
    INT8(1, DType.INT8),
    INT16(2, DType.INT16),
    INT32(4, DType.INT32),
    INT64(8, DType.INT64),
    FP16(2, DType.FLOAT16),
    FP32(4, DType.FLOAT32),
    FP64(8, DType.FLOAT64),
    /** Variable-length byte strings; raw form is a 4-byte little-endian length before each element. */
    BYTES(0, null),
    BF16(2, DType.BFLOAT16);

    private final int size;
    private final DType dtype;

    DataType(int size, DType dtype) {
        this.size = size;
        this.dtype = dtype;
    }

    /** Bytes per element; 0 for BYTES, whose elements vary. */
    public int size() { return size; }

    /** The Ember dtype, or null when Ember tensors cannot hold this type. */
    public DType dtype() { return dtype; }

    public boolean isFloat() { return this == FP16 || this == FP32 || this == FP64 || this == BF16; }

    public boolean isUnsigned() { return this == UINT8 || this == UINT16 || this == UINT32 || this == UINT64; }

    /** JSON numbers cannot carry half-width floats exactly; the protocol sends them as binary only. */
    public boolean isJsonCapable() { return this != FP16 && this != BF16; }

    /** Triton's model-config spelling: TYPE_FP32, and TYPE_STRING for BYTES. */
    public String configName() { return this == BYTES ? "TYPE_STRING" : "TYPE_" + name(); }

    /** Parses a protocol datatype ("FP32"); the protocol is case-sensitive, so "fp32" is refused. */
    public static DataType parse(String s) {
        if (s == null || s.isEmpty()) throw ServingException.invalid("missing datatype");
        try {
            return valueOf(s);
        } catch (IllegalArgumentException e) {
            throw ServingException.invalid("unknown datatype '" + s + "'; expected one of BOOL, UINT8, UINT16, UINT32, UINT64, "
                    + "INT8, INT16, INT32, INT64, FP16, FP32, FP64, BYTES, BF16");
        }
    }

    /** Parses a model-config datatype, in Triton's spelling (TYPE_FP32, TYPE_STRING) or the protocol's (FP32). */
    public static DataType parseConfig(String s) {
        String u = s.toUpperCase(Locale.ROOT);
        if (u.equals("TYPE_STRING")) return BYTES;
        return parse(u.startsWith("TYPE_") ? u.substring(5) : u);
    }

    /** The protocol datatype of an Ember dtype (every Ember dtype has one). */
    public static DataType of(DType dtype) {
        return switch (dtype) {
            case BOOL -> BOOL;
            case UINT8 -> UINT8;
            case INT8 -> INT8;
            case INT16 -> INT16;
            case INT32 -> INT32;
            case INT64 -> INT64;
            case FLOAT16 -> FP16;
            case BFLOAT16 -> BF16;
            case FLOAT32 -> FP32;
            case FLOAT64 -> FP64;
        };
    }
}
