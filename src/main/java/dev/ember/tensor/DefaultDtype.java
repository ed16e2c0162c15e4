package dev.ember.tensor;

/**
 * {@code torch.get_default_dtype}: the floating type of factories given no dtype, of Python floats turned into
 * tensors, and of integer tensors promoted to floating (by a float operand, true division or exp). One setting for
 * the whole process, as PyTorch's is.
 */
final class DefaultDtype {
    private static volatile DType current = DType.FLOAT32;

    private DefaultDtype() {}

    static DType get() { return current; }

    static void set(DType dtype) {
        if (!dtype.isFloatingPoint()) throw new IllegalArgumentException("only floating-point types are supported as the default type");
        current = dtype;
    }
}
