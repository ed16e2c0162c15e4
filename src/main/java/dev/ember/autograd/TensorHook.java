package dev.ember.autograd;

import dev.ember.tensor.MemoryFormat;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A hook on one tensor's gradient, kept by the node that receives it (the tensor's grad_fn at output
 * {@code outputNr}, or a leaf's AccumulateGrad): the tensor's {@code register_hook} functions, or retain_grad's keeper
 * of {@code .grad}. Each sits once in the node's list, placed when the tensor's first function (or retain_grad) was
 * registered, as PyTorch 1.13's tensor-wide hook dict and retain_grad hook are, so a gradient retained before the
 * first function was registered is the one no function has changed, and one retained after it is changed by all.
 */
final class TensorHook {
    final int outputNr;
    /**
     * The tensor's functions in registration order, as PyTorch's {@code _backward_hooks} dict: later ones join the
     * list wherever it was placed (the grad_fn the tensor had at the first, even after an in-place op gave it another),
     * and a leaf's AccumulateGrad reads it from the tensor, so it follows a tensor that detach_() made a leaf.
     */
    private final List<UnaryOperator<Tensor>> fns;
    /** For retain_grad: the non-leaf whose {@code .grad} the gradient accumulates into. */
    final Tensor retains;

    private TensorHook(int outputNr, List<UnaryOperator<Tensor>> fns, Tensor retains) {
        this.outputNr = outputNr;
        this.fns = fns;
        this.retains = retains;
    }

    static TensorHook functions(int outputNr) { return new TensorHook(outputNr, new ArrayList<>(), null); }

    static TensorHook retaining(Tensor t, int outputNr) { return new TensorHook(outputNr, null, t); }

    /** Adds {@code fn} after the functions already registered; the handle takes it out again. */
    RemovableHandle add(UnaryOperator<Tensor> fn) {
        // an entry object of its own, so that a handle removes its own registration of a function registered twice
        UnaryOperator<Tensor> entry = fn::apply;
        fns.add(entry);
        return new RemovableHandle(() -> fns.remove(entry));
    }

    /**
     * retain_grad's keeper, as PyTorch 1.13's: the first gradient is a contiguous clone, later ones are added out of
     * place, so a plain backward after one that built a graph leaves a {@code .grad} without one.
     */
    private void retain(Tensor grad) {
        Tensor had = retains.grad();
        retains.meta().setGrad(had == null ? grad.clone(MemoryFormat.CONTIGUOUS) : had.add(grad));
    }

    /** The gradient after this hook: each function's result in turn, or the same gradient where one returns null. */
    Tensor apply(Tensor grad) {
        if (retains != null) {
            retain(grad);
            return grad;
        }
        for (UnaryOperator<Tensor> fn : List.copyOf(fns)) {
            Tensor replaced = fn.apply(grad);
            if (replaced != null) grad = replaced;
        }
        return grad;
    }
}
