package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros')}. */
public class Conv2d extends ConvNd {

    public Conv2d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0); }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride) { this(inChannels, outChannels, kernelSize, stride, 0); }

    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, 1, true, "zeros");
    }

    /** Every argument; int[] of length 1 (the same for both dims) or 2. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups, boolean bias, String paddingMode) {
        super(2, inChannels, outChannels, kernelSize, stride, padding, null, dilation, false, new int[] {0}, groups, bias, paddingMode);
    }

    /** {@code padding='same'} or {@code 'valid'}. */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, String padding, int[] dilation, int groups, boolean bias, String paddingMode) {
        super(2, inChannels, outChannels, kernelSize, stride, null, padding, dilation, false, new int[] {0}, groups, bias, paddingMode);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!paddingMode.equals("zeros")) return F.conv2d(padInput(input), weight(), bias(), stride, new int[] {0}, dilation, groups);
        if (paddingString != null) return F.conv2d(input, weight(), bias(), stride, paddingString, dilation, groups);
        return F.conv2d(input, weight(), bias(), stride, padding, dilation, groups);
    }
}
