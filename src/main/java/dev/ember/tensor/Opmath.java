package dev.ember.tensor;

import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * Where one of PyTorch's fused CPU kernels converts a float16/bfloat16 input to float, computes there (its opmath
 * type) and rounds the result once, Ember runs the same formula in float32 and casts back; other dtypes run as they are.
 */
public final class Opmath {
    private Opmath() {}

    public static Tensor inFloat(Tensor x, UnaryOperator<Tensor> f) {
        return x.dtype().isReducedFloat() ? f.apply(x.to(DType.FLOAT32)).to(x.dtype()) : f.apply(x);
    }

    /** For a kernel of two tensors (a backward's incoming gradient and its saved input), in their promoted dtype. */
    public static Tensor inFloat(Tensor a, Tensor b, BinaryOperator<Tensor> f) {
        DType rt = TypePromotion.resultType(a, b);
        return rt.isReducedFloat() ? f.apply(a.to(DType.FLOAT32), b.to(DType.FLOAT32)).to(rt) : f.apply(a, b);
    }
}
