package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/** What a {@link BackwardFn} may read: output gradients, saved tensors, and which inputs need a gradient. */
public final class BackwardContext {
    private final FunctionNode node;
    private final Tensor[] grads;

    BackwardContext(FunctionNode node, Tensor[] grads) {
        this.node = node;
        this.grads = grads;
    }

    /** Gradient of the (first) output. Outputs that received no gradient read as zeros. */
    public Tensor grad() { return grad(0); }

    public Tensor grad(int output) {
        Tensor g = grads[output];
        return g != null ? g : node.zerosForOutput(output);
    }

    /** True when output {@code output} received a gradient (false means it is implicitly zero). */
    public boolean hasGrad(int output) { return grads[output] != null; }

    /** Saved tensor {@code i}, checked against in-place changes and a freed graph. */
    public Tensor saved(int i) { return node.unpack(i); }

    /**
     * Unpacks every saved tensor before the rule runs, as PyTorch's generated nodes do: only for rules that save exactly
     * what 1.13 saves ({@link Autograd#savedFor}), or a backward PyTorch runs would fail on a tensor it never saved.
     */
    public void unpackAll() { node.unpackAll(); }

    public boolean needs(int input) { return node.needsInputGrad(input); }

    /** Whether higher-order gradients are being built, for rules that would otherwise cut corners. */
    public boolean createGraph() { return GradMode.isEnabled(); }
}
