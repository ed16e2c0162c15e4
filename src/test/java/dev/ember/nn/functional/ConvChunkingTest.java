package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.Tensor;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.Test;

/** Large batches build their convolution columns a few samples at a time; the results must not change. */
class ConvChunkingTest {

    private static Tensor[] run(Tensor x, Tensor w, Tensor b, boolean transposed) {
        Tensor xl = x.detach().requiresGrad_(true), wl = w.detach().requiresGrad_(true), bl = b.detach().requiresGrad_(true);
        Tensor y = transposed ? F.convTranspose2d(xl, wl, bl, new int[] {2}, new int[] {1}, new int[] {1}, 2, new int[] {1})
                : F.conv2d(xl, wl, bl, new int[] {1}, new int[] {1}, new int[] {1}, 2);
        Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {xl, wl, bl}, new Tensor[] {Tensor.onesLike(y).mul(y.detach())}, false, false);
        return new Tensor[] {y, g[0], g[1], g[2]};
    }

    @Test
    void chunkedEqualsWhole() {
        for (boolean transposed : new boolean[] {false, true}) {
            var gen = new dev.ember.tensor.Generator(11);
            Tensor x = Tensor.randn(gen, 7, 4, 9, 8), w = transposed ? Tensor.randn(gen, 4, 3, 3, 3) : Tensor.randn(gen, 6, 2, 3, 3), b = Tensor.randn(gen, 6);
            long saved = Convolution.columnBudget;
            Tensor[] whole = run(x, w, b, transposed);
            try {
                Convolution.columnBudget = 4 * 9 * 72 * 2;   // about two samples' columns per chunk
                Tensor[] chunked = run(x, w, b, transposed);
                // weight and bias gradients sum hundreds of products, in chunks: float32 rounding differs
                for (int i = 0; i < whole.length; i++) TensorAssert.assertClose(chunked[i], whole[i], 1e-4, 1e-4, (transposed ? "transposed " : "") + "result " + i);
            } finally {
                Convolution.columnBudget = saved;
            }
        }
    }
}
