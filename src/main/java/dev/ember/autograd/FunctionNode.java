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
     * A saved tensor is unpacked (and its version checked) when a rule reads it. PyTorch's generated nodes unpack every
     * tensor they saved first, but they save only what the inputs that need a gradient read; Ember's rules save
     * more (mm, addcmul, linear... save both operands), so unpacking all of them would refuse backward passes PyTorch
     * runs. mul and div, which save as 1.13 does ({@link Autograd#savedFor}), call {@link BackwardContext#unpackAll}.
     */
    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        return fn.apply(new BackwardContext(this, gradOutputs));
    }

    Tensor unpack(int i) { return saved[i].unpack(this); }

    void unpackAll() {
        for (SavedTensor s : saved) s.unpack(this);
    }

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
