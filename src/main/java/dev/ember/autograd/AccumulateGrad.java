package dev.ember.autograd;

import dev.ember.tensor.Layout;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/** The sink of a leaf that requires grad: adds the incoming gradient into the leaf's {@code .grad}. */
public final class AccumulateGrad extends Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super("torch::autograd::AccumulateGrad", new Tensor[0], 1, Long.MAX_VALUE);
        this.variable = variable;
    }

    public Tensor variable() { return variable; }

    /**
     * As PyTorch's: a leaf that stopped requiring grad since the graph was recorded (requires_grad_(False), detach_())
     * takes nothing, and one an in-place op has since given a history fails.
     */
    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        if (variable.meta().gradFn() != null) throw new IllegalStateException("leaf variable has been moved into the graph interior");
        if (!variable.requiresGrad()) return new Tensor[0];
        accumulate(variable, gradOutputs[0], GradMode.isEnabled());
        return new Tensor[0];
    }

    /**
     * PyTorch's accumulation: the first gradient is copied into a tensor laid out by the gradient layout contract,
     * later ones are added in place, or out of place when building a graph of the gradient (then the first copy is
     * recorded too, as {@code CopyBackwards}). A plain backward adds in place even into a {@code .grad} that has a
     * graph, which keeps its grad_fn, as PyTorch's.
     */
    private static void accumulate(Tensor variable, Tensor incoming, boolean createGraph) {
        AutogradMeta meta = variable.meta();
        Tensor g = meta.grad;
        if (g == null) {
            meta.grad = obeyingLayoutContract(variable, createGraph ? incoming : incoming.detach());
        } else if (createGraph) {
            meta.grad = g.add(incoming);
        } else {
            try (var ng = GradMode.noGrad()) {
                g.add_(incoming);
            }
        }
    }

    /**
     * The gradient layout contract: a dense leaf's {@code .grad} has the leaf's strides (so an optimizer steps both in
     * the same memory order), any other leaf's is row-major.
     */
    private static Tensor obeyingLayoutContract(Tensor variable, Tensor grad) {
        Layout l = variable.layout();
        int[] strides = l.isNonOverlappingAndDense() ? l.strides() : Shape.contiguousStrides(l.shape());
        // PyTorch keeps the incoming gradient itself when it already obeys the contract, and the contract leaves
        // the strides of size-1 dims free: those then are the incoming gradient's (a copy of it here)
        if (l.isNonOverlappingAndDense() && obeysContract(grad.layout(), l)) strides = grad.strides();
        return grad.newEmptyStrided(l.shape(), strides).copy_(grad);
    }

    /** {@code utils::obeys_layout_contract} for a dense variable: same strides except on size-1 dims, none 0 there. */
    private static boolean obeysContract(Layout grad, Layout variable) {
        int[] size = variable.shape(), gs = grad.strides(), vs = variable.strides();
        if (!java.util.Arrays.equals(grad.shape(), size)) return false;
        for (int i = 0; i < size.length; i++) {
            if (size[i] != 1 ? gs[i] != vs[i] : gs[i] == 0 || vs[i] == 0) return false;
        }
        return true;
    }
}
