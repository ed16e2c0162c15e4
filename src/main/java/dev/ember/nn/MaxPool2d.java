package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * {@code nn.MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False)}.
 * With return_indices, {@link #call} returns [values, indices] and {@link #forward} the values.
 */
public class MaxPool2d extends MaxPoolModule {
    final int[] kernelSize, stride, padding, dilation;
    public final boolean ceilMode;

    public MaxPool2d(int kernelSize) { this(new int[] {kernelSize}, null, new int[] {0}, new int[] {1}, false, false); }

    public MaxPool2d(int kernelSize, int stride) { this(new int[] {kernelSize}, new int[] {stride}, new int[] {0}, new int[] {1}, false, false); }

    /** Each int[] has length 1 (one int, printed as such) or 2; a null stride means the kernel size. */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean returnIndices, boolean ceilMode) {
        super(returnIndices);
        this.kernelSize = kernelSize.clone();
        this.stride = stride == null ? kernelSize.clone() : stride.clone();
        this.padding = padding.clone();
        this.dilation = dilation.clone();
        this.ceilMode = ceilMode;
    }

    @Override
    public List<Tensor> forwardWithIndices(Tensor input) { return F.maxPool2dWithIndices(input, kernelSize, stride, padding, dilation, ceilMode); }

    @Override
    public String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize, kernelSize.length == 1) + ", stride=" + Repr.intOrTuple(stride, stride.length == 1) + ", padding="
                + Repr.intOrTuple(padding, padding.length == 1) + ", dilation=" + Repr.intOrTuple(dilation, dilation.length == 1) + ", ceil_mode=" + Repr.bool(ceilMode);
    }
}
