package dev.ember.autograd;

import dev.ember.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A tensor kept for backward, with the version it had when saved. Unpacking after the graph was freed or
 * after an in-place change raises PyTorch's errors with PyTorch's text.
 */
public final class SavedTensor {
    static final String BACKWARD_TWICE = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). "
            + "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
            + "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";

    private Tensor tensor;
    private int savedVersion;
    /**
     * The shape when saved: PyTorch keeps a saved output as a shallow copy of its TensorImpl, so its version error
     * names that shape even after an in-place view op (unsqueeze_, t_) changed the output's own.
     */
    private final int[] savedShape;
    /** The owner's output index when the owner saved its own output, else -1. */
    private final int ownerOutputNr;
    /** Whether this is the owner's output as recorded, not the tensor an in-place op wrote it into (see {@link #replacedBy}). */
    private final boolean asRecorded;
    private boolean released;
    /**
     * For an in-place op's output that is a view, the view's grad_fn right after the op rebased it (AsStridedBackward0
     * over the base's CopySlices): PyTorch's SavedVariable keeps it (is_inplace_on_view) and names it in version errors.
     */
    private final Node viewFn;
    private final int viewOutputNr;
    /** Whether a tensor was saved at all: like PyTorch's default-constructed SavedVariable, an empty slot never fails. */
    private final boolean defined;

    SavedTensor(Tensor tensor, int ownerOutputNr) { this(tensor, ownerOutputNr, true); }

    private SavedTensor(Tensor tensor, int ownerOutputNr, boolean asRecorded) {
        if (tensor != null && tensor.isInference()) throw new IllegalStateException(InferenceMode.NOT_SAVED);
        this.asRecorded = asRecorded;
        this.tensor = tensor;
        this.defined = tensor != null;
        this.savedVersion = tensor == null ? 0 : tensor.version();
        this.savedShape = tensor == null ? null : tensor.shape();
        this.ownerOutputNr = ownerOutputNr;
        boolean inplaceOnView = !asRecorded && ownerOutputNr >= 0 && tensor != null && tensor.meta().base() != null;
        this.viewFn = inplaceOnView ? tensor.gradFn() : null;
        this.viewOutputNr = inplaceOnView ? tensor.meta().outputNr : 0;
    }

    Tensor unpack(Node owner) {
        if (!defined) return null;
        if (released) throw new IllegalStateException(BACKWARD_TWICE);
        if (tensor.version() != savedVersion) {
            // PyTorch names the saving node for a saved output (y = x.exp(); y.add_(1) reports ExpBackward0), and the
            // tensor's current grad_fn for a saved input, and for a saved output that cannot require grad (sort's
            // indices), which PyTorch keeps like an input
            AutogradMeta m = tensor.meta();
            boolean output = ownerOutputNr >= 0 && tensor.isFloatingPoint();
            String producer = output && viewFnHeld() ? ", which is output " + viewOutputNr + " of " + viewFn.name() + ","
                    : output ? ", which is output " + ownerOutputNr + " of " + owner.name() + ","
                    : tensor.gradFn() != null ? ", which is output " + m.outputNr + " of " + m.gradFn.name() + "," : "";
            throw new IllegalStateException("one of the variables needed for gradient computation has been modified by an inplace operation: ["
                    + tensor.dtype().cpuTypeString() + " " + dev.ember.tensor.Shape.str(output ? savedShape : tensor.shape()) + "]" + producer
                    + " is at version " + tensor.version() + "; expected version " + savedVersion + " instead. "
                    + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        }
        if (asRecorded && ownerOutputNr >= 0) {
            // PyTorch keeps a saved output without its grad_fn (that would be a cycle) and unpacks it as a new tensor with
            // the owner's, so an output detached in place since (detach_()) still leads a double-backward graph into this
            // node, and a node that saves the unpacked tensor names this one in its version error even after the output
            // itself was changed in place and took another grad_fn
            Tensor alias = tensor.detach();
            alias.meta().setGradFn(owner, ownerOutputNr);
            return alias;
        }
        return tensor;
    }


    /**
     * PyTorch keeps {@link #viewFn} by a weak reference, so it names it only while something still holds it. Here that
     * is a node reachable from the base's history (a later in-place op on the view, wrapped by a CopySlices not yet
     * released, has an edge to it). The view tensor itself would hold it too while the caller keeps the view, which Java
     * cannot tell from a dropped temporary ({@code y[1].exp_()}, the common case), so that holder is not counted.
     */
    private boolean viewFnHeld() {
        if (viewFn == null) return false;
        ArrayDeque<Node> todo = new ArrayDeque<>();
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Node baseFn = tensor.meta().base().meta().gradFn;
        if (baseFn != null) todo.push(baseFn);
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (n == viewFn) return true;
            if (!seen.add(n)) continue;
            for (Edge e : n.nextEdges) if (e != null) todo.push(e.node());
            if (n instanceof CopySlices c && c.wrapped() != null) todo.push(c.wrapped());
        }
        return false;
    }

    boolean holds(Tensor t) { return tensor == t && t != null; }

    SavedTensor replacedBy(Tensor t) { return new SavedTensor(t, ownerOutputNr, false); }

    void release() {
        tensor = null;
        released = true;
    }
}
