package dev.ember.testing;

import dev.ember.autograd.Edge;
import dev.ember.autograd.Node;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** grad_fn names along a result's graph, as fixtures and the tests' PyTorch snippets record them. */
public final class GradFnChain {
    private GradFnChain() {}

    /** The first two names (fx_linalg.grad_fn_chain), e.g. {@code "ReshapeAliasBackward0/MmBackward0"}: the result's node, then its first input that is not a leaf. */
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

    /**
     * Every node's {@code type(fn).__name__} depth-first through next_functions, "None" for a missing edge; a node
     * seen before is named but not entered again.
     */
    public static List<String> depthFirst(Node fn) {
        List<String> out = new ArrayList<>();
        walk(fn, out, Collections.newSetFromMap(new IdentityHashMap<>()));
        return out;
    }

    private static void walk(Node fn, List<String> out, Set<Node> seen) {
        if (fn == null) {
            out.add("None");
            return;
        }
        out.add(fn.typeName());
        if (!seen.add(fn)) return;
        for (Edge e : fn.nextFunctions()) walk(e == null ? null : e.node(), out, seen);
    }
}
