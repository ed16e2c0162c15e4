package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.UnaryOp;

import java.util.List;

/**
 * {@code var} and {@code std} with a {@code correction} (Bessel's is 1), with backward rules.
 *
 * <p>The forward divides the sum of squared deviations by {@code max(0, N - correction)}, as PyTorch does:
 * with no degrees of freedom left the result is inf, or nan when every deviation is zero, and no warning.
 */
final class Statistics {
    private Statistics() {}

    static Tensor var(Tensor t, int[] dims, double correction, boolean keepdim) {
        check(t);
        int[] rd = Reductions.reduceDims(dims, t.dim());
        Tensor r = Reductions.squeezeReduced(moments(t, rd, correction, false).spread(), rd, keepdim);
        boolean all = dims == null || dims.length == 0 || t.dim() == 0;
        return Autograd.record("VarBackward0", r, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {varBackward(c.grad(), c.saved(0), rd, all, correction, keepdim)});
    }

    static Tensor std(Tensor t, int[] dims, double correction, boolean keepdim) {
        check(t);
        int[] rd = Reductions.reduceDims(dims, t.dim());
        Tensor r = Reductions.squeezeReduced(moments(t, rd, correction, true).spread(), rd, keepdim);
        boolean all = dims == null || dims.length == 0 || t.dim() == 0;
        return Autograd.record("StdBackward0", r, new Tensor[] {t}, new Tensor[] {t, r}, c -> {
            Tensor result = c.saved(1);
            // PyTorch's std_backward: var's gradient scaled by 1 / (2 std), zero where std is zero
            Tensor g = c.grad().div(result.mul(2.0)).maskedFill(result.eq(0.0), 0.0);
            return new Tensor[] {varBackward(g, c.saved(0), rd, all, correction, keepdim)};
        });
    }

    /**
     * {@code torch.var_mean} / {@code torch.std_mean}: the spread and the mean of one pass, as one node with two
     * outputs (VarMeanBackward0 / StdMeanBackward0) whose input gradient adds the two outputs' rules.
     */
    static List<Tensor> spreadMean(Tensor t, int[] dims, double correction, boolean keepdim, boolean std) {
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException((std ? "std_mean" : "var_mean") + " only support floating point and complex dtypes");
        int[] rd = Reductions.reduceDims(dims, t.dim());
        Moments m = moments(t, rd, correction, std);
        Tensor spread = Reductions.squeezeReduced(m.spread(), rd, keepdim), mean = Reductions.squeezeReduced(welford(t, rd, m.mean()), rd, keepdim);
        boolean all = dims == null || dims.length == 0 || t.dim() == 0;
        int[] in = t.layout().shape();
        long n = count(t, rd);
        Tensor[] outs = Autograd.recordMulti(std ? "StdMeanBackward0" : "VarMeanBackward0", new Tensor[] {spread, mean}, new Tensor[] {t},
                std ? new Tensor[] {t, spread} : new Tensor[] {t}, c -> {
                    Tensor g = null;
                    if (c.hasGrad(0)) {
                        Tensor gs = c.grad(0);
                        if (std) gs = gs.div(c.saved(1).mul(2.0)).maskedFill(c.saved(1).eq(0.0), 0.0);
                        g = varBackward(gs, c.saved(0), rd, all, correction, keepdim);
                    }
                    if (c.hasGrad(1)) {
                        Tensor gm = Reductions.expandBack(c.grad(1), in, rd, keepdim).div((double) n);
                        g = g == null ? gm : g.add(gm);
                    }
                    return new Tensor[] {g};
                });
        return List.of(outs);
    }

    private static void check(Tensor t) {
        if (!t.dtype().isFloatingPoint()) throw new IllegalArgumentException("std and var only support floating point and complex dtypes");
    }

    /** The mean over the reduced dims and the spread about it, both with the dims kept as size 1 and in t's dtype. */
    private record Moments(Tensor spread, Tensor mean) {}

