package dev.ember.autograd;

import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * {@code torch.autograd}: recording ops into the graph, {@link #backward} and {@link #grad}.
 *
 * <p>Ops record themselves with {@link #record}: the forward result, the inputs, the tensors the backward
 * rule needs, and the rule. Nothing is recorded when grad mode is off or no input requires grad.
 */
public final class Autograd {
    private Autograd() {}

    private static final ThreadLocal<boolean[]> IN_BACKWARD_RULE = ThreadLocal.withInitial(() -> new boolean[1]);

    /**
     * True while a node's backward rule runs. PyTorch's rules are C++, where {@code grad * 2} is the Scalar overload
     * ({@code MulBackward1}, one edge), while Python wraps the number as a tensor ({@code MulBackward0}, two edges):
     * ops with a number operand record the C++ node here, so double-backward graphs carry PyTorch's names.
     */
    public static boolean inBackwardRule() { return IN_BACKWARD_RULE.get()[0]; }

    /**
     * Marks one of PyTorch's C++ composites running until closed (cross_entropy's {@code (1 - label_smoothing) * nll}):
     * its number operands take the Scalar overloads, as in a backward rule.
     */
    public static GradMode.Scope cppComposite() { return backwardRule(); }

    /** Marks a backward rule running until closed; hooks and user code run outside it. */
    static GradMode.Scope backwardRule() { return inBackwardRule(true); }

    /** Marks user code running until closed (a custom {@link Function}'s forward or backward), which is Python in PyTorch. */
    static GradMode.Scope userCode() { return inBackwardRule(false); }

    private static GradMode.Scope inBackwardRule(boolean value) {
        boolean[] cell = IN_BACKWARD_RULE.get();
        boolean previous = cell[0];
        cell[0] = value;
        return () -> cell[0] = previous;
    }

    /** True when an op on these inputs must record a node. */
    public static boolean isRecording(Tensor... inputs) {
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return GradMode.isEnabled();
        return false;
    }

    public static boolean isRecording(Tensor a) { return a.requiresGrad() && GradMode.isEnabled(); }

    /**
     * Records a single-output op; returns {@code out} (now with its grad_fn) for chaining. An integer or bool
     * result ({@code x.sum(dtype=torch.int64)}) is not differentiable and gets none, as a cast to one does.
     */
    public static Tensor record(String name, Tensor out, Tensor[] inputs, Tensor[] saved, BackwardFn fn) {
        if (!isRecording(inputs) || !out.dtype().isFloatingPoint()) return out;
        return attach(name, out, inputs, saved, fn);
    }

    /**
     * {@code tensor} to save when {@code input}'s gradient will be computed, else null (nothing saved): PyTorch's
     * generated code saves a tensor that only one input's formula reads under that input's should_compute_output
     * ({@code x * w} with only x requiring grad saves w, not x), and a tensor it did not save cannot fail in backward.
     */
    public static Tensor savedFor(Tensor tensor, Tensor input) {
        return GradMode.isEnabled() && input != null && Node.gradientEdge(input) != null ? tensor : null;
    }

    /**
     * Gives {@code out} a node whatever the grad mode and inputs, as PyTorch regenerates the history of a view whose
     * base was written in place: a view that had a grad_fn gets a new one even when its base no longer requires grad
     * (then without an edge).
     */
    public static Tensor attach(String name, Tensor out, Tensor[] inputs, Tensor[] saved, BackwardFn fn) {
        out.meta().setGradFn(new FunctionNode(name, inputs, new Tensor[] {out}, saved, fn), 0);
        return out;
    }

    public static Tensor record(String name, Tensor out, Tensor input, BackwardFn fn) {
        return record(name, out, new Tensor[] {input}, new Tensor[0], fn);
    }

    /** PyTorch's node for an op without a derivative ({@code aten} names it): recorded as usual, failing in backward. */
    public static Tensor notImplemented(String aten, Tensor out, Tensor... inputs) {
        return record("torch::autograd::NotImplemented", out, inputs, new Tensor[0], c -> {
            throw new IllegalStateException("derivative for aten::" + aten + " is not implemented");
        });
    }

    /**
     * Records an op with several outputs (split, unbind, max with indices). Integer outputs such as
     * indices are not differentiable and get no grad_fn; their slot in the gradient array stays null.
     */
    public static Tensor[] recordMulti(String name, Tensor[] outs, Tensor[] inputs, Tensor[] saved, BackwardFn fn) {
        if (!isRecording(inputs)) return outs;
        FunctionNode node = new FunctionNode(name, inputs, outs, saved, fn);
        for (int i = 0; i < outs.length; i++)
            if (outs[i] != null && outs[i].dtype().isFloatingPoint()) outs[i].meta().setGradFn(node, i);
        return outs;
    }

    /**
     * After an in-place op on {@code self}: its history continues from a new node whose first input is the
     * old {@code self}. Used by every {@code op_} so that gradients flow through in-place updates.
     */
    public static void rebaseHistory(Tensor self, Node node, int outputNr) {
        self.meta().setGradFn(node, outputNr);
        moveRetainedGrad(self); // PyTorch's update_tensor_hooks_on_new_gradfn
    }

    /**
     * Gives {@code copy}, a fresh unrecorded copy of {@code of}'s values, {@code of}'s place in the graph. An op_ that
     * needs self's old values computes out of place from such a copy, so that its node leads straight to self's old
     * history as PyTorch's does ({@code y.mul_(w).grad_fn.next_functions} starts with y's old grad_fn, no clone).
     */
    public static Tensor withHistoryOf(Tensor copy, Tensor of) {
        Node fn = of.gradFn();
        if (fn != null) copy.meta().setGradFn(fn, of.meta().outputNr);
        return copy;
    }

    /**
     * Whether the node of {@code value}, computed by an op_ on {@code view}, takes the view as its first input, as
     * {@link CopySlices} needs. Reads the view's fields, not {@code view.gradFn()}, which re-derives a stale view.
     */
    public static boolean isFirstInputOf(Tensor view, Tensor value) {
        AutogradMeta vm = view.meta();
        Edge first = value.meta().gradFn.nextEdges.length == 0 ? null : value.meta().gradFn.nextEdges[0];
        return vm.gradFn == null ? first == null : new Edge(vm.gradFn, vm.outputNr).equals(first);
    }

    /**
     * After {@code value} was written through {@code view} into {@code base}: base's history is a {@link CopySlices}.
     * A grad the base retains stays with its old node, as PyTorch's rebase_history leaves it for a view.
     */
    public static void copySlices(Tensor base, Tensor view, Tensor value) { copySlices(base, view, value.meta().gradFn); }

    static void copySlices(Tensor base, Tensor view, Node fn) {
        base.meta().setGradFn(new CopySlices(base, view.layout(), fn), 0);
    }

    /**
     * After an op_ wrote {@code value}, its out-of-place result, into {@code self}: where the op's node saved value
     * (its output), it saves self instead, as PyTorch's saves the tensor it wrote. Later writes to self are then
     * caught by the version check, and a double-backward graph follows self's history (for a view, through the
     * base's CopySlices) rather than reaching the op's node, which that CopySlices runs, a second time.
     */
    public static void resaveOutput(Tensor value, Tensor self) {
        if (value.meta().gradFn instanceof FunctionNode f) f.resave(value, self);
    }

    /**
     * PyTorch's check_inplace, before an in-place op writes {@code t} with the differentiable operands {@code others}
     * (before the op's own checks, as VariableType runs it first): when the op will be recorded (grad on, any of them
     * requiring grad), a view must be one that may be rebased, and leaves that require grad (and their views) must not
     * change. As PyTorch's C++ is_leaf, it reads the tensors' current grad_fn fields and re-derives no stale view.
     */
    public static void checkInplace(Tensor t, Tensor... others) {
        InferenceMode.checkInplace(t);
        if (!GradMode.isEnabled() || !(t.requiresGrad() || anyRequiresGrad(others))) return;
        AutogradMeta m = t.meta();
        Tensor base = m.base();
        if (base != null) {
            checkViewRebase(m, false);
            if (t.requiresGrad() && base.meta().gradFn == null)
                throw new IllegalStateException("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        }
        if (t.requiresGrad() && m.gradFn == null)
            throw new IllegalStateException("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    private static boolean anyRequiresGrad(Tensor[] ts) {
        for (Tensor o : ts) if (o != null && o.requiresGrad()) return true;
        return false;
    }

    /**
     * PyTorch's handle_view_on_rebase: a view made under no_grad or by a multi-output op cannot take new history,
     * whether it is written itself or (indirectly) its base or another view was and its grad_fn is read.
     */
    public static void checkViewRebase(Tensor view) { checkViewRebase(view.meta(), true); }

    static void checkViewRebase(AutogradMeta m, boolean indirect) {
        if (m.creationMeta == CreationMeta.DEFAULT) return;
        String modified = indirect ? "its base or another view of its base has been" : "is being";
        String what = m.gradFn != null ? "Output " + m.outputNr + " of " + m.gradFn.name() + " is a view and " + modified + " modified inplace."
                : "A view was created in no_grad mode and " + modified + " modified inplace with grad mode enabled.";
        throw new IllegalStateException(what + m.creationMeta.remedy());
    }

    /** PyTorch's checks on {@code x.grad = g}, in its order: not itself, then the dtype, then the shape. */
    public static void checkAssignedGrad(Tensor t, Tensor g) {
        if (g == t) throw new IllegalArgumentException("can't assign Variable as its own grad");
        if (g.dtype() != t.dtype()) throw new IllegalArgumentException("assigned grad has data of a different type");
        if (!java.util.Arrays.equals(g.shape(), t.shape())) throw new IllegalArgumentException("assigned grad has data of a different size");
    }

    /** {@code torch.autograd.backward}: accumulates gradients of {@code tensors} into the leaves' {@code .grad}. */
    public static void backward(Tensor[] tensors, Tensor[] grads, boolean retainGraph, boolean createGraph) {
        Tensor[] seeds = seedGrads(tensors, grads);
        Engine.run(tensors, Engine.rootEdges(tensors), seeds, retainGraph, createGraph, null, false);
    }

    /**
     * {@code torch.autograd.backward(..., inputs=...)}: a backward that runs only what leads to {@code inputs}, which
     * accumulate into their {@code .grad} as in a full backward. As PyTorch's, it makes a non-leaf input retain its
     * grad (from then on), which is how that gradient reaches {@code .grad}, and fails for a tensor outside the graph.
     */
    public static void backward(Tensor[] tensors, Tensor[] grads, boolean retainGraph, boolean createGraph, Tensor[] inputs) {
        if (inputs == null) {
            backward(tensors, grads, retainGraph, createGraph);
            return;
        }
        if (inputs.length == 0) throw new IllegalArgumentException("'inputs' argument to backward() cannot be empty.");
        Tensor[] seeds = seedGrads(tensors, grads);
        Edge[] roots = Engine.rootEdges(tensors);
        Engine.Capture[] targets = new Engine.Capture[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            retainGrad(inputs[i]);
            targets[i] = Engine.Capture.of(Node.gradientEdge(inputs[i]));
        }
        Engine.run(tensors, roots, seeds, retainGraph, createGraph, targets, true);
    }

    /** {@code torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph)}. */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph) {
        return grad(outputs, inputs, gradOutputs, retainGraph, createGraph, false);
    }

    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean retainGraph, boolean createGraph,
                                boolean allowUnused) {
        Tensor[] seeds = seedGrads(outputs, gradOutputs);
        Edge[] roots = Engine.rootEdges(outputs); // PyTorch checks the outputs before the inputs
        Engine.Capture[] captures = new Engine.Capture[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor in = inputs[i];
            if (!in.requiresGrad()) throw new IllegalStateException("One of the differentiated Tensors does not require grad");
            captures[i] = Engine.Capture.of(Node.gradientEdge(in));
        }
        Tensor[] got = Engine.run(outputs, roots, seeds, retainGraph, createGraph, captures, false);
        for (int i = 0; i < got.length; i++) {
            if (got[i] == null && !allowUnused)
                throw new IllegalStateException("One of the differentiated Tensors appears to not have been used in the graph. "
                        + "Set allow_unused=True if this is the desired behavior.");
        }
        return got;
    }

    /** {@code torch.autograd.grad(output, inputs)} for a scalar output. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(new Tensor[] {output}, inputs, null, false, false);
    }

    private static Tensor[] seedGrads(Tensor[] outputs, Tensor[] grads) {
        if (grads != null && grads.length != outputs.length)
            throw new IllegalArgumentException("grad requires one gradient per output: got " + grads.length + " for " + outputs.length + " outputs");
        Tensor[] seeds = new Tensor[outputs.length];
        for (int i = 0; i < outputs.length; i++) {
            Tensor out = outputs[i];
            Tensor g = grads == null ? null : grads[i];
            if (g == null) {
                if (out.requiresGrad() && out.numel() != 1)
                    throw new IllegalStateException("grad can be implicitly created only for scalar outputs");
                g = Tensor.onesLike(out);
            } else if (!Arrays.equals(g.shape(), out.shape())) {
                int gi = pythonIndex(grads, g), oi = pythonIndex(outputs, out);
                throw new IllegalArgumentException("Mismatch in shape: grad_output[" + gi + "] has a shape of torch.Size(" + Shape.str(g.shape())
                        + ") and output[" + oi + "] has a shape of torch.Size(" + Shape.str(out.shape()) + ").");
            }
            seeds[i] = g;
        }
        return seeds;
    }

    /**
     * Python's {@code tuple.index}, which PyTorch's {@code _make_grads} calls to number the mismatched pair in its
     * message: identity first, else {@code ==}, which for tensors compares elementwise (failing for shapes that do not
     * broadcast) and whose truth value fails unless it has one element.
     */
    private static int pythonIndex(Tensor[] items, Tensor item) {
        for (int j = 0; ; j++) {
            if (items[j] == item) return j;
            if (items[j] == null) continue;
            Tensor eq = items[j].eq(item);
            if (eq.numel() != 1)
                throw new IllegalStateException("Boolean value of Tensor with " + (eq.numel() == 0 ? "no values" : "more than one value") + " is ambiguous");
            if (eq.item() != 0) return j;
        }
    }

    /**
     * After an in-place op replaced a tensor's grad_fn (or a view's was re-derived), a retained grad follows it to
     * the new node. A base whose history became CopySlices through one of its views keeps its hook where it was,
     * as in PyTorch.
     */
    public static void moveRetainedGrad(Tensor t) {
        AutogradMeta m = t.meta();
        if (!m.retainsGrad) return;
        // from the node that holds it, which is not the old grad_fn when a view's in-place op made that a CopySlices: the
        // keeper left where it was would add that node's gradient too (script 32803)
        if (m.retainedAt != null) m.retainedAt.removeHook(m.retainedAt.retainHook(t));
        m.retainsGrad = false;
        retainGrad(t);
    }

    /** Makes a non-leaf tensor keep its {@code .grad} after backward ({@code retain_grad()}). */
    public static void retainGrad(Tensor t) {
        if (!t.requiresGrad()) throw new IllegalStateException("can't retain_grad on Tensor that has requires_grad=False");
        AutogradMeta m = t.meta();
        if (m.gradFn == null || m.retainsGrad) return; // C++ is_leaf reads the field: a stale no_grad view is a leaf here
        m.retainsGrad = true;
        m.retainedAt = m.gradFn;
        m.gradFn.addHook(TensorHook.retaining(t, m.outputNr));
    }

    /**
     * {@code t.register_hook(hook)}: {@code hook} sees the gradient of {@code t} when it is computed (on a leaf,
     * before it is accumulated into {@code .grad}; not in {@code autograd.grad}, as PyTorch's) and may return a
     * replacement, or null to leave it. It joins the tensor's earlier hooks, on the node {@code t} had when the first
     * was registered (see {@link TensorHook}).
     */
    public static RemovableHandle registerHook(Tensor t, UnaryOperator<Tensor> hook) {
        if (!t.requiresGrad()) throw new IllegalStateException("cannot register a hook on a tensor that doesn't require gradient");
        AutogradMeta m = t.meta();
        if (m.hooks == null) {
            Node fn = t.gradFn();
            m.hooks = TensorHook.functions(fn != null ? m.outputNr : 0);
            if (fn != null) fn.addHook(m.hooks);
        }
        return m.hooks.add(hook);
    }
}
