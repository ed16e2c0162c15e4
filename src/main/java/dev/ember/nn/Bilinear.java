package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

/** {@code nn.Bilinear}: {@code y = x1ᵀ A x2 + b}, weight [out, in1, in2] and bias from U(±1/√in1). */
public class Bilinear extends Module {
    public final int in1Features, in2Features, outFeatures;

    public Bilinear(int in1Features, int in2Features, int outFeatures) { this(in1Features, in2Features, outFeatures, true); }

    public Bilinear(int in1Features, int in2Features, int outFeatures, boolean bias) {
        this.in1Features = in1Features;
        this.in2Features = in2Features;
        this.outFeatures = outFeatures;
        registerParameter("weight", Tensor.empty(outFeatures, in1Features, in2Features));
        registerParameter("bias", bias ? Tensor.empty(outFeatures) : (Tensor) null);
        resetParameters();
    }

    public Parameter weight() { return param("weight"); }

    public Parameter bias() { return param("bias"); }

    public void resetParameters() {
        double bound = 1 / Math.sqrt(weight().size(1));
        Init.uniform_(weight(), -bound, bound);
        if (bias() != null) Init.uniform_(bias(), -bound, bound);
    }

    public Tensor forward(Tensor input1, Tensor input2) { return F.bilinear(input1, input2, weight(), bias()); }

    @Override
    public Object call(Object... args) { return forward(tensorArg(args, 0, typeName(), 2), tensorArg(args, 1, typeName(), 2)); }

    @Override
    public String extraRepr() {
        return "in1_features=" + in1Features + ", in2_features=" + in2Features + ", out_features=" + outFeatures + ", bias=" + Repr.bool(bias() != null);
    }
}
