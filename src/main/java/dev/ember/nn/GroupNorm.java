package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

/** {@code nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)}. */
public class GroupNorm extends Module {
    public final int numGroups, numChannels;
    public final double eps;
    public final boolean affine;

    public GroupNorm(int numGroups, int numChannels) { this(numGroups, numChannels, 1e-5, true); }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) throw new IllegalArgumentException("num_channels must be divisible by num_groups");
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.affine = affine;
        registerParameter("weight", affine ? Tensor.empty(numChannels) : (Tensor) null);
        registerParameter("bias", affine ? Tensor.empty(numChannels) : (Tensor) null);
        resetParameters();
    }

    public Parameter weight() { return param("weight"); }

    public Parameter bias() { return param("bias"); }

    public void resetParameters() {
        if (!affine) return;
        Init.ones_(weight());
        Init.zeros_(bias());
    }

    @Override
    public Tensor forward(Tensor input) { return F.groupNorm(input, numGroups, weight(), bias(), eps); }

    @Override
    public String extraRepr() { return numGroups + ", " + numChannels + ", eps=" + Repr.pyFloat(eps) + ", affine=" + Repr.bool(affine); }
}
