package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.Strided;
import dev.ember.tensor.spi.UnaryOp;

/**
 * {@code softmax}, {@code log_softmax} and {@code logsumexp}: numerically stable (the max is subtracted
 * first) and composed of backend primitives, but with the intermediate results written in place into one
 * output buffer, so softmax costs two reductions, three elementwise passes and one allocation.
 */
final class Softmax {
    private Softmax() {}

    /** {@code softmax(dim, dtype=...)}: the input is converted first (and the gradient converted back). */
    static Tensor softmax(Tensor t, int dim, DType dtype) { return softmax(Pointwise.to(t, dtype), dim); }

    static Tensor logSoftmax(Tensor t, int dim, DType dtype) { return logSoftmax(Pointwise.to(t, dtype), dim); }

    static Tensor softmax(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        checkFloating(t, d, false);
        Tensor out = Kernels.empty(t.layout().shape(), computeType(t), t.device());
        if (t.numel() > 0) {
            Tensor x = rank1(Kernels.cast(t, out.dtype())), y = rank1(out);
            Strided ys = y.strided();
            shifted(x, d, y);
            y.backend().unary(UnaryOp.EXP, ys, ys);
            Tensor sum = Kernels.reduce(ReduceOp.SUM, y, new int[] {d}, y.dtype());
            Tensor tail = t.dtype() == DType.BFLOAT16 ? scalarTail(y, sum, d) : null;
            y.backend().binary(BinaryOp.DIV, ys, sum.strided().expand(y.layout().shape()), ys);
            if (tail != null) y.backend().copy(tail.strided(), tailOf(y, d, y.layout().shape()[d]).strided());
        }
        out = Kernels.cast(out, t.dtype());
        return Autograd.record("SoftmaxBackward0", out, new Tensor[] {t}, new Tensor[] {out}, c -> {
            Tensor y = c.saved(0), g = c.grad();
            return new Tensor[] {c.createGraph() ? softmaxBackwardData(g, y, d) : softmaxBackward(Kernels.cast(g, y.dtype()), y, d)};
        });
    }

    static Tensor logSoftmax(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        checkFloating(t, d, true);
        Tensor out = Kernels.empty(t.layout().shape(), computeType(t), t.device());
        if (t.numel() > 0) {
            Tensor x = rank1(Kernels.cast(t, out.dtype())), y = rank1(out);
            Strided ys = y.strided();
            shifted(x, d, y);
            Tensor lse = Kernels.reduce(ReduceOp.SUM, Kernels.unary(UnaryOp.EXP, y), new int[] {d}, y.dtype());
            // PyTorch's bfloat16 last-dim kernel keeps the sum and its log in bfloat16 (each rounded once); its
            // other kernels round only the result
            boolean bf16Sum = bf16LastDim(t, d);
            if (bf16Sum) lse = roundedTo(lse, t.dtype());
            lse.backend().unary(UnaryOp.LOG, lse.strided(), lse.strided());
            if (bf16Sum) lse = roundedTo(lse, t.dtype());
            // PyTorch's kernel subtracts with the vector operator, which keeps a NaN of x - max (inf - inf) with its
            // sign, where SUB keeps TensorIterator's (the log-sum's NaN): such a row's log-sum is NaN too
            Tensor shifted = lse.isnan().any().itemBool() ? y.clone() : null;
            y.backend().binary(BinaryOp.SUB, ys, lse.strided().expand(y.layout().shape()), ys);
            if (shifted != null) y.copy_(Tensor.where(shifted.isnan(), shifted, y));
        }
        out = Kernels.cast(out, t.dtype());
        return Autograd.record("LogSoftmaxBackward0", out, new Tensor[] {t}, new Tensor[] {out}, c -> {
            Tensor y = c.saved(0), g = c.grad();
            return new Tensor[] {c.createGraph() ? logSoftmaxBackwardData(g, y, d) : logSoftmaxBackward(Kernels.cast(g, y.dtype()), y, d)};
        });
    }

    /**
     * PyTorch's {@code _softmax_backward_data(grad_output, output)} when building a graph: an op of its own
     * ({@code SoftmaxBackwardDataBackward0}) with derivatives.yaml's rules, so double backward names it as PyTorch does.
     */
    private static Tensor softmaxBackwardData(Tensor g, Tensor y, int d) {
        int[] dim = {d};
        return Autograd.record("SoftmaxBackwardDataBackward0", softmaxBackward(Kernels.cast(g, y.dtype()), y, d), new Tensor[] {g, y},
                new Tensor[] {g, y}, c -> {
                    Tensor gg = c.grad(), go = c.saved(0), out = c.saved(1);
                    return new Tensor[] {c.needs(0) ? softmaxBackwardData(gg, out, d) : null, // softmax_double_backward:
                            c.needs(1) ? go.mul(gg).sub(out.mul(go).sum(dim, true).mul(gg)).sub(go.mul(out.mul(gg).sum(dim, true))) : null};
                });
    }

