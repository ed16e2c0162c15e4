package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

/** {@code nn.Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros')}. */
public class Conv1d extends ConvNd {

    public Conv1d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true, "zeros"); }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias, String paddingMode) {
        super(1, inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, null, new int[] {dilation}, false, new int[] {0}, groups, bias,
                paddingMode);
    }

    /** {@code padding='same'} or {@code 'valid'}. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, String padding, int dilation, int groups, boolean bias, String paddingMode) {
        super(1, inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, null, padding, new int[] {dilation}, false, new int[] {0}, groups, bias, paddingMode);
    }

    @Override
    public Tensor forward(Tensor input) {
        if (!paddingMode.equals("zeros")) return F.conv1d(padInput(input), weight(), bias(), stride, new int[] {0}, dilation, groups);
        if (paddingString != null) return F.conv1d(input, weight(), bias(), stride, paddingString, dilation, groups);
        return F.conv1d(input, weight(), bias(), stride, padding, dilation, groups);
    }
}
