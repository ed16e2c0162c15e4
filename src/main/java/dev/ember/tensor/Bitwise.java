package dev.ember.tensor;

import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.UnaryOp;

/**
 * The integer-only ops: bitwise and/or/xor/not (Python's {@code &}, {@code |}, {@code ^} and {@code ~}, on bool masks
 * the logical ops), the shifts {@code <<}/{@code >>} and gcd/lcm. Promoted as arithmetic is; floating inputs (and bool
 * ones for the shifts and gcd/lcm) fail as PyTorch's CPU kernels do. Not differentiable: their results are never
 * floating.
 */
final class Bitwise {
    private Bitwise() {}

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        DType rt = TypePromotion.resultType(a, b);
        // TensorIterator broadcasts the operands before the kernel looks at the dtype, so a shape error comes first
        Shape.broadcast(a.layout().shape(), b.layout().shape());
        boolean boolKernel = op == BinaryOp.BITWISE_AND || op == BinaryOp.BITWISE_OR || op == BinaryOp.BITWISE_XOR;
        if (rt.isFloatingPoint() || (rt == DType.BOOL && !boolKernel)) throw notImplemented(op.name().toLowerCase(), rt);
        return Kernels.binary(op, a, b, rt);
    }

    /** {@code self.bitwise_and_(other)} and the like: TensorIterator checks memory, shape and cast (in that order) before the kernel checks its dtype. */
    static Tensor binary_(BinaryOp op, Tensor self, Tensor other) {
        // autograd's in-place check asks whether self or other requires grad, though the op has no derivative
        dev.ember.autograd.Autograd.checkInplace(self, other);
        MemoryOverlap.assertNoInternalOverlap(self);
        MemoryOverlap.assertNoPartialOverlap(self, other);
        InPlace.checkInto(self, other, TypePromotion.resultType(self, other));
        return InPlace.written(self, s -> binary(op, s, other), InPlace.loop(x -> binary(op, x[0], x[1]), other));
    }

    static Tensor not(Tensor t) {
        if (t.isFloatingPoint()) throw notImplemented("bitwise_not", t.dtype());
        // ~ on a bool is logical not (the integer complement of 1 is -2, which would read as true)
        return Kernels.unary(t.dtype() == DType.BOOL ? UnaryOp.LOGICAL_NOT : UnaryOp.BITWISE_NOT, t);
    }

    private static IllegalArgumentException notImplemented(String op, DType t) {
        return new IllegalArgumentException("\"" + op + "_cpu\" not implemented for '" + TypePromotion.typeName(t) + "'");
    }
}
