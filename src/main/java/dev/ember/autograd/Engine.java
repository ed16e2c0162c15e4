package dev.ember.autograd;

import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Runs backward over the recorded graph. Iterative throughout (discovery, pruning, execution) so that
 * graphs of any depth run without growing the Java stack. Ready nodes run newest-first by sequence
 * number, the order PyTorch's CPU engine uses, so gradients are summed in the same order.
 */
final class Engine {
    private Engine() {}

    /** A gradient to capture instead of (or before) passing it on: input {@code inputNr} of {@code node}. */
    record Capture(Node node, int inputNr) {
        /**
         * The capture of a tensor's gradient edge. A tensor that requires grad only through its base (a view made under
         * no_grad) has none, and receives no gradient, as PyTorch's Identity placeholder.
         */
        static Capture of(Edge e) { return e == null ? new Capture(null, 0) : new Capture(e.node(), e.inputNr()); }
    }

    /** The edges backward starts from; every root must be part of a graph. */
    static Edge[] rootEdges(Tensor[] roots) {
        Edge[] rootEdges = new Edge[roots.length];
        for (int i = 0; i < roots.length; i++) {
            rootEdges[i] = Node.gradientEdge(roots[i]);
            if (rootEdges[i] == null)
                throw new IllegalStateException("element " + i + " of tensors does not require grad and does not have a grad_fn");
        }
        return rootEdges;
    }

