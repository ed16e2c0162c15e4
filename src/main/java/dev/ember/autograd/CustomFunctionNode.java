package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * The node of one call of a custom {@link Function} ({@code MyExpBackward}): it hands the output gradients to the
 * user's backward, zeros for outputs that got none unless the function asked otherwise, and checks that one
 * gradient (or null) came back per input, as PyTorch's {@code PyNode} does. The engine then conforms each
 * gradient to its input's shape and dtype.
 */
final class CustomFunctionNode extends Node {
    private final Function function;
    private final FunctionCtx ctx;
    private final OutputShapes outputShapes;
    private SavedTensor[] saved = new SavedTensor[0];

    CustomFunctionNode(String name, Edge[] edges, int[][] inputShapes, DType[] inputDtypes, Function function, FunctionCtx ctx, Tensor[] outputs) {
        super(name, edges, inputShapes, inputDtypes, outputs.length);
        this.function = function;
        this.ctx = ctx;
        this.outputShapes = new OutputShapes(outputs);
    }

    /** Saves what forward asked to keep: a tensor this node produced as its output (so a version error names it). */
    void save(Tensor[] tensors) {
        saved = new SavedTensor[tensors.length];
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            boolean output = t != null && t.meta().gradFn == this && t.isFloatingPoint();
            saved[i] = new SavedTensor(t, output ? t.meta().outputNr : -1);
        }
    }

    Tensor unpack(int i) { return saved[i].unpack(this); }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        Tensor[] grads = gradOutputs.clone();
        if (ctx.materializeGrads())
            for (int i = 0; i < grads.length; i++)
                if (grads[i] == null && outputShapes.has(i)) grads[i] = outputShapes.zeros(i, null); // an integer output's zeros are integers
        Tensor[] result;
        try (var user = Autograd.userCode()) {
            result = function.backward(ctx, grads);
        }
        return checkedCount(result == null ? new Tensor[0] : result);
    }

    /** One gradient per forward input; extra trailing entries are allowed when they are all null, as in Python. */
    private Tensor[] checkedCount(Tensor[] result) {
        int expected = nextEdges.length;
        if (result.length > expected) {
            for (int i = expected; i < result.length; i++) if (result[i] != null) throw wrongCount(expected, result.length);
            return java.util.Arrays.copyOf(result, expected);
        }
        if (result.length < expected) throw wrongCount(expected, result.length);
        return result;
    }

    private IllegalStateException wrongCount(int expected, int got) {
        return new IllegalStateException("function " + name() + " returned an incorrect number of gradients (expected " + expected + ", got " + got + ")");
    }

    @Override
    protected void release() {
        for (SavedTensor s : saved) s.release();
    }
}
