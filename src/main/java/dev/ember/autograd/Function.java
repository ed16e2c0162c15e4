package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * {@code torch.autograd.Function}: an op whose forward and backward the user writes. Subclass it, implement both, and
 * call {@link #apply}:
 * <pre>{@code
 * final class MyExp extends Function {
 *     protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
 *         Tensor result = in[0].exp();
 *         ctx.saveForBackward(result);
 *         return new Tensor[] {result};
 *     }
 *     protected Tensor[] backward(FunctionCtx ctx, Tensor... grad) {
 *         return new Tensor[] {grad[0].mul(ctx.savedTensors()[0])};
 *     }
 * }
 * Tensor y = new MyExp().apply(x)[0];   // y.gradFn() is <MyExpBackward>
 * }</pre>
 * Arguments that are not tensors are the subclass's fields, or go through {@link FunctionCtx#put}. The semantics are
 * PyTorch 1.13's: forward runs under no_grad; an input returned as-is comes back as a view of it; inputs written in
 * place must be marked dirty and returned; outputs marked non-differentiable, and integer outputs, get no grad_fn;
 * backward returns one gradient (or null) per input, which the engine sums to the input's shape where it came back
 * broadcast and casts to its dtype; a backward written in tensor ops can be differentiated again.
 */
public abstract class Function {
    private static final String DIRTY_NOT_RETURNED = "Some elements marked as dirty during the forward method were not returned as output. "
            + "The inputs that are modified inplace must all be outputs of the Function.";
    private static final String DIRTY_VIEW_WITH_OUTPUTS = "If your Function modifies inplace an input that is a view of another Tensor, your "
            + "Function cannot return more than one Tensor. This is not supported by the current autograd engine. You should either make sure "
            + "the input is not a view (using .clone() for example) or make your Function only return one Tensor (potentially splitting it into "
            + "two Functions: one doing the inplace that returns a single Tensor and a second one that does the other operations). You can ask on "
            + "the forum https://discuss.pytorch.org/ if you need help to do this change.";

    /** Computes the outputs, under no_grad. Inputs may be null (an optional argument). */
    protected abstract Tensor[] forward(FunctionCtx ctx, Tensor... inputs);

    /**
     * Given one gradient per output (zeros for an output that got none, unless {@link FunctionCtx#setMaterializeGrads}
     * was set false, then null), returns one per input: null where an input gets none.
     */
    protected abstract Tensor[] backward(FunctionCtx ctx, Tensor... gradOutputs);

    /**
     * The grad_fn's name: as PyTorch's, the class name followed by {@code Backward}. An anonymous class has no name of
     * its own and takes its binary name ({@code Outer$1Backward}).
     */
    protected String nodeName() {
        Class<?> c = getClass();
        String simple = c.getSimpleName();
        return (simple.isEmpty() ? c.getName().substring(c.getName().lastIndexOf('.') + 1) : simple) + "Backward";
    }

    /** {@code MyFunction.apply(*inputs)}: runs forward and records the call when grad mode is on and an input requires grad. */
    public final Tensor[] apply(Tensor... inputs) {
        FunctionCtx ctx = new FunctionCtx(inputs);
        boolean executable = Autograd.isRecording(inputs);
        // the edges are taken before forward runs: a dirty input's history is rebased onto this call afterwards
        Edge[] edges = new Edge[inputs.length];
        int[][] shapes = new int[inputs.length][];
        DType[] dtypes = new DType[inputs.length];
        for (int i = 0; executable && i < inputs.length; i++) {
            if (inputs[i] == null) continue;
            edges[i] = Node.gradientEdge(inputs[i]);
            shapes[i] = inputs[i].shape();
            dtypes[i] = inputs[i].dtype();
        }
        Tensor[] outputs;
        try (var noGrad = GradMode.noGrad(); var user = Autograd.userCode()) {
            outputs = forward(ctx, inputs);
        }
        outputs = outputs == null ? new Tensor[0] : outputs.clone();
        for (Tensor d : ctx.dirty()) d.bumpVersion(); // PyTorch's _mark_dirty, through the tensor's version counter
        for (Tensor d : ctx.dirty()) if (indexOf(outputs, d) < 0) throw new IllegalStateException(DIRTY_NOT_RETURNED);
        CustomFunctionNode node = executable ? new CustomFunctionNode(nodeName(), edges, shapes, dtypes, this, ctx, outputs) : null;
        int differentiable = 0;
        for (int i = 0; i < outputs.length; i++) {
            if (outputs[i] == null) continue;
            boolean isDifferentiable = node != null && !ctx.isNonDifferentiable(outputs[i]) && outputs[i].isFloatingPoint();
            outputs[i] = wrap(outputs[i], i, indexOf(inputs, outputs[i]) >= 0, ctx.isDirty(outputs[i]), isDifferentiable, node, outputs.length);
            if (isDifferentiable) differentiable++;
        }
        if (differentiable > 1)
            for (Tensor out : outputs) if (out != null && out.meta().base() != null) out.meta().setCreationMeta(CreationMeta.MULTI_OUTPUT_NODE);
        if (node != null) {
            node.save(ctx.toSave());
            ctx.bind(node);
        }
        return outputs;
    }

    /** PyTorch's {@code _wrap_outputs} for one output: its history, or why it has none. */
    private static Tensor wrap(Tensor out, int nr, boolean isInput, boolean modified, boolean differentiable, CustomFunctionNode node, int outputs) {
        if (!differentiable) {
            if (!out.requiresGrad()) out = isInput && !modified ? viewOfSelf(out) : out;
            else if (isInput) out = out.detach(); // an alias, rather than changing the input's own requires_grad
        } else if (modified) {
            if (out.isLeaf() && out.requiresGrad())
                throw new IllegalStateException("a leaf Variable that requires grad has been used in an in-place operation.");
            if (out.meta().base() == null) {
                Autograd.rebaseHistory(out, node, nr);
            } else {
                if (outputs > 1) throw new IllegalStateException(DIRTY_VIEW_WITH_OUTPUTS);
                rebaseView(out, node);
            }
            return out;
        } else {
            if (isInput) out = viewOfSelf(out);
            out.meta().setGradFn(node, nr);
        }
        if (out.meta().base() != null) out.meta().setCreationMeta(CreationMeta.IN_CUSTOM_FUNCTION);
        return out;
    }

    /** An input returned as-is comes back as a new view of it, so that its own history stays untouched. */
    private static Tensor viewOfSelf(Tensor t) {
        try (var noGrad = GradMode.noGrad()) {
            return t.viewAs(t);
        }
    }

    /** A dirty view: its base's history becomes a CopySlices around this call, and the view's is re-derived from it. */
    private static void rebaseView(Tensor view, Node node) {
        Autograd.checkViewRebase(view.meta(), false);
        Autograd.copySlices(view.meta().base(), view, node);
        view.meta().setViewVersion(-1);
        view.gradFn();
    }

    private static int indexOf(Tensor[] ts, Tensor t) {
        for (int i = 0; i < ts.length; i++) if (ts[i] == t) return i;
        return -1;
    }
}
