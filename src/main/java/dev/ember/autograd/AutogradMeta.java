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
    /** The node whose hooks hold retain_grad's keeper of this tensor's {@code .grad}, or null. */
    Node retainedAt;
    /** The functions {@code register_hook} gave this tensor, or null before the first (see {@link TensorHook}). */
    TensorHook hooks;
    /** The tensor this one is a view of (the root base, never a view itself), or null. */
    Tensor base;
    /** For a view: how it was made, which decides whether it may be written in place or its history re-derived. */
    CreationMeta creationMeta = CreationMeta.DEFAULT;
    /** For a view: the storage version its history was derived at; another write makes it stale. */
    int viewVersion;

    /** A view also requires grad when its base does, even one made under no_grad, which has no history. */
    public boolean requiresGrad() { return requiresGrad || gradFn != null || (base != null && base.requiresGrad()); }

    public Node gradFn() { return gradFn; }

    public int outputNr() { return outputNr; }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) { grad = g; }

    public Tensor base() { return base; }

    public CreationMeta creationMeta() { return creationMeta; }

    /**
     * Makes this a view of {@code base} (whose own meta is {@code viewOf}'s: the view it was taken from, or the root),
     * made in the current grad mode: under no_grad it has no history, else it inherits the viewed tensor's kind.
     */
    public void setViewOf(Tensor root, AutogradMeta viewed, int version) {
        base = root;
        viewVersion = version;
        creationMeta = viewed.creationMeta.propagate(GradMode.isEnabled() ? CreationMeta.DEFAULT : CreationMeta.NO_GRAD_MODE);
    }

    /** One of several views one op returned (split, unbind): with grad on, PyTorch's CreationMeta::MULTI_OUTPUT_NODE. */
    public void markMultiOutputView() { if (GradMode.isEnabled()) creationMeta = CreationMeta.MULTI_OUTPUT_NODE; }

    /** A custom Function's output view: {@link CreationMeta#IN_CUSTOM_FUNCTION}, or MULTI_OUTPUT_NODE among several outputs. */
    void setCreationMeta(CreationMeta kind) { creationMeta = kind; }

    public int viewVersion() { return viewVersion; }

    public void setViewVersion(int v) { viewVersion = v; }

    public boolean retainsGrad() { return retainsGrad; }

    /** Flags a leaf; PyTorch's checks on who may call this live in {@link Tensor#requiresGrad_}. */
    public void setRequiresGrad(boolean r) { requiresGrad = r; }

    public void setGradFn(Node fn, int outputNr) {
        this.gradFn = fn;
        this.outputNr = outputNr;
    }
}
