package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backward function in the graph ({@code grad_fn}). It receives the gradients of its forward outputs and
 * returns the gradients of its forward inputs, which the engine routes along {@link #nextEdges}.
 * The engine, not each node, reduces a gradient that came back broadcast to its input's shape and casts
 * it to the input's dtype, as PyTorch's {@code validate_outputs} does.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    private final String name;
    final long sequenceNr;
    final Edge[] nextEdges;
    final int[][] inputShapes;
    final DType[] inputDtypes;
    final int numOutputs;
    /** Hooks on the gradients this node receives, in registration order; null until one is registered. */
    private List<TensorHook> hooks;

    protected Node(String name, Tensor[] inputs, int numOutputs) {
        this(name, inputs, numOutputs, SEQUENCE.getAndIncrement());
    }

    Node(String name, Tensor[] inputs, int numOutputs, long sequenceNr) {
        this.name = name;
        this.sequenceNr = sequenceNr;
        this.numOutputs = numOutputs;
        this.nextEdges = new Edge[inputs.length];
        this.inputShapes = new int[inputs.length][];
        this.inputDtypes = new DType[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null) continue;
            inputShapes[i] = t.shape();
            inputDtypes[i] = t.dtype();
            nextEdges[i] = gradientEdge(t);
        }
    }

    /** A node whose edges are given rather than taken from input tensors ({@link CopySlices} borrows its function's). */
    Node(String name, Edge[] nextEdges, int[][] inputShapes, DType[] inputDtypes, int numOutputs) {
        this.name = name;
        this.sequenceNr = SEQUENCE.getAndIncrement();
        this.numOutputs = numOutputs;
        this.nextEdges = nextEdges;
        this.inputShapes = inputShapes;
        this.inputDtypes = inputDtypes;
    }

    /** The edge a gradient for {@code t} must take, or null when {@code t} does not require grad. */
    static Edge gradientEdge(Tensor t) {
        AutogradMeta m = t.meta();
        if (t.gradFn() != null) return new Edge(m.gradFn, m.outputNr); // gradFn() first: a stale view re-derives
        if (m.requiresGrad) return new Edge(accumulator(t), 0);
        return null;
    }

    /** The sink a leaf's gradient flows into, made on first need and kept, so hooks on it survive. */
    static AccumulateGrad accumulator(Tensor t) {
        AutogradMeta m = t.meta();
        if (m.accumulator == null) m.accumulator = new AccumulateGrad(t);
        return m.accumulator;
    }

    void addHook(TensorHook h) {
        if (hooks == null) hooks = new ArrayList<>();
        hooks.add(h);
    }

    void removeHook(TensorHook h) {
        if (hooks != null) hooks.remove(h);
    }

    /** The retain_grad keeper of {@code t} on this node, or null. */
    TensorHook retainHook(Tensor t) {
        if (hooks != null) for (TensorHook h : hooks) if (h.retains == t) return h;
        return null;
    }

    /** Runs the hooks on the gradients this node received (defined ones only), each replacing its gradient. */
    void runHooks(Tensor[] grads) {
        if (hooks == null) return;
        for (TensorHook h : List.copyOf(hooks)) if (h.outputNr < grads.length && grads[h.outputNr] != null) grads[h.outputNr] = h.apply(grads[h.outputNr]);
    }

    /**
     * PyTorch's {@code grad_fn.name()}, which its error messages print: the generated functions' own name
     * ({@code AddBackward0}), and for the hand-written C++ nodes the demangled class name with its namespace
     * ({@code torch::autograd::CopySlices}, {@code torch::autograd::AccumulateGrad}).
     */
    public String name() { return name; }

    /** {@code type(grad_fn).__name__}: the Python class name, which drops a C++ node's namespace ({@code CopySlices}). */
    public String typeName() { return name.substring(name.lastIndexOf(':') + 1); }

    /** Gradient of forward outputs in, gradients of forward inputs out (null where an input needs none). */
    protected abstract Tensor[] apply(Tensor[] gradOutputs);

    /** Frees what was saved for backward; a later use raises PyTorch's "backward twice" error. */
    protected void release() {}

    /** Whether input {@code i} of the forward call needs a gradient, so backward can skip work. */
    public boolean needsInputGrad(int i) { return nextEdges[i] != null; }

    /** {@code grad_fn.next_functions}: the node and input number each input's gradient flows to. */
    public List<Edge> nextFunctions() {
        List<Edge> out = new ArrayList<>(nextEdges.length);
        for (Edge e : nextEdges) out.add(e);
        return out;
    }

    /**
     * As {@code repr(grad_fn)} without the address: the Python class name, which for C++ nodes drops the namespace
     * that {@link #name()} keeps ({@code <AccumulateGrad object at ...>} has the name
     * {@code torch::autograd::AccumulateGrad}).
     */
    @Override
    public String toString() { return "<" + typeName() + ">"; }
}
