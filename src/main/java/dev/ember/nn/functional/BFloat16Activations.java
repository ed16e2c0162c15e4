package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.HalfFloats;

/**
 * PyTorch 1.13's gelu, gelu_backward, silu and silu_backward kernels have no float path for bfloat16: they run their
 * float formula in BFloat16 arithmetic, so each operation rounds to bfloat16 (on the vector and the scalar path alike)
 * and the constants are bfloat16 too. Ember writes the same operations in the same order on bfloat16 tensors.
 */
final class BFloat16Activations {
    private BFloat16Activations() {}

    /** A C++ {@code scalar_t(v)} for BFloat16: v rounded to float, then to bfloat16. */
    private static double bf16(double v) { return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16((float) v)); }

    private static final double ALPHA = bf16(Math.sqrt(0.5)), PDF_SCALE = bf16(2 / Math.sqrt(Math.PI) * Math.sqrt(0.5) * 0.5);
    private static final double BETA = bf16(Math.sqrt(2) * (2 / Math.sqrt(Math.PI)) * 0.5), KAPPA = bf16(0.044715),
            THREE_KAPPA = bf16(3 * KAPPA);

    static Tensor gelu(Tensor x, boolean tanh) {
        if (!tanh) return x.mul(0.5).mul(x.mul(ALPHA).erf().add(1.0));
        Tensor inner = x.add(x.mul(x).mul(x).mul(KAPPA)).mul(BETA);
        return x.mul(0.5).mul(inner.tanh().add(1.0));
    }

    static Tensor geluBackward(Tensor grad, Tensor x, boolean tanh) {
        if (!tanh) {
            Tensor cdf = x.mul(ALPHA).erf().add(1.0).mul(0.5);
            Tensor pdf = x.mul(x).mul(-0.5).exp().mul(PDF_SCALE);
            return grad.mul(cdf.add(x.mul(pdf)));
        }
        Tensor square = x.mul(x);
        Tensor t = x.add(square.mul(x).mul(KAPPA)).mul(BETA).tanh();
        Tensor leftDerivative = t.add(1.0).mul(0.5);
        Tensor innerDerivative = square.mul(THREE_KAPPA).add(1.0).mul(BETA);
        Tensor rightDerivative = x.mul(0.5).mul(t.mul(t).rsub(1.0)).mul(innerDerivative);
        return grad.mul(leftDerivative.add(rightDerivative));
    }

    private static Tensor sigmoid(Tensor x) { return x.neg().exp().add(1.0).reciprocal(); }

    static Tensor silu(Tensor x) { return x.div(x.neg().exp().add(1.0)); }

    static Tensor siluBackward(Tensor grad, Tensor x) {
        Tensor s = sigmoid(x);
        return grad.mul(s).mul(x.mul(s.rsub(1.0)).add(1.0));
    }
}
