package dev.ember.tensor;

/** {@code str(tensor)} as PyTorch prints it. */
final class TensorFormatter {
    private TensorFormatter() {}

    static String format(Tensor t) {
        StringBuilder sb = new StringBuilder("tensor(");
        sb.append(t.tolist());
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.INT64 && t.dtype() != DType.BOOL) sb.append(", dtype=").append(t.dtype());
        if (t.gradFn() != null) sb.append(", grad_fn=<").append(t.gradFn().name()).append('>');
        else if (t.requiresGrad()) sb.append(", requires_grad=True");
        return sb.append(')').toString();
    }
}
