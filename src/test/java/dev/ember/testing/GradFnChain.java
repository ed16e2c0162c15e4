package dev.ember.testing;

import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** The first two grad_fn names along a result's graph, as fixtures record them (fx_linalg.grad_fn_chain). */
public final class GradFnChain {
    private GradFnChain() {}

    /** E.g. {@code "ReshapeAliasBackward0/MmBackward0"}: the result's node, then its first input that is not a leaf. */
    public static String of(Tensor t) {
        List<String> names = new ArrayList<>();
        Node f = t.gradFn();
        while (f != null && names.size() < 2) {
            names.add(f.name());
            f = f.nextFunctions().stream().filter(e -> e != null && !e.node().name().equals("torch::autograd::AccumulateGrad"))
                    .map(Edge::node).findFirst().orElse(null);
        }
        return String.join("/", names);
    }
}
