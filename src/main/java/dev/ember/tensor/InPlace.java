package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Ops that write into an existing tensor: {@code self.op_(other)}, {@code copy_}, {@code fill_}, {@code out=}.
 * Each first makes PyTorch's checks (a leaf that requires grad, {@link MemoryOverlap}, the result type castable
 * to self's, the other operand broadcastable to self's shape); then, without autograd, the kernel writes straight
 * into self, and with it the result is computed out of place by {@link Pointwise} and committed, so that the
 * recorded node sees the values it needs.
 */
final class InPlace {
    private InPlace() {}

    private static final Tensor[] NONE = new Tensor[0];

    /**
     * {@code self op= other}. Without autograd the kernel writes straight into self; with it, the result is
     * computed out of place and committed, so the recorded node sees the values it needs.
     */
    static Tensor apply(BinaryOp op, Tensor self, Tensor other, Scalar alphaNumber) {
        Autograd.checkInplace(self, other);
        // sub's meta function checks the dtypes before TensorIterator looks at memory
        if (op == BinaryOp.SUB) Pointwise.checkSub(self, other);
        MemoryOverlap.assertNoInternalOverlap(self);
        MemoryOverlap.assertNoPartialOverlap(self, other);
        if (Autograd.isRecording(self, other)) {
            return commit(self, switch (op) {
                case ADD -> Pointwise.add(self, other, alphaNumber);
                case SUB -> Pointwise.sub(self, other, alphaNumber);
                case MUL -> Pointwise.mul(oldValues(self), other);
                case DIV -> Pointwise.div(oldValues(self), other, null);
                default -> throw new IllegalArgumentException("no in-place form for " + op);
            }, s -> write(op, s, other.detach(), alphaNumber));
        }
        write(op, self, other, alphaNumber);
        self.bumpVersion();
        return self;
    }

    /**
     * The kernel of {@code self op= alpha * other}, writing self element by element; on a self whose elements share
     * memory (an unfolded view, which the overlap check cannot decide) each write reads the slot as the last one left
     * it, so the additions accumulate as in PyTorch's loop.
     */
    private static void write(BinaryOp op, Tensor self, Tensor other, Scalar alphaNumber) {
        DType rt = TypePromotion.resultType(self, other);
        if (op == BinaryOp.DIV) rt = TypePromotion.toFloating(rt);
        Pointwise.checkAlpha(rt, alphaNumber);
        double alpha = alphaNumber.toDouble();
        int[] shape = checkInto(self, other, rt);
        boolean fused = alpha != 1 && rt == self.dtype() && (rt == DType.FLOAT32 || rt == DType.FLOAT64) && (op == BinaryOp.ADD || op == BinaryOp.SUB);
        if (fused) {
            // param.add_(grad, -lr): one fused pass straight into self
            Tensor rhs = Kernels.cast(other, rt);
            if (rhs.storage() == self.storage() && !rhs.layout().equals(self.layout())) rhs = Kernels.copy(rhs);
            self.backend().addScaled(self.strided(), rhs.strided().expand(shape), op == BinaryOp.SUB ? -alpha : alpha, self.strided());
        } else if (rt != self.dtype() || alpha != 1) {
            // computed in the result type and rounded once into self: a float16 self plus a float32 tensor adds in
            // float, not after rounding the other operand to float16
            Tensor r = op == BinaryOp.ADD || op == BinaryOp.SUB ? Pointwise.scaled(op, self, other, alpha, rt) : Kernels.binary(op, self, other, rt);
            self.backend().copy(r.strided(), self.strided());
        } else {
            Tensor rhs = Kernels.cast(other, self.dtype());
            if (rhs.storage() == self.storage() && !rhs.layout().equals(self.layout())) {
                // other overlaps self in a way the overlap check cannot decide (a strided row of self, say), which PyTorch
                // lets through: its loop then reads each element of other as the earlier writes left it
                elementByElement(self, x -> Kernels.binary(op, x[0], x[1], x[0].dtype()), new Tensor[] {rhs});
                return;
            }
            self.backend().binary(op, self.strided(), rhs.strided().expand(shape), self.strided());
        }
    }

    /** {@code self.op_()} for ops without a dedicated in-place kernel: compute, then write back into self. */
    static Tensor result(Tensor self, UnaryOperator<Tensor> op, Tensor... inputs) {
        Autograd.checkInplace(self, inputs);
        MemoryOverlap.assertNoInternalOverlap(self);
        for (Tensor in : inputs) MemoryOverlap.assertNoPartialOverlap(self, in);
        return written(self, op, null, inputs);
    }

