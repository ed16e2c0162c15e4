package dev.ember.tensor;

/**
 * Element types, named and promoted as in PyTorch. float32 is the compute type; float64 exists for
 * gradient checks; float16/bfloat16 are storage formats that compute through float32.
 */
public enum DType {
    BOOL("bool", 1, Category.BOOL),
    UINT8("uint8", 1, Category.INTEGRAL),
    INT8("int8", 1, Category.INTEGRAL),
    INT16("int16", 2, Category.INTEGRAL),
    INT32("int32", 4, Category.INTEGRAL),
    INT64("int64", 8, Category.INTEGRAL),
    FLOAT16("float16", 2, Category.FLOATING),
    BFLOAT16("bfloat16", 2, Category.FLOATING),
    FLOAT32("float32", 4, Category.FLOATING),
    FLOAT64("float64", 8, Category.FLOATING);

    /** PyTorch's type categories; a higher category wins over a lower one whatever the operands' sizes. */
    public enum Category { BOOL, INTEGRAL, FLOATING }

    private final String pyName;
    private final int itemSize;
    private final Category category;

    DType(String pyName, int itemSize, Category category) {
        this.pyName = pyName;
        this.itemSize = itemSize;
        this.category = category;
    }

    /** The bare name PyTorch uses, e.g. {@code float32}. */
    public String pyName() { return pyName; }

    public int itemSize() { return itemSize; }

    public Category category() { return category; }

    public boolean isFloatingPoint() { return category == Category.FLOATING; }

    /** Integral types excluding bool, like {@code torch.is_floating_point}'s counterpart for ints. */
    public boolean isIntegral() { return category == Category.INTEGRAL; }

    /** Half-width float formats that are stored as 16 bits and computed in float32. */
    public boolean isReducedFloat() { return this == FLOAT16 || this == BFLOAT16; }

    /** The legacy tensor type name PyTorch prints in autograd errors, e.g. {@code torch.FloatTensor}. */
    public String legacyTypeName() {
        return switch (this) {
            case BOOL -> "torch.BoolTensor";
            case UINT8 -> "torch.ByteTensor";
            case INT8 -> "torch.CharTensor";
            case INT16 -> "torch.ShortTensor";
            case INT32 -> "torch.IntTensor";
            case INT64 -> "torch.LongTensor";
            case FLOAT16 -> "torch.HalfTensor";
            case BFLOAT16 -> "torch.BFloat16Tensor";
            case FLOAT32 -> "torch.FloatTensor";
            case FLOAT64 -> "torch.DoubleTensor";
        };
    }

    /**
     * {@code Tensor::toString()} of a CPU tensor, which ATen's messages print: the legacy name, except for the dtypes
     * that have none, which print as their dispatch type (CPUBoolType, CPUBFloat16Type).
     */
    public String cpuTypeString() {
        return switch (this) {
            case BOOL -> "CPUBoolType";
            case BFLOAT16 -> "CPUBFloat16Type";
            default -> legacyTypeName();
        };
    }

    @Override
    public String toString() { return "torch." + pyName; }

    /** Parses {@code float32}, {@code torch.float32} or an alias such as {@code float}/{@code long}/{@code half}. */
    public static DType fromName(String name) {
        String n = name.startsWith("torch.") ? name.substring(6) : name;
        return switch (n) {
            case "float", "float32" -> FLOAT32;
            case "double", "float64" -> FLOAT64;
            case "half", "float16" -> FLOAT16;
            case "bfloat16" -> BFLOAT16;
            case "long", "int64" -> INT64;
            case "int", "int32" -> INT32;
            case "short", "int16" -> INT16;
            case "int8" -> INT8;
            case "uint8" -> UINT8;
            case "bool" -> BOOL;
            default -> throw new IllegalArgumentException("unknown dtype '" + name + "'");
        };
    }

    /** {@code torch.promote_types}: the smallest type both operands convert to without losing category. */
    public static DType promote(DType a, DType b) {
        if (a == b) return a;
        if (a.category != b.category) return a.category.ordinal() > b.category.ordinal() ? a : b;
        return switch (a.category) {
            case BOOL -> BOOL;
            case FLOATING -> {
                // float16 and bfloat16 have no common 16-bit type: PyTorch promotes the pair to float32.
                if (a.isReducedFloat() && b.isReducedFloat()) yield FLOAT32;
                yield a.itemSize >= b.itemSize ? a : b;
            }
            case INTEGRAL -> {
                // uint8 with a signed type needs the next signed width that holds 0..255.
                if (a == UINT8 || b == UINT8) {
                    DType signed = a == UINT8 ? b : a;
                    yield signed == INT8 ? INT16 : signed;
                }
                yield a.itemSize >= b.itemSize ? a : b;
            }
        };
    }
}
