package dev.ember.autograd;

import dev.ember.tensor.Layout;
import dev.ember.tensor.MemoryFormat;
import dev.ember.tensor.Tensor;

/** The sink of a leaf that requires grad: adds the incoming gradient into the leaf's {@code .grad}. */
public final class AccumulateGrad extends Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super("torch::autograd::AccumulateGrad", new Tensor[0], 1, Long.MAX_VALUE);
        this.variable = variable;
    }

    public Tensor variable() { return variable; }

    /** A leaf's hooks are its tensor's, as PyTorch's AccumulateGrad reads them, wherever they were first placed. */
    @Override
    void runHooks(Tensor[] grads) {
        TensorHook h = variable.meta().hooks;
        if (h != null && grads.length > 0 && grads[0] != null) grads[0] = h.apply(grads[0]);
    }

    /**
     * As PyTorch's: a leaf that stopped requiring grad since the graph was recorded (requires_grad_(False), detach_())
     * takes nothing, and one an in-place op has since given a history fails.
     */
    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) { return apply(gradOutputs, false); }

    /** {@code unshared}: the engine holds the only reference to the incoming gradient (PyTorch's use_count check). */
    Tensor[] apply(Tensor[] gradOutputs, boolean unshared) {
        if (variable.meta().gradFn() != null) throw new IllegalStateException("leaf variable has been moved into the graph interior");
        if (!variable.requiresGrad()) return new Tensor[0];
        accumulate(variable, gradOutputs[0], GradMode.isEnabled(), unshared);
        return new Tensor[0];
    }

    /**
     * PyTorch's accumulation: a first gradient that nothing else references and that obeys the gradient layout
     * contract is kept itself (stolen, so its {@code _version} stays 0); otherwise it is copied into a tensor laid out
     * by the contract. Later ones are added in place, or out of place when building a graph of the gradient (then the
     * first copy is recorded too, as {@code CopyBackwards}). A plain backward adds in place even into a {@code .grad}
     * that has a graph, which keeps its grad_fn, as PyTorch's.
     */
    private static void accumulate(Tensor variable, Tensor incoming, boolean createGraph, boolean unshared) {
        AutogradMeta meta = variable.meta();
        Tensor g = meta.grad;
        if (g == null) {
            boolean steal = !createGraph && unshared && obeysLayoutContract(incoming, variable.layout());
            meta.grad = steal ? incoming.detach() : obeyingLayoutContract(variable, createGraph ? incoming : incoming.detach());
        } else if (createGraph) {
            meta.grad = g.add(incoming);
        } else {
            try (var ng = GradMode.noGrad()) {
                g.add_(incoming);
            }
        }
    }

    /**
     * PyTorch's clone_obey_contract: a dense leaf's {@code .grad} has the leaf's strides (so an optimizer steps both in
     * the same memory order), written by copy_; any other leaf's is a row-major clone.
     */
    private static Tensor obeyingLayoutContract(Tensor variable, Tensor grad) {
        Layout l = variable.layout();
        if (!l.isNonOverlappingAndDense()) return grad.clone(MemoryFormat.CONTIGUOUS);
        return grad.newEmptyStrided(l.shape(), l.strides()).copy_(grad);
    }

    /** {@code utils::obeys_layout_contract}: a dense variable's strides (see below), else row-major. */
    private static boolean obeysLayoutContract(Tensor grad, Layout variable) {
        return variable.isNonOverlappingAndDense() ? obeysContract(grad.layout(), variable) : grad.isContiguous();
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
