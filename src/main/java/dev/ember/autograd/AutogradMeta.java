package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/**
 * The autograd state of one tensor, kept apart from its data as in PyTorch: whether it requires grad,
 * the node that produced it (null for leaves), its accumulated {@code .grad}, and the view base.
 */
public final class AutogradMeta {
    boolean requiresGrad;
    Node gradFn;
    int outputNr;
    Tensor grad;
    AccumulateGrad accumulator;
    boolean retainsGrad;
    /** The tensor this one is a view of (the root base, never a view itself), or null. */
    Tensor base;
    /** One of several views one op returned (split, unbind), which PyTorch forbids writing in place. */
    boolean multiOutputView;
    /** For a view: the storage version its history was derived at; another write makes it stale. */
    int viewVersion;
    /** A view made in no-grad mode (or a view of one): PyTorch's CreationMeta::NO_GRAD_MODE. */
    boolean noGradView;

    /** A view also requires grad when its base does, even one made under no_grad, which has no history. */
    public boolean requiresGrad() { return requiresGrad || gradFn != null || (base != null && base.requiresGrad()); }

    public Node gradFn() { return gradFn; }

    public int outputNr() { return outputNr; }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) { grad = g; }

    public Tensor base() { return base; }

    public void setBase(Tensor b) { base = b; }

    public void markMultiOutputView() { multiOutputView = gradFn != null; }

    public int viewVersion() { return viewVersion; }

    public boolean noGradView() { return noGradView; }

    public void markNoGradView() { noGradView = true; }

    public void setViewVersion(int v) { viewVersion = v; }

    public boolean retainsGrad() { return retainsGrad; }

    /** Flags a leaf; PyTorch's checks on who may call this live in {@link Tensor#requiresGrad_}. */
    public void setRequiresGrad(boolean r) { requiresGrad = r; }

    public void setGradFn(Node fn, int outputNr) {
        this.gradFn = fn;
        this.outputNr = outputNr;
    }
}
