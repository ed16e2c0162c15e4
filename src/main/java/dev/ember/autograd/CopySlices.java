package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Layout;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * PyTorch's {@code CopySlices}: the history of a base after an in-place op wrote through one of its views
 * ({@code y[0].mul_(2)}). It wraps the in-place op's node {@code fn}, whose first input is the view: the base's
 * gradient passes through unchanged except in the view's region, which gets {@code fn}'s gradient for the view.
 * Its edges are the base's old one followed by {@code fn}'s other inputs, so {@code next_functions} reads as
 * PyTorch's, and {@code fn}'s edge to the view's old history is never followed (the base's edge covers it).
 */
final class CopySlices extends Node {
    private final Node fn;
    private final int[] baseShape, baseStrides;
    /** The view's geometry within a tensor laid out as the base with offset 0. */
    private final int[] viewShape, viewStrides;
    private final int viewOffset;

    CopySlices(Tensor base, Layout view, Node fn) {
        super("torch::autograd::CopySlices", edges(base, fn), shapes(base, fn), dtypes(base, fn), 1);
        this.fn = fn;
        Layout bl = base.layout();
        this.baseShape = bl.shape();
        this.baseStrides = bl.strides();
        this.viewShape = view.shape();
        this.viewStrides = view.strides();
        this.viewOffset = view.offset() - bl.offset();
    }

    private static Edge[] edges(Tensor base, Node fn) {
        Edge[] e = fn.nextEdges.clone();
        e[0] = gradientEdge(base);
        return e;
    }

    private static int[][] shapes(Tensor base, Node fn) {
        int[][] s = fn.inputShapes.clone();
        s[0] = base.shape();
        return s;
    }

    private static DType[] dtypes(Tensor base, Node fn) {
        DType[] d = fn.inputDtypes.clone();
        d[0] = base.dtype();
        return d;
    }

    /** Set by release: PyTorch's drops its wrapped node then, so running again fails even when that node saved nothing. */
    private boolean released;

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        if (released) throw new IllegalStateException(SavedTensor.BACKWARD_TWICE);
        Tensor grad = gradOutputs[0];
        // as PyTorch: a copy of the gradient laid out as the base, whose view region fn's gradient overwrites
        Tensor result = grad.newEmptyStrided(baseShape, baseStrides).copy_(grad);
        Tensor slice = result.asStrided(viewShape, viewStrides, viewOffset);
        Tensor[] res = fn.apply(new Tensor[] {slice.clone()});
        Tensor[] out = Arrays.copyOf(res, nextEdges.length);
        // only a base that wants a gradient has fn's written into its slice: a base that does not (an expanded view of
        // it filled from a value that requires grad) is never written, so its overlapping slice raises nothing
        if (!needsInputGrad(0)) {
            out[0] = null;
            return out;
        }
        if (res.length > 0 && res[0] != null) slice.copy_(Engine.conform(fn, 0, res[0]));
        else slice.zero_();
        out[0] = result;
        return out;
    }

    /** The wrapped node, or null once released. */
    Node wrapped() { return released ? null : fn; }

    @Override
    protected void release() {
        fn.release();
        released = true;
    }
}
