package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

import java.util.List;

/** {@code nn.AdaptiveMaxPool2d(output_size, return_indices=False)}; -1 in output_size stands for None. */
public class AdaptiveMaxPool2d extends MaxPoolModule {
    final int[] outputSize;

    public AdaptiveMaxPool2d(int... outputSize) { this(outputSize, false); }

    public AdaptiveMaxPool2d(int[] outputSize, boolean returnIndices) {
        super(returnIndices);
        if (outputSize.length != 1 && outputSize.length != 2) throw new IllegalArgumentException("output_size must be an int or a pair");
        this.outputSize = outputSize.clone();
    }

    @Override
    public List<Tensor> forwardWithIndices(Tensor input) { return F.adaptiveMaxPool2dWithIndices(input, outputSize); }

    @Override
    public String extraRepr() { return "output_size=" + sizeRepr(outputSize); }

    static String sizeRepr(int[] size) {
        if (size.length == 1) return size[0] < 0 ? "None" : String.valueOf(size[0]);
        return "(" + (size[0] < 0 ? "None" : size[0]) + ", " + (size[1] < 0 ? "None" : size[1]) + ")";
    }
}
