package dev.ember.tensor;

import dev.ember.tensor.spi.Backend;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.UnaryOp;

/**
 * Raw, non-differentiable calls into the backend: allocate an output, run one primitive. The op families
 * build the public, differentiable ops from these.
 */
final class Kernels {
    private Kernels() {}

    /** A zero-filled contiguous tensor. */
    static Tensor zeros(int[] shape, DType dtype, Device device) {
        Backend b = Backends.forDevice(device);
        return new Tensor(b.allocate(dtype, Shape.numel(shape), device), Layout.contiguous(shape));
    }

    /**
     * A contiguous tensor with unspecified contents (reused memory may hold another tensor's old values): only for
     * an output the caller's kernel writes in full before anything reads it.
     */
    static Tensor empty(int[] shape, DType dtype, Device device) { return empty(Layout.contiguous(shape), dtype, device); }

    static Tensor emptyLike(Tensor t, DType dtype) { return empty(t.layout().shape(), dtype, t.device()); }

    /** A tensor with unspecified contents in the given dense layout (offset 0): only for an output written in full. */
    static Tensor empty(Layout layout, DType dtype, Device device) {
        Backend b = Backends.forDevice(device);
        return new Tensor(b.allocateEmpty(dtype, layout.numel(), device), layout);
    }

    /** {@code t} converted to {@code dtype}, laid out like {@code t}; {@code t} itself when it already has it. */
    static Tensor cast(Tensor t, DType dtype) { return t.dtype() == dtype ? t : copy(t, Layout.preserving(t.layout()), dtype); }

    private static Layout castLayout(Tensor t, DType dtype) { return t.dtype() == dtype ? t.layout() : Layout.preserving(t.layout()); }

    /**
     * The layout TensorIterator gives {@code op(operands)} computed in {@code dtype}: it promotes its inputs before it
     * orders the dims, so an operand of another dtype counts as its cast copy (an expanded int64 minus a transposed
     * float is row-major, because the int64 operand's float copy is).
     */
    static Layout following(int[] shape, DType dtype, Tensor... operands) {
        Layout[] layouts = new Layout[operands.length];
        for (int i = 0; i < layouts.length; i++) layouts[i] = castLayout(operands[i], dtype);
        return Layout.following(shape, layouts);
    }

    /**
     * Writes {@code src} (broadcast, cast) into {@code dst}, an output the op is still building: unlike {@code copy_}
     * it leaves the version counter alone, as ATen's writes below autograd do (a fresh result is at version 0).
     */
    static void write(Tensor src, Tensor dst) { dst.backend().copy(src.strided().expand(dst.layout().shape()), dst.strided()); }

    /** A contiguous copy. */
    static Tensor copy(Tensor t) { return copy(t, Layout.contiguous(t.layout().shape()), t.dtype()); }

    /** A copy laid out as an elementwise op lays out its result (integer floor and round are copies in PyTorch). */
    static Tensor copyElementwise(Tensor t) { return copy(t, Layout.following(t.layout().shape(), t.layout()), t.dtype()); }

    /** A copy laid out like {@code t} ({@code clone()}'s preserve_format). */
    static Tensor copyPreserving(Tensor t) { return copy(t, Layout.preserving(t.layout()), t.dtype()); }

    private static Tensor copy(Tensor t, Layout layout, DType dtype) {
        Tensor out = empty(layout, dtype, t.device());
        t.backend().copy(t.strided(), out.strided());
        return out;
    }

    static Tensor unary(UnaryOp op, Tensor t) { return unary(op, t, Layout.following(t.layout().shape(), t.layout())); }

    /** {@code op(t)} into a new tensor of the given dense layout. */
    static Tensor unary(UnaryOp op, Tensor t, Layout layout) {
        Tensor out = empty(layout, op.boolResult() ? DType.BOOL : t.dtype(), t.device());
        t.backend().unary(op, t.strided(), out.strided());
        return out;
    }

    /**
     * {@code op} applied to a fresh result's own elements: the later step of what PyTorch computes in one kernel
     * (div's trunc, rsqrt's reciprocal), so the result keeps the layout the first step gave it.
     */
    static Tensor unaryInPlace(UnaryOp op, Tensor fresh) {
        fresh.backend().unary(op, fresh.strided(), fresh.strided());
        return fresh;
    }

