package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/** The sink of a leaf that requires grad: adds the incoming gradient into the leaf's {@code .grad}. */
public final class AccumulateGrad extends Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super("torch::autograd::AccumulateGrad", new Tensor[0], 1, Long.MAX_VALUE);
        this.variable = variable;
    }

    public Tensor variable() { return variable; }

    @Override
    protected Tensor[] apply(Tensor[] gradOutputs) {
        accumulate(variable.meta(), gradOutputs[0], GradMode.isEnabled());
        return new Tensor[0];
    }

    /**
     * PyTorch's accumulation: the first gradient is stored (copied when it may alias another tensor or is
     * not dense), later ones are added in place, or out of place when building a graph of the gradient.
     */
    static void accumulate(AutogradMeta meta, Tensor incoming, boolean createGraph) {
        Tensor g = meta.grad;
        if (g == null) {
            meta.grad = createGraph ? incoming : incoming.detach().clone();
        } else if (createGraph || g.requiresGrad()) {
            meta.grad = g.add(incoming);
        } else {
            try (var ng = GradMode.noGrad()) {
                g.add_(incoming);
            }
        }
    }
}
