package dev.ember.autograd;

import dev.ember.tensor.Tensor;

import java.util.HashMap;
import java.util.Map;

/**
 * The {@code ctx} a custom {@link Function}'s forward and backward share: the tensors saved for backward, which
 * inputs need a gradient, the outputs marked dirty or non-differentiable, and any other state of the call (what a
 * Python Function keeps as {@code ctx.k = k}).
 */
public final class FunctionCtx {
    private final boolean[] needsInputGrad;
    private Tensor[] toSave = new Tensor[0];
    private Tensor[] dirty = new Tensor[0];
    private Tensor[] nonDifferentiable = new Tensor[0];
    private boolean materializeGrads = true;
    private final Map<String, Object> state = new HashMap<>();
    /** Set once forward has returned and the call recorded a node; its saved tensors are read through it. */
    private CustomFunctionNode node;

    FunctionCtx(Tensor[] inputs) {
        needsInputGrad = new boolean[inputs.length];
        for (int i = 0; i < inputs.length; i++) needsInputGrad[i] = inputs[i] != null && inputs[i].requiresGrad();
    }

    /** {@code ctx.save_for_backward(*tensors)}: kept with their versions, as PyTorch keeps an op's saved tensors. */
    public void saveForBackward(Tensor... tensors) { toSave = tensors.clone(); }

    /**
     * {@code ctx.saved_tensors}, in backward: each checked against in-place changes since it was saved, and gone once
     * the graph was freed (a second backward without {@code retainGraph} fails here, with PyTorch's message).
     */
    public Tensor[] savedTensors() {
        if (node == null) return toSave.clone();
        Tensor[] out = new Tensor[toSave.length];
        for (int i = 0; i < out.length; i++) out[i] = node.unpack(i);
        return out;
    }

    /**
     * {@code ctx.needs_input_grad[i]}: whether input {@code i} requires grad. As PyTorch's, it reads the input's flag
     * also under no_grad, where the call records nothing.
     */
    public boolean needsInputGrad(int i) { return needsInputGrad[i]; }

    /** {@code ctx.mark_dirty(*tensors)}: forward wrote these inputs in place and returns them. */
    public void markDirty(Tensor... tensors) { dirty = tensors.clone(); }

    /** {@code ctx.mark_non_differentiable(*tensors)}: these outputs get no grad_fn, and backward sees zeros for them. */
    public void markNonDifferentiable(Tensor... tensors) { nonDifferentiable = tensors.clone(); }

    /**
     * {@code ctx.set_materialize_grads(value)}: with false, backward receives null for an output that got no gradient
     * instead of zeros of its shape.
     */
    public void setMaterializeGrads(boolean value) { materializeGrads = value; }

    /** Keeps a value for backward under {@code key} ({@code ctx.key = value}). */
    public void put(String key, Object value) { state.put(key, value); }

    /** The value {@link #put} kept under {@code key}, or null. */
    @SuppressWarnings("unchecked")
    public <T> T get(String key) { return (T) state.get(key); }

    Tensor[] toSave() { return toSave; }

    boolean isDirty(Tensor t) { return contains(dirty, t); }

    Tensor[] dirty() { return dirty; }

    boolean isNonDifferentiable(Tensor t) { return contains(nonDifferentiable, t); }

    boolean materializeGrads() { return materializeGrads; }

    void bind(CustomFunctionNode node) { this.node = node; }

    private static boolean contains(Tensor[] ts, Tensor t) {
        for (Tensor x : ts) if (x == t) return true;
        return false;
    }
}