    /** {@code _log_softmax_backward_data} when building a graph ({@code LogSoftmaxBackwardDataBackward0}). */
    private static Tensor logSoftmaxBackwardData(Tensor g, Tensor y, int d) {
        int[] dim = {d};
        return Autograd.record("LogSoftmaxBackwardDataBackward0", logSoftmaxBackward(Kernels.cast(g, y.dtype()), y, d), new Tensor[] {g, y},
                new Tensor[] {g, y}, c -> {
                    Tensor gg = c.grad(), go = c.saved(0), out = c.saved(1);
                    return new Tensor[] {c.needs(0) ? gg.sub(gg.mul(out.exp()).sum(dim, true)) : null,
                            c.needs(1) ? go.sum(dim, true).neg().mul(out.exp()).mul(gg) : null};
                });
    }

    // The backward rules above, once more in raw kernels writing into one buffer: training calls these on
    // every step; the two above record them as ops when a graph of the gradient is built.

    /**
     * {@code y * (g - sum(g * y, d))}; float16/bfloat16 compute in float32 and round once, except that PyTorch's
     * bfloat16 last-dim kernel keeps the sum in bfloat16.
     */
    private static Tensor softmaxBackward(Tensor g, Tensor y, int d) {
        Tensor yc = Kernels.cast(y, computeType(y)), gc = Kernels.cast(g, yc.dtype());
        Tensor gi = Kernels.binary(BinaryOp.MUL, gc, yc, yc.dtype());
        Tensor sum = Kernels.reduce(ReduceOp.SUM, gi, Reductions.reduceDims(new int[] {d}, y.dim()), yc.dtype());
        if (bf16LastDim(y, d)) sum = roundedTo(sum, y.dtype());
        Strided out = gi.strided();
        gi.backend().binary(BinaryOp.SUB, gc.strided(), sum.strided().expand(gi.layout().shape()), out);
        gi.backend().binary(BinaryOp.MUL, out, yc.strided(), out);
        return Kernels.cast(gi, y.dtype());
    }

    /** {@code g - exp(y) * sum(g, d)}; float16/bfloat16 as in {@link #softmaxBackward}. */
    private static Tensor logSoftmaxBackward(Tensor g, Tensor y, int d) {
        Tensor yc = Kernels.cast(y, computeType(y)), gc = Kernels.cast(g, yc.dtype());
        Tensor sum = Kernels.reduce(ReduceOp.SUM, gc, Reductions.reduceDims(new int[] {d}, y.dim()), yc.dtype());
        if (bf16LastDim(y, d)) sum = roundedTo(sum, y.dtype());
        Tensor gi = Kernels.unary(UnaryOp.EXP, yc);
        Strided out = gi.strided();
        gi.backend().binary(BinaryOp.MUL, out, sum.strided().expand(gi.layout().shape()), out);
        gi.backend().binary(BinaryOp.SUB, gc.strided(), out, out);
        return Kernels.cast(gi, y.dtype());
    }

    /** PyTorch's bfloat16 last-dim softmax kernels keep some sums in bfloat16 where the others round only the result. */
    private static boolean bf16LastDim(Tensor t, int d) { return t.dtype() == DType.BFLOAT16 && (t.dim() == 0 || d == t.dim() - 1); }

    /**
     * PyTorch's bfloat16 softmax over a dim other than the last computes 16 positions of the trailing dims at a time
     * in float and rounds once; the positions left over (the inner size's remainder mod 16) take its scalar loop, which
     * stores each exp rounded to bfloat16 and multiplies it by the float sum's reciprocal, rounding again. Their
     * values from {@code e} (the exps, contiguous in float32) and the sums, or null when there are none.
     */
    private static Tensor scalarTail(Tensor e, Tensor sum, int d) {
        int[] shape = e.layout().shape();
        if (d == shape.length - 1) return null;
        Tensor et = tailOf(e, d, shape[d]);
        if (et == null) return null;
        Tensor recip = Kernels.unary(UnaryOp.RECIPROCAL, tailOf(sum, d, 1));
        return Kernels.binary(BinaryOp.MUL, roundedTo(et, DType.BFLOAT16), recip, DType.FLOAT32);
    }

