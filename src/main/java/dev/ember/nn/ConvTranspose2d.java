package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * {@code nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
 * bias=True, dilation=1, padding_mode='zeros')}; only zeros padding, as in PyTorch.
 */
public class ConvTranspose2d extends ConvNd {

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0); }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride) { this(inChannels, outChannels, kernelSize, stride, 0); }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {0}, 1, true, new int[] {1}, "zeros");
    }

    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding, int groups, boolean bias,
                           int[] dilation, String paddingMode) {
        super(2, inChannels, outChannels, kernelSize, stride, padding, null, dilation, true, outputPadding, groups, bias, checkMode(paddingMode));
    }

    private static String checkMode(String mode) {
        if (!mode.equals("zeros")) throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for ConvTranspose2d");
        return mode;
    }

    @Override
    public Tensor forward(Tensor input) { return F.convTranspose2d(input, weight(), bias(), stride, padding, outputPadding, groups, dilation); }

    /** {@code forward(input, output_size)}: picks the output_padding that gives {@code outputSize} (the last two sizes). */
    public Tensor forward(Tensor input, int[] outputSize) {
        return F.convTranspose2d(input, weight(), bias(), stride, padding, outputPaddingFor(input, outputSize), groups, dilation);
    }

    @Override
    public Object call(Object... args) {
        if (args.length == 2 && args[1] instanceof int[] size) return forward((Tensor) args[0], size);
        return super.call(args);
    }

    /** PyTorch's {@code _output_padding}. */
    int[] outputPaddingFor(Tensor input, int[] outputSize) {
        int k = 2;
        int[] size = outputSize.length == k + 2 ? Arrays.copyOfRange(outputSize, 2, k + 2) : outputSize;
        if (size.length != k)
            throw new IllegalArgumentException("ConvTranspose2D: for " + input.dim() + "D input, output_size must have 2 or 4 elements (got " + outputSize.length + ")");
        int[] out = new int[k];
        for (int d = 0; d < k; d++) {
            int in = input.size(input.dim() - k + d);
            int min = (in - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernelSize[d] - 1) + 1;
            int max = min + stride[d] - 1;
            if (size[d] < min || size[d] > max)
                throw new IllegalArgumentException("requested an output size of " + Arrays.toString(size) + ", but valid sizes range from [" + min + "] to [" + max
                        + "] (for an input of " + Arrays.toString(Arrays.copyOfRange(input.shape(), input.dim() - k, input.dim())) + ")");
            out[d] = size[d] - min;
        }
        return out;
    }
}
