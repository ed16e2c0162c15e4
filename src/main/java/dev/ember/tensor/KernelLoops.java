package dev.ember.tensor;

/**
 * Which elements PyTorch 1.13's CPU kernels compute in their vectorized loop and which in their scalar one, for the
 * ops whose two loops disagree (a boundary compared with {@code >=} in one and {@code <=} in the other, a NaN's
 * sign). cpu_kernel_vec vectorizes a run only when every operand is contiguous; it takes whole blocks of two AVX2
 * vectors (16 floats, 8 doubles) and leaves the rest, the tail, to the scalar loop. This is one thread's view:
 * PyTorch's threads each give their own chunk a tail.
 */
public final class KernelLoops {
    private KernelLoops() {}

    /**
     * A bool tensor of the operands' (common) shape, true where PyTorch's vectorized loop computes the element: the
     * leading whole blocks of a float32 or float64 run whose operands are all contiguous. Null where the scalar loop
     * computes every element, so that callers keep their plain formula (and its result's layout) there.
     */
    public static Tensor vectorized(Tensor... operands) {
        Tensor first = operands[0];
        int block = first.dtype() == DType.FLOAT32 ? 16 : first.dtype() == DType.FLOAT64 ? 8 : 0;
        boolean dense = block > 0;
        for (Tensor t : operands) dense &= t.isContiguous() && java.util.Arrays.equals(t.shape(), first.shape());
        int n = first.numel();
        int body = dense ? n - n % block : 0;
        return body == 0 ? null : Tensor.arange(n).lt(body).view(first.shape()).to(first.device());
    }
}