    /** The positions of contiguous {@code t} past the last whole block of 16 in its dims after {@code d}, as [outer, rows, rest]. */
    private static Tensor tailOf(Tensor t, int d, int rows) {
        int[] shape = t.layout().shape();
        int outer = Shape.numel(java.util.Arrays.copyOf(shape, d)), inner = Shape.numel(java.util.Arrays.copyOfRange(shape, d + 1, shape.length));
        int start = inner / SOFTMAX_BLOCK * SOFTMAX_BLOCK;
        if (start == inner) return null;
        return new Tensor(t.storage(), new Layout(new int[] {outer, rows, inner - start}, new int[] {rows * inner, inner, 1}, t.layout().offset() + start));
    }

    /** Positions per step of PyTorch's vectorized non-last-dim softmax for bfloat16 on AVX2: one 16-lane vector. */
    private static final int SOFTMAX_BLOCK = 16;

    /** {@code t} rounded to {@code dtype} and back, in a new buffer of t's dtype. */
    private static Tensor roundedTo(Tensor t, DType dtype) { return Kernels.cast(Kernels.cast(t, dtype), t.dtype()); }

    /** float16/bfloat16 compute in float32 and round once at the end, as PyTorch's CPU kernels do. */
    private static DType computeType(Tensor t) { return t.dtype().isReducedFloat() ? DType.FLOAT32 : t.dtype(); }

    /** {@code y = x - max(x, d)}, written into y. */
    private static void shifted(Tensor x, int d, Tensor y) {
        Tensor max = Kernels.reduce(ReduceOp.MAX, x, new int[] {d}, x.dtype());
        x.backend().binary(BinaryOp.SUB, x.strided(), max.strided().expand(x.layout().shape()), y.strided());
    }

    /** A 0-dim tensor seen as shape [1] (same storage), so the dim-wise kernels apply. */
    private static Tensor rank1(Tensor t) {
        return t.dim() > 0 ? t : new Tensor(t.storage(), new Layout(new int[] {1}, new int[] {1}, t.layout().offset()));
    }

    /** PyTorch names the kernel that has no integer version: the last-dim one or the general one. */
    private static void checkFloating(Tensor t, int d, boolean log) {
        // an empty input calls no kernel in PyTorch, so an integer one passes through as an empty integer result
        if (t.dtype().isFloatingPoint() || t.numel() == 0) return;
        boolean lastDim = t.dim() == 0 || d == t.dim() - 1;
        String kernel = lastDim ? (log ? "log_softmax_lastdim_kernel_impl" : "softmax_lastdim_kernel_impl") : "softmax_kernel_impl";
        throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
    }

    /**
     * {@code log(sum(exp(x)))} over dims, shifted by the max; an infinite max shifts by 0 so that all -inf
     * gives -inf and +inf gives inf. Integer inputs compute in float32.
     */
    static Tensor logsumexp(Tensor t, int[] dims, boolean keepdim) {
        int[] rd = Reductions.reduceDims(dims, t.dim());
        Tensor x = t.dtype().isFloatingPoint() ? t : t.detach().to(DType.FLOAT32);
        DType dt = x.dtype();
        Tensor sum;
        if (x.numel() > 0) {
            Tensor max = Kernels.reduce(ReduceOp.MAX, x, rd, dt);
            max = Kernels.where(Kernels.unary(UnaryOp.ISINF, max), Creation.full(new int[0], 0, dt, x.device()), max, dt);
            Tensor e = Kernels.binary(BinaryOp.SUB, x, max, dt);
            e.backend().unary(UnaryOp.EXP, e.strided(), e.strided());
            sum = Kernels.reduce(ReduceOp.SUM, e, rd, dt);
            sum.backend().unary(UnaryOp.LOG, sum.strided(), sum.strided());
            sum.backend().binary(BinaryOp.ADD, sum.strided(), max.strided(), sum.strided());
        } else {
            sum = Kernels.reduce(ReduceOp.SUM, x, rd, dt);
            sum.backend().unary(UnaryOp.LOG, sum.strided(), sum.strided());
        }
        Tensor r = Reductions.squeezeReduced(sum, rd, keepdim);
        return Autograd.record("LogsumexpBackward0", r, new Tensor[] {t}, new Tensor[] {t, r}, c -> {
            Tensor in = c.saved(0), g = c.grad(), result = c.saved(1);
            if (in.dim() != 0) {
                g = Reductions.unsqueezeReduced(g, rd, keepdim);
                result = Reductions.unsqueezeReduced(result, rd, keepdim);
            }
            return new Tensor[] {g.mul(in.sub(result).exp())};
        });
    }
}
