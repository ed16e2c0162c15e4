package dev.ember.autograd;

import dev.ember.tensor.MemoryFormat;
import dev.ember.tensor.Tensor;

import java.util.function.UnaryOperator;

/**
 * A hook on one tensor's gradient, kept by the node that receives it (the tensor's grad_fn at output
 * {@code outputNr}, or a leaf's AccumulateGrad): a {@code register_hook} function, or retain_grad's keeper of
 * {@code .grad}. Both sit in one list in registration order, as PyTorch 1.13 keeps them, so a gradient retained
 * before a hook was registered is the one the hook had not yet changed.
 */
final class TensorHook {
    final int outputNr;
    private final UnaryOperator<Tensor> fn;
    /** For retain_grad: the non-leaf whose {@code .grad} the gradient accumulates into. */
    final Tensor retains;

    private TensorHook(int outputNr, UnaryOperator<Tensor> fn, Tensor retains) {
        this.outputNr = outputNr;
        this.fn = fn;
        this.retains = retains;
    }

    static TensorHook of(int outputNr, UnaryOperator<Tensor> fn) { return new TensorHook(outputNr, fn, null); }

    static TensorHook retaining(Tensor t, int outputNr) { return new TensorHook(outputNr, null, t); }

    /**
     * retain_grad's keeper, as PyTorch 1.13's: the first gradient is a contiguous clone, later ones are added out of
     * place, so a plain backward after one that built a graph leaves a {@code .grad} without one.
     */
    private void retain(Tensor grad) {
        Tensor had = retains.grad();
        retains.meta().setGrad(had == null ? grad.clone(MemoryFormat.CONTIGUOUS) : had.add(grad));
    }

    /** The gradient after this hook: the function's result, or the same gradient when it returns null. */
    Tensor apply(Tensor grad) {
        if (retains != null) {
            retain(grad);
            return grad;
        }
        Tensor replaced = fn.apply(grad);
        return replaced != null ? replaced : grad;
    }
}
