package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True, divisor_override=None)}. */
public class AvgPool2d extends Module {
    final int[] kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;
    public final Integer divisorOverride;

    public AvgPool2d(int kernelSize) { this(new int[] {kernelSize}, null, new int[] {0}, false, true, null); }

    public AvgPool2d(int kernelSize, int stride) { this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, false, true, null); }

    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad, Integer divisorOverride) {
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    @Override
    public Tensor forward(Tensor input) { return F.avgPool2d(input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride); }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize, kernelSize.length == 1) + ", stride=" + Repr.intOrTuple(stride, stride.length == 1) + ", padding="
                + Repr.intOrTuple(padding, padding.length == 1);
    }
}