    /** {@code op(a, b)} computed in {@code dtype} (operands are cast), broadcast; bool out for comparisons. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b, DType dtype) { return binary(op, a, b, dtype, null); }

    /** {@code op(a, b)} into a new tensor of the given dense layout, or (null) laid out as {@link #following}. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b, DType dtype, Layout layout) {
        checkSameDevice(a, b);
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape());
        Tensor ca = cast(a, dtype), cb = cast(b, dtype);
        Layout l = layout != null ? layout : Layout.following(shape, ca.layout(), cb.layout());
        Tensor out = empty(l, op.boolResult() ? DType.BOOL : dtype, a.device());
        a.backend().binary(op, ca.strided().expand(shape), cb.strided().expand(shape), out.strided());
        return out;
    }

    static Tensor binary(BinaryOp op, Tensor a, Tensor b) { return binary(op, a, b, TypePromotion.resultType(a, b)); }

    /** {@code a + alpha * b} in float32 or float64, rounded once (the backend's FMA), laid out as binary ops are. */
    static Tensor addScaled(Tensor a, Tensor b, double alpha, DType dtype) {
        checkSameDevice(a, b);
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape());
        Tensor x = cast(a, dtype), y = cast(b, dtype);
        Tensor out = empty(Layout.following(shape, x.layout(), y.layout()), dtype, a.device());
        a.backend().addScaled(x.strided().expand(shape), y.strided().expand(shape), alpha, out.strided());
        return out;
    }

    /**
     * {@code op(t, scalar)} for the ops PyTorch runs as a unary TensorIterator over t (clamp, pow with a Python-number
     * exponent): the 0-dim scalar is no operand there, so the result is laid out from t alone, which differs from
     * {@code t + 2} (a binary iterator) in the strides of size-1 dims.
     */
    static Tensor unaryWithScalar(BinaryOp op, Tensor t, Tensor scalar, DType dtype) { return unaryWithScalar(op, t, scalar, dtype, null); }

    /** {@code op(t, scalar)} into a new tensor of the given dense layout, or (null) laid out from t alone. */
    static Tensor unaryWithScalar(BinaryOp op, Tensor t, Tensor scalar, DType dtype, Layout layout) {
        checkSameDevice(t, scalar);
        int[] shape = t.layout().shape();
        Tensor ct = cast(t, dtype), cs = cast(scalar, dtype);
        Tensor out = empty(layout != null ? layout : Layout.following(shape, ct.layout()), op.boolResult() ? DType.BOOL : dtype, t.device());
        t.backend().binary(op, ct.strided(), cs.strided().expand(shape), out.strided());
        return out;
    }

    static Tensor where(Tensor cond, Tensor a, Tensor b, DType dtype) { return where(cond, a, b, dtype, false); }

    /** {@code where(cond, a, b)} in {@code dtype}, laid out like its inputs or, when {@code rowMajor}, row-major. */
    static Tensor where(Tensor cond, Tensor a, Tensor b, DType dtype, boolean rowMajor) {
        int[] shape = Shape.broadcast(cond.layout().shape(), a.layout().shape(), b.layout().shape());
        Tensor c = cast(cond, DType.BOOL), ca = cast(a, dtype), cb = cast(b, dtype);
        Layout l = rowMajor ? Layout.contiguous(shape) : Layout.following(shape, c.layout(), ca.layout(), cb.layout());
        Tensor out = empty(l, dtype, a.device());
        a.backend().where(c.strided().expand(shape), ca.strided().expand(shape), cb.strided().expand(shape), out.strided());
        return out;
    }

    /** Reduces over sorted distinct {@code dims}, keeping them as size 1. */
    static Tensor reduce(ReduceOp op, Tensor t, int[] dims, DType outDtype) {
        int[] shape = t.layout().shape().clone();
        for (int d : dims) shape[d] = 1;
        Tensor out = empty(shape, outDtype, t.device());
        Tensor src = op == ReduceOp.ANY || op == ReduceOp.ALL ? t : cast(t, outDtype);
        t.backend().reduce(op, src.strided(), dims, out.strided());
        return out;
    }

    static void checkSameDevice(Tensor a, Tensor b) {
        if (!a.device().equals(b.device()))
            throw new IllegalArgumentException("Expected all tensors to be on the same device, but found at least two devices, " + a.device() + " and " + b.device() + "!");
    }
}
