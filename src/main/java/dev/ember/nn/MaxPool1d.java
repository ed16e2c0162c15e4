package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

import java.util.List;

/** {@code nn.MaxPool1d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)}. */
public class MaxPool1d extends MaxPoolModule {
    public final int kernelSize, stride, padding, dilation;
    public final boolean ceilMode;

    public MaxPool1d(int kernelSize) { this(kernelSize, null, 0, 1, false, false); }

    public MaxPool1d(int kernelSize, Integer stride, int padding, int dilation, boolean returnIndices, boolean ceilMode) {
        super(returnIndices);
        this.kernelSize = kernelSize;
        this.stride = stride == null ? kernelSize : stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
    }

    @Override
    public List<Tensor> forwardWithIndices(Tensor input) { return F.maxPool1dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode); }

    @Override
    public String extraRepr() {
        return "kernel_size=" + kernelSize + ", stride=" + stride + ", padding=" + padding + ", dilation=" + dilation + ", ceil_mode=" + Repr.bool(ceilMode);
    }
}
