package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;

/** {@code nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)}. */
public class LayerNorm extends Module {
    private final int[] normalizedShape;
    public final double eps;
    public final boolean elementwiseAffine;

    public LayerNorm(int... normalizedShape) { this(normalizedShape, 1e-5, true); }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.elementwiseAffine = elementwiseAffine;
        registerParameter("weight", elementwiseAffine ? Tensor.empty(normalizedShape) : (Tensor) null);
        registerParameter("bias", elementwiseAffine ? Tensor.empty(normalizedShape) : (Tensor) null);
        resetParameters();
    }

    public int[] normalizedShape() { return normalizedShape.clone(); }

    public Parameter weight() { return param("weight"); }

    public Parameter bias() { return param("bias"); }

    public void resetParameters() {
        if (!elementwiseAffine) return;
        Init.ones_(weight());
        Init.zeros_(bias());
    }

    @Override
    public Tensor forward(Tensor input) { return F.layerNorm(input, normalizedShape, weight(), bias(), eps); }

    @Override
    public String extraRepr() {
        return Repr.tuple(normalizedShape) + ", eps=" + Repr.pyFloat(eps) + ", elementwise_affine=" + Repr.bool(elementwiseAffine);
    }
}
