package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

/** {@code nn.Linear}: {@code y = x Wᵀ + b}, weight [out, in] from kaiming_uniform_(a=√5), bias U(±1/√in). */
public class Linear extends Module {
    public final int inFeatures, outFeatures;

    public Linear(int inFeatures, int outFeatures) { this(inFeatures, outFeatures, true); }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.empty(outFeatures, inFeatures));
        registerParameter("bias", bias ? Tensor.empty(outFeatures) : (Tensor) null);
        resetParameters();
    }

    public Parameter weight() { return param("weight"); }

    public Parameter bias() { return param("bias"); }

    public void resetParameters() {
        Init.kaimingUniform_(weight(), Math.sqrt(5), "fan_in", "leaky_relu", dev.ember.tensor.Generator.defaultGenerator());
        if (bias() != null) Layers.uniformBias(bias(), weight());
    }

    @Override
    public Tensor forward(Tensor input) { return F.linear(input, weight(), bias()); }

    @Override
    public String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.bool(bias() != null);
    }
}
