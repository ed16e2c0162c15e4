package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * PyTorch's {@code _ConvNd}: the shared arguments, checks, initialisation (kaiming_uniform_(a=√5), bias
 * U(±1/√fan_in)) and extra_repr of Conv1d, Conv2d and the transposed convolutions. Weights are
 * {@code [out, in/groups, *k]}, or {@code [in, out/groups, *k]} when transposed.
 */
public abstract class ConvNd extends Module {
    public final int inChannels, outChannels, groups;
    public final boolean transposed;
    public final String paddingMode;
    final int[] kernelSize, stride, padding, dilation, outputPadding;
    /** "same" or "valid" when padding was given as a string, else null. */
    final String paddingString;

    protected ConvNd(int spatialDims, int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, String paddingString, int[] dilation,
                     boolean transposed, int[] outputPadding, int groups, boolean bias, String paddingMode) {
        if (groups <= 0) throw new IllegalArgumentException("groups must be a positive integer");
        if (inChannels % groups != 0) throw new IllegalArgumentException("in_channels must be divisible by groups");
        if (outChannels % groups != 0) throw new IllegalArgumentException("out_channels must be divisible by groups");
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.transposed = transposed;
        this.kernelSize = ntuple(kernelSize, spatialDims);
        this.stride = ntuple(stride, spatialDims);
        this.dilation = ntuple(dilation, spatialDims);
        this.outputPadding = ntuple(outputPadding, spatialDims);
        if (paddingString != null) {
            if (!paddingString.equals("same") && !paddingString.equals("valid"))
                throw new IllegalArgumentException("Invalid padding string '" + paddingString + "', should be one of {'valid', 'same'}");
            if (paddingString.equals("same") && Arrays.stream(this.stride).anyMatch(s -> s != 1))
                throw new IllegalArgumentException("padding='same' is not supported for strided convolutions");
            this.padding = new int[spatialDims];
        } else {
            this.padding = ntuple(padding, spatialDims);
        }
        this.paddingString = paddingString;
        if (!paddingMode.equals("zeros") && !paddingMode.equals("reflect") && !paddingMode.equals("replicate") && !paddingMode.equals("circular"))
            throw new IllegalArgumentException("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='" + paddingMode + "'");
        this.paddingMode = paddingMode;
        int[] wshape = new int[spatialDims + 2];
        wshape[0] = transposed ? inChannels : outChannels;
        wshape[1] = (transposed ? outChannels : inChannels) / groups;
        System.arraycopy(this.kernelSize, 0, wshape, 2, spatialDims);
        registerParameter("weight", Tensor.empty(wshape));
        registerParameter("bias", bias ? Tensor.empty(outChannels) : (Tensor) null);
        resetParameters();
    }

    static int[] ntuple(int[] v, int n) {
        if (v.length == n) return v.clone();
        if (v.length != 1) throw new IllegalArgumentException("expected a single integer or a tuple of " + n + " integers, got " + Arrays.toString(v));
        int[] out = new int[n];
        Arrays.fill(out, v[0]);
        return out;
    }

    public Parameter weight() { return param("weight"); }

    public Parameter bias() { return param("bias"); }

    public int[] kernelSize() { return kernelSize.clone(); }

    public int[] stride() { return stride.clone(); }

    public int[] padding() { return padding.clone(); }

    public int[] dilation() { return dilation.clone(); }

    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu", Generator.defaultGenerator());
        if (bias() != null) Layers.uniformBias(bias(), weight());
    }

    /** For padding modes other than zeros: F.pad's (before, after) list, last dim first. */
    int[] reversedPaddingRepeatedTwice() {
        int n = kernelSize.length;
        int[] out = new int[2 * n];
        for (int i = 0; i < n; i++) {
            int d = n - 1 - i, before = padding[d], after = padding[d];
            if ("same".equals(paddingString)) {
                int total = dilation[d] * (kernelSize[d] - 1);
                before = total / 2;
                after = total - before;
            }
            out[2 * i] = before;
            out[2 * i + 1] = after;
        }
        return out;
    }

    /** The input padded by the padding mode when it is not zeros (the convolution then uses no padding). */
    Tensor padInput(Tensor x) {
        return paddingMode.equals("zeros") ? x : F.pad(x, reversedPaddingRepeatedTwice(), paddingMode, 0);
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(Repr.tuple(kernelSize))
                .append(", stride=").append(Repr.tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
        else if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(Repr.tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(Repr.tuple(dilation));
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) s.append(", output_padding=").append(Repr.tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias() == null) s.append(", bias=False");
        if (!paddingMode.equals("zeros")) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }
}