    /**
     * Backpropagates {@code grads} from {@code roots}, whose {@link #rootEdges} the caller has taken. When
     * {@code captures} is null, leaves accumulate into {@code .grad}; otherwise only the nodes leading to a capture
     * run. With {@code accumulate} (backward's inputs=) the captures' own nodes run too, as in a full backward;
     * without (autograd.grad) accumulators do not, and the captured gradients are returned in capture order.
     */
    static Tensor[] run(Tensor[] roots, Edge[] rootEdges, Tensor[] grads, boolean keepGraph, boolean createGraph, Capture[] captures,
                        boolean accumulate) {
        GraphRoot root = new GraphRoot(roots, grads);

        // Discover the graph and count, for every node, how many edges lead into it.
        Map<Node, Integer> deps = new IdentityHashMap<>();
        Map<Node, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        stack.push(root);
        seen.put(root, true);
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Edge e : n.nextEdges) {
                if (e == null) continue;
                deps.merge(e.node(), 1, Integer::sum);
                if (seen.put(e.node(), true) == null) stack.push(e.node());
            }
        }

        Map<Node, Boolean> needed = null;
        Tensor[] captured = null;
        Map<Node, int[]> captureIndex = null;
        if (captures != null) {
            captured = new Tensor[captures.length];
            captureIndex = new IdentityHashMap<>();
            for (int i = 0; i < captures.length; i++) {
                Capture c = captures[i];
                int[] prev = captureIndex.get(c.node());
                int[] next = prev == null ? new int[] {i} : Arrays.copyOf(prev, prev.length + 1);
                if (prev != null) next[prev.length] = i;
                captureIndex.put(c.node(), next);
            }
            needed = neededNodes(seen, captures);
            deps = countNeededDeps(seen, needed);
        }

        // gradients referenced beyond the one input buffer they go to (PyTorch's use_count): the seeds, which the caller
        // holds, and any a node passed to several inputs; an AccumulateGrad copies these rather than keeping them
        Map<Tensor, Boolean> shared = new IdentityHashMap<>();
        for (Tensor g : grads) if (g != null) shared.put(g, true);
        Map<Node, Tensor[]> buffers = new IdentityHashMap<>();
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
        ready.add(root);
        try (var mode = GradMode.set(createGraph)) {
            while (!ready.isEmpty()) {
                Node node = ready.poll();
                Tensor[] inGrads = node == root ? new Tensor[0] : buffers.remove(node);
                if (inGrads == null) inGrads = new Tensor[node.numOutputs];
                if (captures != null && !accumulate) { // captured before the hooks run, as PyTorch's; a node that need not run runs none
                    int[] idx = captureIndex.get(node);
                    if (idx != null) for (int k : idx) captured[k] = inGrads[captures[k].inputNr()];
                    if (node instanceof AccumulateGrad || !leadsToNeeded(node, needed)) continue;
                }
                node.runHooks(inGrads);
                // a node reached only by undefined (null) gradients passes none on, as PyTorch's nodes do
                Tensor[] outGrads = node != root && noGrads(inGrads) ? new Tensor[0] : applyRule(node, inGrads, shared);
                if (!keepGraph) node.release();
                markRepeated(node, outGrads, shared);
                for (int i = 0; i < node.nextEdges.length; i++) {
                    Edge e = node.nextEdges[i];
                    if (e == null || (needed != null && !needed.containsKey(e.node()))) continue;
                    Tensor g = i < outGrads.length ? outGrads[i] : null;
                    if (g != null) {
                        g = conform(node, i, g);
                        Tensor[] buf = buffers.computeIfAbsent(e.node(), k -> new Tensor[k.numOutputs]);
                        int at = e.inputNr();
                        buf[at] = buf[at] == null ? g : buf[at].add(g);
                    }
                    int left = deps.merge(e.node(), -1, Integer::sum);
                    if (left == 0) {
                        if (!buffers.containsKey(e.node())) buffers.put(e.node(), new Tensor[e.node().numOutputs]);
                        ready.add(e.node());
                    }
                }
            }
        }
        return captured;
    }

    private static Tensor[] applyRule(Node node, Tensor[] grads, Map<Tensor, Boolean> shared) {
        try (var rule = Autograd.backwardRule()) {
            if (node instanceof AccumulateGrad acc) return acc.apply(grads, !shared.containsKey(grads[0]));
            return node.apply(grads);
        }
    }

    /** Marks as shared each gradient {@code node} passes to more than one input. */
    private static void markRepeated(Node node, Tensor[] outGrads, Map<Tensor, Boolean> shared) {
        for (int i = 0; i < outGrads.length && i < node.nextEdges.length; i++) {
            if (outGrads[i] == null || node.nextEdges[i] == null) continue;
            for (int j = i + 1; j < outGrads.length && j < node.nextEdges.length; j++)
                if (outGrads[j] == outGrads[i] && node.nextEdges[j] != null) shared.put(outGrads[i], true);
        }
    }

    private static boolean noGrads(Tensor[] grads) {
        for (Tensor g : grads) if (g != null) return false;
        return true;
    }

    /** PyTorch's validate_outputs: a gradient that came back broadcast is summed to the input's shape and cast to its dtype. */
    static Tensor conform(Node node, int i, Tensor g) {
        int[] want = node.inputShapes[i];
        if (!Arrays.equals(g.shape(), want)) {
            if (!Shape.expandable(want, g.shape()))
                throw new IllegalStateException("Function " + node.name() + " returned an invalid gradient at index " + i + " - got "
                        + Shape.str(g.shape()) + " but expected shape compatible with " + Shape.str(want));
            g = g.sumTo(want);
        }
        if (g.dtype() != node.inputDtypes[i]) g = g.to(node.inputDtypes[i]);
        return g;
    }


    private static boolean leadsToNeeded(Node node, Map<Node, Boolean> needed) {
        for (Edge e : node.nextEdges) if (e != null && needed.containsKey(e.node())) return true;
        return false;
    }

    /** Nodes from which some capture is reachable: only they need to run for {@code autograd.grad}. */
    private static Map<Node, Boolean> neededNodes(Map<Node, Boolean> all, Capture[] captures) {
        Map<Node, java.util.List<Node>> parents = new IdentityHashMap<>();
        for (Node n : all.keySet())
            for (Edge e : n.nextEdges) if (e != null) parents.computeIfAbsent(e.node(), k -> new java.util.ArrayList<>()).add(n);
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        ArrayDeque<Node> todo = new ArrayDeque<>();
        for (Capture c : captures) if (all.containsKey(c.node()) && needed.put(c.node(), true) == null) todo.push(c.node());
        while (!todo.isEmpty()) {
            for (Node p : parents.getOrDefault(todo.pop(), java.util.List.of())) if (needed.put(p, true) == null) todo.push(p);
        }
        return needed;
    }

    private static Map<Node, Integer> countNeededDeps(Map<Node, Boolean> all, Map<Node, Boolean> needed) {
        Map<Node, Integer> deps = new IdentityHashMap<>();
        for (Node n : all.keySet()) {
            if (!needed.containsKey(n)) continue;
            for (Edge e : n.nextEdges) if (e != null && needed.containsKey(e.node())) deps.merge(e.node(), 1, Integer::sum);
        }
        return deps;
    }

    /** The synthetic first node: hands each root its seed gradient. */
    private static final class GraphRoot extends Node {
        private final Tensor[] grads;

        GraphRoot(Tensor[] roots, Tensor[] grads) {
            super("torch::autograd::GraphRoot", roots, 0, Long.MAX_VALUE);
            this.grads = grads;
        }

        @Override
        protected Tensor[] apply(Tensor[] gradOutputs) { return grads; }
    }
}
