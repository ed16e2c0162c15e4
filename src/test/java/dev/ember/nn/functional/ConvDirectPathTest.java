package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.Test;

/**
 * Layers small enough for the direct convolution kernel (float32, stride 1, few channels) give what the im2col
 * path gives: forward, padding included, and gradients of gradients, which need the differentiable path (a
 * transposed convolution's input gradient is a convolution). float64 never takes the direct kernel, so it is the
 * reference.
 */
class ConvDirectPathTest {

    @Test
    void forwardWithPaddingMatchesTheIm2colPath() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, 3, 2, 9, 7), w = Tensor.randn(g, 5, 2, 3, 4), b = Tensor.randn(g, 5);
        // asymmetric 'same' padding: 1 before and 2 after along W (kernel 4), 1 and 1 along H
        Tensor y = F.conv2d(x, w, b, new int[] {1}, "same", new int[] {1}, 1);
        Tensor ref = F.conv2d(x.to(DType.FLOAT64), w.to(DType.FLOAT64), b.to(DType.FLOAT64), new int[] {1}, "same", new int[] {1}, 1);
        TensorAssert.assertClose(y, ref.to(DType.FLOAT32), 1e-5, 1e-5, "conv2d same");
    }

    /**
     * The input gradient of a small stride-1 convolution runs as a direct convolution of the padded output gradient
     * with the flipped kernel: every padding it takes (none, symmetric, asymmetric 'same', kernel - 1) and one it
     * leaves to col2im (padding past kernel - 1) against the float64 im2col path.
     */
    @Test
    void inputGradientAsAFlippedConvolutionMatchesTheIm2colPath() {
        Generator g = new Generator(11);
        Tensor x = Tensor.randn(g, 3, 4, 9, 8), w = Tensor.randn(g, 5, 4, 3, 4);
        for (Object padding : new Object[] {new int[] {0}, new int[] {1}, "same", new int[] {2, 3}, new int[] {3, 4}}) {
            Tensor[] f32 = inputAndWeightGrad(x, w, padding), f64 = inputAndWeightGrad(x.to(DType.FLOAT64), w.to(DType.FLOAT64), padding);
            for (int i = 0; i < 2; i++)
                TensorAssert.assertClose(f32[i], f64[i].to(DType.FLOAT32), 1e-4, 1e-4, "gradient " + i + " with padding " + padding);
        }
    }

    private static Tensor[] inputAndWeightGrad(Tensor x0, Tensor w0, Object padding) {
        Tensor x = x0.detach().requiresGrad_(true), w = w0.detach().requiresGrad_(true);
        Tensor y = padding instanceof String s ? F.conv2d(x, w, null, new int[] {1}, s, new int[] {1}, 1)
                : F.conv2d(x, w, null, new int[] {1}, (int[]) padding, new int[] {1}, 1);
        y.mul(y.detach().sin()).sum().backward();
        return new Tensor[] {x.grad(), w.grad()};
    }

    @Test
    void secondOrderThroughATransposedConvolution() {
        Generator g = new Generator(9);
        Tensor x = Tensor.randn(g, 2, 3, 5, 5), w = Tensor.randn(g, 3, 4, 3, 3), probe = Tensor.randn(g, 2, 4, 7, 7);
        Tensor[] f32 = gradOfGrad(x, w, probe), f64 = gradOfGrad(x.to(DType.FLOAT64), w.to(DType.FLOAT64), probe.to(DType.FLOAT64));
        for (int i = 0; i < f32.length; i++) TensorAssert.assertClose(f32[i], f64[i].to(DType.FLOAT32), 1e-4, 1e-4, "second-order gradient " + i);
    }

    /** d/d(x, w) of sum(gx * (gx + x)) with gx = d(probe · convT(x, w))/dx, a stride-1 convolution of probe by w. */
    private static Tensor[] gradOfGrad(Tensor x0, Tensor w0, Tensor probe) {
        Tensor x = x0.detach().requiresGrad_(true), w = w0.detach().requiresGrad_(true);
        Tensor y = F.convTranspose2d(x, w, null, new int[] {1}, new int[] {0}, new int[] {0}, 1, new int[] {1});
        Tensor gx = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, new Tensor[] {probe}, true, true)[0];
        return Autograd.grad(new Tensor[] {gx.mul(gx.add(x)).sum()}, new Tensor[] {x, w}, null, false, false);
    }
}
