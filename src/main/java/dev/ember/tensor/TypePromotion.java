package dev.ember.tensor;

/**
 * PyTorch's {@code result_type}: dimensioned tensors decide the dtype; 0-dim tensors and then Python
 * numbers only matter when they belong to a higher category (bool < integer < floating). A floating
 * Python number counts as the default dtype, float32.
 */
final class TypePromotion {
    private TypePromotion() {}

    static DType resultType(Tensor... operands) {
        State state = new State();
        for (Tensor t : operands) if (t != null) state.add(t.dtype(), t.dim() > 0, t.wrappedNumber);
        return state.result();
    }

    /** {@code torch.result_type(t, scalar)} with a Python-number operand: Boolean, an integral Number or a floating one. */
    static DType resultTypeWithScalar(Tensor t, Object scalar) {
        State state = new State();
        state.add(t.dtype(), t.dim() > 0, t.wrappedNumber);
        state.add(scalarType(scalar), false, true);
        return state.result();
    }

    /** The dtype a Python number would have as a tensor: bool, int64, or float64 (which promotes as the default float). */
    static DType scalarType(Object scalar) {
        return switch (scalar) {
            case Boolean b -> DType.BOOL;
            case Double d -> DType.FLOAT64;
            case Float f -> DType.FLOAT64;
            case Number n -> DType.INT64;
            default -> throw new IllegalArgumentException("not a Python-number-like scalar: " + scalar);
        };
    }

    /** PyTorch's ResultTypeState: dimensioned tensors, 0-dim tensors and wrapped numbers promote separately. */
    private static final class State {
        DType dimResult, zeroResult, wrappedResult;

        void add(DType current, boolean dimensioned, boolean wrapped) {
            if (wrapped) {
                if (current.isFloatingPoint()) current = DefaultDtype.get();
                wrappedResult = promote(wrappedResult, current);
            } else if (dimensioned) {
                dimResult = promote(dimResult, current);
            } else {
                zeroResult = promote(zeroResult, current);
            }
        }

        DType result() {
            DType r = combine(dimResult, combine(zeroResult, wrappedResult));
            if (r == null) throw new IllegalArgumentException("result type needs at least one operand");
            return r;
        }
    }

    private static DType promote(DType a, DType b) { return a == null ? b : DType.promote(a, b); }

    private static DType combine(DType higher, DType lower) {
        if (higher == null) return lower;
        if (lower == null || higher.isFloatingPoint()) return higher;
        if (higher == DType.BOOL || lower.isFloatingPoint()) return DType.promote(higher, lower);
        return higher;
    }

    /** The floating type an integer input computes in for ops like exp or true division. */
    static DType toFloating(DType t) { return t.isFloatingPoint() ? t : DefaultDtype.get(); }

    /** PyTorch's {@code can_cast}: no float into integer, no integer/float into bool. */
    static boolean canCast(DType from, DType to) {
        if (from.isFloatingPoint() && !to.isFloatingPoint()) return false;
        return from == DType.BOOL || to != DType.BOOL;
    }

    /** The C++ type names ATen's messages use where they print a typeid (out= dtype and in-place cast errors): "long int", not "Long". */
    static String cppTypeName(DType t) {
        return switch (t) {
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
            case INT64 -> "long int";
            case INT32 -> "int";
            case INT16 -> "short int";
            case INT8 -> "signed char";
            case UINT8 -> "unsigned char";
            case BOOL -> "bool";
            case FLOAT16 -> "c10::Half";
            case BFLOAT16 -> "c10::BFloat16";
        };
    }

    static String typeName(DType t) {
        return switch (t) {
            case BOOL -> "Bool";
            case UINT8 -> "Byte";
            case INT8 -> "Char";
            case INT16 -> "Short";
            case INT32 -> "Int";
            case INT64 -> "Long";
            case FLOAT16 -> "Half";
            case BFLOAT16 -> "BFloat16";
            case FLOAT32 -> "Float";
            case FLOAT64 -> "Double";
        };
    }
}