    /**
     * An elementwise {@code self.op_(inputs)}: {@code op} gets self then the inputs. On a self whose elements share
     * memory (an unfolded view, which the overlap check cannot decide) PyTorch's loop reads each slot as its last
     * write left it, so a slot seen twice is transformed twice ({@code neg_} leaves it as it was); the direct write
     * repeats that loop element by element, in the TensorIterator's order.
     */
    static Tensor pointwise(Tensor self, Function<Tensor[], Tensor> op, Tensor... inputs) {
        Autograd.checkInplace(self, inputs);
        MemoryOverlap.assertNoInternalOverlap(self);
        for (Tensor in : inputs) MemoryOverlap.assertNoPartialOverlap(self, in);
        // TensorIterator checks the broadcast shape before the kernel's dtype dispatch ("... not implemented for 'Bool'")
        if (inputs.length > 0) checkBroadcastInto(self, inputs);
        return written(self, s -> op.apply(withSelf(s, inputs)), loop(op, inputs), inputs);
    }

    static Tensor pointwise(Tensor self, UnaryOperator<Tensor> op) { return pointwise(self, (Tensor[] x) -> op.apply(x[0])); }

    private static Tensor[] withSelf(Tensor self, Tensor[] inputs) {
        Tensor[] all = new Tensor[inputs.length + 1];
        all[0] = self;
        System.arraycopy(inputs, 0, all, 1, inputs.length);
        return all;
    }

    /** A direct write for {@link #written} that runs an elementwise {@code op(self, inputs...)} as PyTorch's loop does. */
    static Consumer<Tensor> loop(Function<Tensor[], Tensor> op, Tensor... inputs) { return self -> elementByElement(self, op, inputs); }

    /** PyTorch's loop, one element at a time in its TensorIterator's order (the dims sorted by the operands' strides). */
    private static void elementByElement(Tensor self, Function<Tensor[], Tensor> op, Tensor[] inputs) {
        int[] shape = self.layout().shape();
        Tensor[] all = withSelf(self, inputs);
        Layout[] layouts = new Layout[all.length];
        for (int i = 0; i < all.length; i++) {
            if (i > 0) all[i] = all[i].detach().expand(shape);
            layouts[i] = all[i].layout();
        }
        int[] fastest = Layout.iterationOrder(shape, layouts);
        Tensor[] elements = new Tensor[all.length];
        int[] index = new int[shape.length];
        for (int k = 0, n = self.numel(); k < n; k++) {
            for (int i = 0; i < all.length; i++) elements[i] = element(all[i], index);
            Tensor value = op.apply(elements);
            self.backend().copy(value.strided(), elements[0].strided());
            for (int j = 0; j < fastest.length && ++index[fastest[j]] == shape[fastest[j]]; j++) index[fastest[j]] = 0;
        }
    }

    /** The 0-dim view of {@code t}'s element at {@code index}. */
    private static Tensor element(Tensor t, int[] index) {
        Layout l = t.layout();
        int offset = l.offset();
        for (int d = 0; d < index.length; d++) offset += index[d] * l.strides()[d];
        return new Tensor(t.storage(), new Layout(new int[0], new int[0], offset));
    }

    /**
     * An op_ that made its own checks and whose kernel {@code direct} writes self in place; {@code op} computes the
     * same values out of place for the graph. See {@link #commit(Tensor, Tensor, Consumer)}. Self's old values stand in
     * for it whenever the op records, also when only another input requires grad: the node may have saved self.
     */
    static Tensor written(Tensor self, UnaryOperator<Tensor> op, Consumer<Tensor> direct, Tensor... inputs) {
        boolean recording = Autograd.isRecording(withSelf(self, inputs));
        Tensor result = op.apply(recording ? oldValues(self) : self);
        return commit(self, result, direct);
    }

    /** Self's values before the write, for a node that saves them, standing in self's place in the graph. */
    static Tensor oldValues(Tensor self) {
        return Autograd.withHistoryOf(Kernels.copyPreserving(self), self);
    }

    /**
     * Writes {@code value} into self's storage and moves self's history onto {@code value}'s node. When self
     * is a view, the base gets a {@code CopySlices} node: its gradient passes through except in the written
     * region, whose gradient flows into {@code value}.
     */
    static Tensor commit(Tensor self, Tensor value) { return commit(self, value, null); }