    /** Sum of squared deviations from the mean over dims (kept as size 1), over max(0, N - correction); sqrt'd for std. */
    private static Moments moments(Tensor t, int[] dims, double correction, boolean sqrt) {
        long n = count(t, dims);
        // float16/bfloat16 accumulate in float32 and round once at the end, as PyTorch's CPU kernel does
        DType dt = t.dtype().isReducedFloat() ? DType.FLOAT32 : t.dtype();
        Tensor mean = Kernels.reduce(ReduceOp.SUM, t, dims, dt);
        if (n == 0) {
            // PyTorch fills a reduction over no elements with quiet_NaN (positive), where 0 / 0 would be x86's -nan
            mean.fill_(Double.NaN);
            return new Moments(Kernels.cast(mean.clone(), t.dtype()), Kernels.cast(mean, t.dtype()));
        }
        divideInPlace(mean, n);
        Tensor deviation = Kernels.binary(BinaryOp.SUB, t, mean, dt);
        deviation.backend().binary(BinaryOp.MUL, deviation.strided(), deviation.strided(), deviation.strided());
        Tensor m2 = Kernels.reduce(ReduceOp.SUM, deviation, dims, dt);
        double dof = Math.max(0.0, n - correction);
        divideInPlace(m2, dof);
        if (sqrt) m2.backend().unary(UnaryOp.SQRT, m2.strided(), m2.strided());
        return new Moments(Kernels.cast(m2, t.dtype()), Kernels.cast(mean, t.dtype()));
    }

    /**
     * The mean as PyTorch's var_mean/std_mean kernel reaches it, by Welford's update {@code m += (x - m) / k} in
     * iteration order: an infinity makes every later update nan, so the mean stays infinite only when the one
     * infinity is the element visited last (the last index along every reduced dim, whatever the loop order).
     */
    private static Tensor welford(Tensor t, int[] dims, Tensor mean) {
        if (count(t, dims) == 0) return mean;
        try (var g = GradMode.noGrad()) {
            Tensor x = t.detach();
            Tensor infs = x.isinf().sum(dims, true);
            if (infs.numel() == 0 || infs.max().itemLong() == 0) return mean;
            Tensor last = x;
            for (int d : dims) last = last.narrow(d, last.size(d) - 1, 1);
            Tensor infiniteMean = infs.eq(1L).logicalAnd(last.isinf());
            // the first NaN is inf + -inf, x86's default NaN (sign bit set), which every later update passes on
            Tensor nan = Tensor.scalar(Double.longBitsToDouble(0xFFF8_0000_0000_0000L), mean.dtype());
            return Tensor.where(infs.gt(0L).logicalAnd(infiniteMean.logicalNot()), nan, mean);
        }
    }

    private static void divideInPlace(Tensor t, double by) {
        Tensor s = Creation.full(new int[0], by, t.dtype(), t.device());
        t.backend().binary(BinaryOp.DIV, t.strided(), s.strided().expand(t.layout().shape()), t.strided());
    }

    private static long count(Tensor t, int[] dims) {
        long n = 1;
        for (int d : dims) n *= t.layout().shape()[d];
        return n;
    }

    /**
     * PyTorch 1.13's var_backward: {@code 2 / (N - correction) * grad * (x - mean)}, also when N - correction
     * is negative. Over every element (no dims given, or a 0-dim input) with no degrees of freedom left it is
     * {@code grad * inf} in the reduced gradient's 0-dim shape: right for a 0-dim input, and for any other the
     * engine rejects it with the shape error PyTorch 1.13 raises there (later versions give inf, or nan where
     * an element equals the mean).
     */
    private static Tensor varBackward(Tensor grad, Tensor x, int[] dims, boolean all, double correction, boolean keepdim) {
        if (all) {
            double dof = x.numel() - correction;
            if (dof == 0) return grad.mul(Double.POSITIVE_INFINITY);
            return grad.mul(2.0 / dof).mul(x.sub(x.mean())); // (2 / dof) * grad * (self - self.mean()), PyTorch's order
        }
        Tensor g = Reductions.unsqueezeReduced(grad, dims, keepdim);
        return g.mul(2.0 / (count(x, dims) - correction)).mul(x.sub(x.mean(dims, true)));
    }
}
