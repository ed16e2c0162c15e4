package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/** A node made from a {@link BackwardFn} and the tensors it saved: how every differentiable op records itself. */
final class FunctionNode extends Node {
    private final BackwardFn fn;
    private final SavedTensor[] saved;
    private final OutputShapes outputs;

    FunctionNode(String name, Tensor[] inputs, Tensor[] outputs, Tensor[] toSave, BackwardFn fn) {
        super(name, inputs, outputs.length);
        this.fn = fn;
        this.saved = new SavedTensor[toSave.length];
        for (int i = 0; i < toSave.length; i++) saved[i] = new SavedTensor(toSave[i], outputIndex(outputs, toSave[i]));
        this.outputs = new OutputShapes(outputs);
    }

    /**
     * Which of this node's outputs {@code t} is, or -1: a saved output names this node in version errors, except an
     * output that is not differentiable (the indices of sort or max(dim)), for which PyTorch names no node.
     */
    private static int outputIndex(Tensor[] outputs, Tensor t) {
        for (int i = 0; i < outputs.length; i++) if (t != null && outputs[i] == t && t.dtype().isFloatingPoint()) return i;
        return -1;
    }

    /**
     * PyTorch's generated nodes unpack every tensor they saved before computing anything, so a freed graph or an
     * in-place change fails even for a saved tensor whose gradient no input needs now (what they did not save, as
     * {@link Autograd#savedFor} leaves out, cannot fail).
     */
    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        for (SavedTensor s : saved) s.unpack(this);
        return fn.apply(new BackwardContext(this, gradOutputs));
    }

    Tensor unpack(int i) { return saved[i].unpack(this); }

    /** Saves {@code to}, at its current version, wherever {@code from} was saved. */
    void resave(Tensor from, Tensor to) {
        for (int i = 0; i < saved.length; i++) if (saved[i].holds(from)) saved[i] = saved[i].replacedBy(to);
    }

    Tensor zerosForOutput(int i) {
        return outputs.zeros(i, DType.FLOAT32);
    }

    @Override
    protected void release() {
        for (SavedTensor s : saved) s.release();
    }
}