    /**
     * {@link #commit(Tensor, Tensor)} for an op whose kernel {@code direct} can write self in place. When elements of
     * self may share memory (an expanded or unfolded self, which index_put_, index_fill_, masked_fill_ and scatter
     * accept), copying the result back would leave each shared slot the value of the last element copied; PyTorch's
     * kernel writes self itself, so the slot keeps the kernel's last write, and so does {@code direct}.
     */
    static Tensor commit(Tensor self, Tensor value, Consumer<Tensor> direct) {
        checkBroadcastInto(self, value);
        checkCastable(value.dtype(), self.dtype());
        Tensor base = self.meta().base();
        Tensor computed = value;
        boolean tracked = value.requiresGrad() && GradMode.isEnabled();
        if (tracked) {
            if (!java.util.Arrays.equals(value.layout().shape(), self.layout().shape()))
                throw new IllegalStateException("in-place result of shape " + Shape.str(value.layout().shape()) + " cannot replace a tensor of shape " + Shape.str(self.layout().shape()));
            // CopySlices wraps a node whose first input is the view; a value made otherwise is copied in, as copy_ records
            if (base != null && (value.isLeaf() || !Autograd.isFirstInputOf(self, value))) value = recordCopy(self, value);
            else if (value.isLeaf()) value = Autograd.record("AliasBackward0", value.detach(), value, c -> new Tensor[] {c.grad()});
        }
        if (direct != null && MemoryOverlap.mayOverlapItself(self)) {
            try (var g = GradMode.noGrad()) {
                direct.accept(self);
            }
        } else {
            Tensor src = value;
            if (src.storage() == self.storage() && !src.layout().equals(self.layout())) src = Kernels.copy(src);
            self.backend().copy(src.strided().expand(self.layout().shape()), self.strided());
        }
        self.bumpVersion();
        if (!tracked) return self;
        if (base == null) Autograd.rebaseHistory(self, value.meta().gradFn(), value.meta().outputNr()); // the node just recorded: value may view storage self shares
        else Movement.copySlices(base, self, value);
        Autograd.resaveOutput(computed, self);
        return self;
    }

    static Tensor copy_(Tensor self, Tensor src) {
        // PyTorch's copy_ asks for gradients only into a differentiable self: an int64 view of split takes a float src that requires grad
        if (self.isFloatingPoint()) Autograd.checkInplace(self, src);
        Kernels.checkSameDevice(self, src);
        MemoryOverlap.assertNoInternalOverlap(self);
        MemoryOverlap.assertNoPartialOverlap(self, src);
        checkBroadcastInto(self, src);
        if (!Autograd.isRecording(self, src)) {
            Tensor s = src.storage() == self.storage() && !src.layout().equals(self.layout()) ? Kernels.copy(src) : src;
            self.backend().copy(s.strided().expand(self.layout().shape()), self.strided());
            self.bumpVersion();
            return self;
        }
        return commit(self, recordCopy(self, src.to(self.dtype())));
    }

    /** copy_'s node: the gradient goes to the source (summed over broadcast dims by the engine), none to self's old value. */
    private static Tensor recordCopy(Tensor self, Tensor value) {
        return Autograd.record("torch::autograd::CopyBackwards", value.detach().expand(self.layout().shape()), new Tensor[] {self, value}, NONE,
                c -> new Tensor[] {Tensor.zerosLike(c.grad()), c.grad()});
    }

    static Tensor fill_(Tensor self, double value) { return fill_(self, Scalar.of(value), "FillBackward2"); }

    static Tensor fill_(Tensor self, Scalar value) { return fill_(self, value, "FillBackward2"); }

    /** {@code fill_(value)} with a 0-dim tensor ({@code FillBackward3}): differentiable in the value too. */
    static Tensor fill_(Tensor self, Tensor value) {
        Autograd.checkInplace(self, value);
        if (value.dim() != 0)
            throw new IllegalArgumentException("fill_ only supports 0-dimension value tensor but got tensor with " + value.dim() + " dimensions.");
        // PyTorch fills with value.item(), which (unlike copy_) never checks self for overlapping elements
        if (!Autograd.isRecording(self, value)) return fill_(self, Scalar.of(value), "FillBackward3");
        int[] shape = self.layout().shape();
        Tensor filled = Autograd.record("FillBackward3", Kernels.cast(value.detach(), self.dtype()).expand(shape).contiguous(), new Tensor[] {self, value}, NONE,
                c -> new Tensor[] {Tensor.zerosLike(c.grad()), c.grad().sum()});
        return commit(self, filled);
    }

    /** {@code zero_()}: a fill that PyTorch records under its own name. */
    static Tensor zero_(Tensor self) { return fill_(self, Scalar.of(0L), "ZeroBackward0"); }

    private static Tensor fill_(Tensor self, Scalar value, String name) {
        Autograd.checkInplace(self);
        value.checkedFor(self.dtype()); // fill_(300) on uint8 fails in PyTorch too
        if (Autograd.isRecording(self)) {
            Tensor filled = Autograd.record(name, Creation.full(self.layout().shape(), value, self.dtype(), self.device()), self,
                    c -> new Tensor[] {Tensor.zerosLike(c.grad())});
            return commit(self, filled);
        }
        if (!value.isFloating() && !self.isFloatingPoint()) self.backend().fill(self.strided(), value.longValue());
        else self.backend().fill(self.strided(), value.asStoredIn(self.dtype()));
        self.bumpVersion();
        return self;
    }

