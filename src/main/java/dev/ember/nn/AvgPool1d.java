package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.AvgPool1d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)}. */
public class AvgPool1d extends Module {
    public final int kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;

    public AvgPool1d(int kernelSize) { this(kernelSize, null, 0, false, true); }

    public AvgPool1d(int kernelSize, Integer stride, int padding, boolean ceilMode, boolean countIncludePad) {
        this.kernelSize = kernelSize;
        this.stride = stride == null ? kernelSize : stride;
        this.padding = padding;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor input) { return F.avgPool1d(input, kernelSize, stride, padding, ceilMode, countIncludePad); }

    @Override
    public String extraRepr() { return "kernel_size=(" + kernelSize + ",), stride=(" + stride + ",), padding=(" + padding + ",)"; }
}
