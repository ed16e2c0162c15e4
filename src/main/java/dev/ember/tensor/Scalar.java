package dev.ember.tensor;

import dev.ember.tensor.spi.HostStorage;

/**
 * A Python number on its way into a tensor ({@code c10::Scalar}): an int (kept as 64 bits), a float or a bool.
 * PyTorch decides a factory's default dtype from the kind, and checks that the value fits the target dtype
 * ({@code c10::checked_convert}) before storing it; both rules live here.
 */
record Scalar(Kind kind, long longValue, double doubleValue) {
    enum Kind { BOOL, INT, FLOAT }

    /** The default alpha and beta: the Python int 1. */
    static final Scalar ONE = of(1L);

    static Scalar of(double v) { return new Scalar(Kind.FLOAT, 0, v); }

    static Scalar of(long v) { return new Scalar(Kind.INT, v, v); }

    static Scalar of(boolean v) { return new Scalar(Kind.BOOL, v ? 1 : 0, v ? 1 : 0); }

    /** A one-element tensor's value as {@code Tensor::item()} reads it: a float, an int or a bool by its dtype. */
    static Scalar of(Tensor t) {
        if (t.dtype() == DType.BOOL) return of(t.itemBool());
        return t.isFloatingPoint() ? of(t.item()) : of(t.itemLong());
    }

    boolean isFloating() { return kind == Kind.FLOAT; }

    /** The dtype {@code torch.full} and {@code torch.tensor} give this number: the default float, int64 or bool. */
    DType defaultDtype() {
        return switch (kind) {
            case BOOL -> DType.BOOL;
            case INT -> DType.INT64;
            case FLOAT -> DefaultDtype.get();
        };
    }

    double toDouble() { return kind == Kind.FLOAT ? doubleValue : (double) longValue; }

    /** {@code Scalar::to<T>()}: the overflow check, named with the C++ type as fill and factories report it. */
    Scalar checkedFor(DType target) {
        if (overflows(target)) throw new IllegalArgumentException("value cannot be converted to type " + cppName(target) + " without overflow");
        return this;
    }

    /** Stores this number into element {@code i} of {@code h} with PyTorch's conversion (checked beforehand). */
    void storeInto(HostStorage h, int i) {
        if (kind == Kind.FLOAT) h.setDouble(i, doubleValue);
        else h.setLong(i, longValue);
    }

    /** The value exactly as the target dtype holds it, widened to double (for a fill kernel taking a double). */
    double asStoredIn(DType target) {
        HostStorage one = HostStorage.allocate(target, 1, Backends.cpu());
        storeInto(one, 0);
        return one.getDouble(0);
    }

    /** {@code c10::overflows<To, From>}; converting to bool never overflows. */
    boolean overflows(DType t) {
        if (t == DType.BOOL || kind == Kind.BOOL) return false;
        if (kind == Kind.INT) {
            long f = longValue;
            return switch (t) {
                // negative values wrap into unsigned types as two's complement, down to -255
                case UINT8 -> f > 255 || f < -255;
                case INT8 -> f < Byte.MIN_VALUE || f > Byte.MAX_VALUE;
                case INT16 -> f < Short.MIN_VALUE || f > Short.MAX_VALUE;
                case INT32 -> f < Integer.MIN_VALUE || f > Integer.MAX_VALUE;
                case FLOAT16 -> f < -65504 || f > 65504;
                default -> false;
            };
        }
        double f = doubleValue;
        if (t.isFloatingPoint()) {
            if (Double.isInfinite(f) || Double.isNaN(f)) return false;
            double max = maxFinite(t);
            return f < -max || f > max;
        }
        if (Double.isNaN(f)) return true;
        // the limits compare as doubles, so 2^63 itself passes into int64 (and converts to its minimum)
        return f < lowest(t) || f > highest(t);
    }

    static double maxFinite(DType t) {
        return switch (t) {
            case FLOAT16 -> 65504;
            case BFLOAT16 -> 0x1.FEp127;
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
    }

    private static double lowest(DType t) {
        return switch (t) {
            case UINT8 -> 0;
            case INT8 -> Byte.MIN_VALUE;
            case INT16 -> Short.MIN_VALUE;
            case INT32 -> Integer.MIN_VALUE;
            default -> (double) Long.MIN_VALUE;
        };
    }

    private static double highest(DType t) {
        return switch (t) {
            case UINT8 -> 255;
            case INT8 -> Byte.MAX_VALUE;
            case INT16 -> Short.MAX_VALUE;
            case INT32 -> Integer.MAX_VALUE;
            default -> (double) Long.MAX_VALUE;
        };
    }

    /** The C++ spelling of a dtype in PyTorch's conversion errors ({@code AT_FORALL_SCALAR_TYPES}). */
    static String cppName(DType t) {
        return switch (t) {
            case UINT8 -> "uint8_t";
            case INT8 -> "int8_t";
            case INT16 -> "int16_t";
            case INT32 -> "int";
            case INT64 -> "int64_t";
            case FLOAT16 -> "at::Half";
            case BFLOAT16 -> "at::BFloat16";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case BOOL -> "bool";
        };
    }

    /** The name {@code caffe2::TypeMeta} prints ({@code randint}'s bounds errors): {@code unsigned char}, {@code c10::Half}. */
    static String typeMetaName(DType t) {
        return switch (t) {
            case UINT8 -> "unsigned char";
            case INT8 -> "signed char";
            case INT16 -> "short int";
            case INT32 -> "int";
            case INT64 -> "long int";
            case FLOAT16 -> "c10::Half";
            case BFLOAT16 -> "c10::BFloat16";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case BOOL -> "bool";
        };
    }
}
