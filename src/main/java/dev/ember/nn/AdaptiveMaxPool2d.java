package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

import java.util.List;

/** {@code nn.AdaptiveMaxPool2d(output_size, return_indices=False)}; -1 in output_size stands for None. */
public class AdaptiveMaxPool2d extends Module {
    final int[] outputSize;
    public final boolean returnIndices;

    public AdaptiveMaxPool2d(int... outputSize) { this(outputSize, false); }

    public AdaptiveMaxPool2d(int[] outputSize, boolean returnIndices) {
        if (outputSize.length != 1 && outputSize.length != 2) throw new IllegalArgumentException("output_size must be an int or a pair");
        this.outputSize = outputSize.clone();
        this.returnIndices = returnIndices;
    }

    @Override
    public Tensor forward(Tensor input) { return F.adaptiveMaxPool2d(input, outputSize); }

    public List<Tensor> forwardWithIndices(Tensor input) { return F.adaptiveMaxPool2dWithIndices(input, outputSize); }

    @Override
    public Object call(Object... args) {
        Tensor x = tensorArg(args, 0, typeName(), 1);
        return returnIndices ? forwardWithIndices(x) : forward(x);
    }

    @Override
    public String extraRepr() { return "output_size=" + sizeRepr(outputSize); }

    static String sizeRepr(int[] size) {
        if (size.length == 1) return size[0] < 0 ? "None" : String.valueOf(size[0]);
        return "(" + (size[0] < 0 ? "None" : size[0]) + ", " + (size[1] < 0 ? "None" : size[1]) + ")";
    }
}
