package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.AdaptiveAvgPool2d(output_size)}; one size for both dims, or two where -1 stands for None. */
public class AdaptiveAvgPool2d extends Module {
    final int[] outputSize;

    public AdaptiveAvgPool2d(int... outputSize) {
        if (outputSize.length != 1 && outputSize.length != 2) throw new IllegalArgumentException("output_size must be an int or a pair");
        this.outputSize = outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveAvgPool2d(input, outputSize); }

    @Override
    public String extraRepr() { return "output_size=" + AdaptiveMaxPool2d.sizeRepr(outputSize); }
}