    /**
     * {@code torch.op(a, b, out=out)}: reuses out's storage, resizing an out of another shape
     * ({@link Resize#resizeOutput}); not differentiable, like PyTorch's out= forms.
     */
    static Tensor binaryOut(BinaryOp op, Tensor a, Tensor b, Tensor out) {
        if (GradMode.isEnabled() && (a.requiresGrad() || b.requiresGrad() || out.requiresGrad()))
            throw new IllegalStateException(op.name().toLowerCase() + "(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.");
        // TensorIterator's order: the overlaps of out, then the broadcast, then the cast into out
        MemoryOverlap.assertNoInternalOverlap(out);
        MemoryOverlap.assertNoPartialOverlap(out, a);
        MemoryOverlap.assertNoPartialOverlap(out, b);
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape());
        DType rt = TypePromotion.resultType(a, b);
        checkCastable(rt, out.dtype());
        // a resized out takes the layout TensorIterator gives the result, as its set_output restrides it
        if (Resize.resizeOutput(out, shape)) {
            Layout l = Kernels.following(shape, rt, a, b);
            out.setLayout(new Layout(l.shape(), l.strides(), out.storageOffset()));
        }
        // the op computes in the inputs' common dtype and only the result converts to out's: uint8 + uint8 into
        // a float32 out wraps at 256, as in PyTorch
        if (rt == out.dtype()) {
            Tensor ca = Kernels.cast(a, rt), cb = Kernels.cast(b, rt);
            out.backend().binary(op, ca.strided().expand(shape), cb.strided().expand(shape), out.strided());
        } else {
            out.backend().copy(Kernels.binary(op, a, b, rt).strided(), out.strided());
        }
        out.bumpVersion();
        return out;
    }

    /**
     * {@code clamp_}, {@code clamp_min_} and {@code clamp_max_} with number bounds: the result type of self and the
     * first bound (an int keeps an integer tensor integral, a float does not) must cast back to self. clamp checks the
     * cast itself and names the output's C++ type as typeid demangles it ("long int", "bool"), not the ScalarType.
     */
    static Tensor clamp_(Tensor self, Scalar min, Scalar max, UnaryOperator<Tensor> clamp) {
        Scalar bound = min != null ? min : max;
        if (bound != null) {
            DType rt = TypePromotion.resultType(self, Pointwise.wrapScalar(self, bound));
            if (!TypePromotion.canCast(rt, self.dtype()))
                throw new IllegalArgumentException("result type " + TypePromotion.typeName(rt) + " can't be cast to the desired output type " + TypePromotion.cppTypeName(self.dtype()));
        }
        return pointwise(self, clamp);
    }

    /** {@code pow_} with a Python-number exponent: pow's out= check wants self to have the result type already. */
    static Tensor pow_(Tensor self, double exponent) {
        checkPowInto(self, self.wrap(exponent));
        return pointwise(self, s -> s.pow(exponent));
    }

    static Tensor pow_(Tensor self, long exponent) {
        Pointwise.checkIntegerPower(self, exponent);
        checkPowInto(self, self.wrap(exponent));
        return pointwise(self, s -> s.pow(exponent));
    }

    /**
     * An integer self with a float exponent, or a bool self with an int one: "Found dtype Long but expected Float";
     * TensorIterator checks that after the leaf and the overlap.
     */
    private static void checkPowInto(Tensor self, Tensor exponent) {
        Autograd.checkInplace(self);
        MemoryOverlap.assertNoInternalOverlap(self);
        DType rt = TypePromotion.resultType(self, exponent);
        if (rt != self.dtype())
            throw new IllegalArgumentException("Found dtype " + TypePromotion.typeName(self.dtype()) + " but expected " + TypePromotion.typeName(rt));
    }

    /** TensorIterator's checks of {@code self op= other} in its order: the broadcast shape first, then the cast into self. */
    static int[] checkInto(Tensor self, Tensor other, DType resultType) {
        int[] shape = checkBroadcastInto(self, other);
        checkCastable(resultType, self.dtype());
        return shape;
    }

    static void checkCastable(DType from, DType to) {
        if (!TypePromotion.canCast(from, to))
            throw new IllegalArgumentException("result type " + TypePromotion.typeName(from) + " can't be cast to the desired output type " + TypePromotion.typeName(to));
    }

    private static int[] checkBroadcastInto(Tensor self, Tensor... others) {
        int[] shape = self.layout().shape();
        int[][] shapes = new int[others.length + 1][];
        shapes[0] = shape;
        for (int k = 0; k < others.length; k++) shapes[k + 1] = others[k].layout().shape();
        int[] b = Shape.broadcast(shapes);
        if (!java.util.Arrays.equals(b, shape))
            throw new IllegalArgumentException("output with shape " + Shape.str(shape) + " doesn't match the broadcast shape " + Shape.str(b));
        return shape;
    }
}
