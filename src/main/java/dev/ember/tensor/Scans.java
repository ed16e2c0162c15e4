package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.Tensor.ValuesIndices;
import dev.ember.tensor.spi.ScanOp;

import java.util.List;

/**
 * {@code cumsum}, {@code cumprod}, {@code cummax}/{@code cummin} (values and indices) and {@code logcumsumexp} along
 * a dim, with backward rules. Integer and bool inputs to cumsum/cumprod give int64.
 */
final class Scans {
    private Scans() {}

    static Tensor cumsum(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        Tensor out = scan(ScanOp.SUM, t, d);
        return Autograd.record("CumsumBackward0", out, t, c -> new Tensor[] {reversedCumsum(c.grad(), d)});
    }

    /**
     * {@code cumsum(dim, dtype=)}: the input is cast to dtype and the result keeps it, so a narrow integer
     * dtype wraps (the scan itself runs in int64, which wraps to the same values).
     */
    static Tensor cumsum(Tensor t, int dim, DType dtype) {
        checkZeroDimFits(t, dtype);
        return keepDtype("cumsum", t, cumsum(t.to(dtype), dim), dtype);
    }

    static Tensor cumprod(Tensor t, int dim, DType dtype) {
        checkZeroDimFits(t, dtype);
        return keepDtype("cumprod", t, cumprod(t.to(dtype), dim), dtype);
    }

    /**
     * PyTorch fills the result of a 0-dim float input with its value as a Scalar, so a value the dtype cannot hold
     * (-1.75 as uint8) is refused where a tensor cast would wrap.
     */
    private static void checkZeroDimFits(Tensor t, DType dtype) {
        if (t.dim() == 0 && t.isFloatingPoint()) Scalar.of(t.item()).checkedFor(dtype);
    }

    private static Tensor keepDtype(String op, Tensor t, Tensor out, DType dtype) {
        // a bool input is scanned as int64, but a bool result has no kernel (which a 0-dim or empty input never reaches)
        if (dtype == DType.BOOL && t.dim() > 0 && t.numel() > 0)
            throw new IllegalArgumentException("\"" + op + "_out_cpu\" not implemented for 'Bool'");
        return out.dtype() == dtype ? out : Kernels.cast(out, dtype);
    }

    static Tensor cumprod(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        Tensor out = scan(ScanOp.PROD, t, d);
        return Autograd.record("CumprodBackward0", out, new Tensor[] {t}, new Tensor[] {t, out},
                c -> new Tensor[] {cumprodBackward(c.grad(), c.saved(0), d, c.saved(1), c.createGraph())});
    }

    /** {@code cummax(dim)} / {@code cummin(dim)}: every dtype but float16 (bool included); the gradient goes to the indices. */
    static ValuesIndices cumExtreme(Tensor t, int dim, boolean max) {
        String name = max ? "cummax" : "cummin";
        int d = Shape.wrapDim(dim, t.dim());
        refuseHalf(t, name + "_cpu");
        int[] in = t.layout().shape();
        Tensor values = Kernels.empty(in, t.dtype(), t.device()), indices = Kernels.empty(in, DType.INT64, t.device());
        if (t.numel() > 0) t.backend().cumExtreme(max ? ScanOp.MAX : ScanOp.MIN, t.strided(), d, values.strided(), indices.strided());
        // PyTorch's cummaxmin_backward: zeros(input).scatter_add(dim, indices, grad)
        Autograd.recordMulti(max ? "CummaxBackward0" : "CumminBackward0", new Tensor[] {values, indices}, new Tensor[] {t}, new Tensor[] {t, indices},
                c -> {
                    // both unpacked even where unused (PyTorch's formula names self), so an in-place change to either fails as in PyTorch
                    c.saved(0);
                    Tensor idx = c.saved(1);
                    return new Tensor[] {in.length == 0 ? c.grad(0) : Tensor.zeros(in, c.grad(0).dtype()).to(c.grad(0).device()).scatterAdd(d, idx, c.grad(0))};
                });
        return new ValuesIndices(values, indices);
    }

    /** {@code logcumsumexp(dim)}: float32/64 and bfloat16, accumulated in double as PyTorch's CPU kernel does for float. */
    static Tensor logcumsumexp(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        if (!t.dtype().isFloatingPoint() || (t.dtype() == DType.FLOAT16 && t.device().isCpu()))
            throw new IllegalArgumentException("\"logcumsumexp_out_cpu\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
        Tensor out = Kernels.zeros(t.layout().shape(), t.dtype(), t.device());
        t.backend().scan(ScanOp.LOGSUMEXP, t.strided(), d, out.strided());
        return Autograd.record("LogcumsumexpBackward0", out, new Tensor[] {t}, new Tensor[] {t, out},
                c -> new Tensor[] {logcumsumexpBackward(c.grad(), c.saved(0), c.saved(1), d)});
    }

    /**
     * PyTorch's logcumsumexp_backward (TensorFlow's): the positive and negative parts of the gradient in log space,
     * each pushed back with a reversed logcumsumexp, so nothing overflows.
     */
    private static Tensor logcumsumexpBackward(Tensor g, Tensor x, Tensor out, int d) {
        if (g.dim() == 0 || g.numel() == 0) return g;
        double lowest = switch (g.dtype()) {
            case FLOAT64 -> -Double.MAX_VALUE;
            case BFLOAT16 -> -3.3895313892515355e38;
            default -> -Float.MAX_VALUE;
        };
        Tensor logPositive = Tensor.where(g.gt(0L), g.log(), lowest), logNegative = Tensor.where(g.lt(0L), g.neg().log(), lowest);
        Tensor positive = logPositive.sub(out).flip(d).logcumsumexp(d).flip(d).add(x).exp();
        Tensor negative = logNegative.sub(out).flip(d).logcumsumexp(d).flip(d).add(x).exp();
        return positive.sub(negative);
    }

    private static Tensor scan(ScanOp op, Tensor t, int d) {
        refuseHalf(t, (op == ScanOp.SUM ? "cumsum" : "cumprod") + "_out_cpu");
        Tensor src = Kernels.cast(t, t.dtype().isFloatingPoint() ? t.dtype() : DType.INT64);
        Tensor out = Kernels.zeros(t.layout().shape(), src.dtype(), t.device());
        t.backend().scan(op, src.strided(), d, out.strided());
        return out;
    }

    /**
     * PyTorch's CPU scans have bfloat16 but no float16 kernel; a 0-dim or empty input never reaches the kernel's
     * dtype dispatch (it is copied or left empty), so float16 passes there.
     */
    private static void refuseHalf(Tensor t, String kernel) {
        if (t.dtype() == DType.FLOAT16 && t.device().isCpu() && t.dim() > 0 && t.numel() > 0)
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for 'Half'");
    }

    /** {@code x.flip(d).cumsum(d).flip(d)}: each position gets the sum of itself and everything after it. */
    private static Tensor reversedCumsum(Tensor g, int d) {
        if (g.numel() <= 1 || g.dim() == 0 || g.size(d) == 1) return g;
        return g.flip(d).cumsum(d).flip(d);
    }

    /**
     * The gradient of {@code out = cumprod(x)}: {@code dx_i = sum_{k >= i} g_k * prod_{j <= k, j != i} x_j}.
     * Without zeros that is {@code reversed_cumsum(g * out) / x}. With zeros (z = the first zero of a line)
     * the same holds before z; at z the products skip x_z, which is the cumulative product of x with x_z
     * replaced by 1; after z every product contains x_z, so the gradient is 0. That last zero is exact but not
     * differentiable in x_z, so when a graph of the gradient is being built (double backward) with zeros present,
     * {@link #cumprodBackwardSmooth} is used instead, as PyTorch switches to its O(n^2) formula.
     */
    private static Tensor cumprodBackward(Tensor g, Tensor x, int d, Tensor out, boolean createGraph) {
        if (x.numel() <= 1 || x.dim() == 0 || x.size(d) == 1) return g;
        Tensor w = g.mul(out);
        Tensor isZero = x.eq(0.0);
        if (!isZero.any().itemBool()) return reversedCumsum(w, d).div(x);
        if (createGraph) return cumprodBackwardSmooth(g, x, d);
        Tensor zerosSoFar = isZero.cumsum(d);
        Tensor before = zerosSoFar.eq(0.0), fromFirst = zerosSoFar.eq(1.0);
        Tensor firstZero = isZero.logicalAnd(fromFirst);
        // w is masked before the sums, as PyTorch's masked_fill: a NaN after the first zero (0 * NaN) stays out of them
        Tensor gradBefore = Tensor.where(before, reversedCumsum(Tensor.where(before, w, 0.0), d).div(Tensor.where(before, x, 1.0)), 0.0);
        // PyTorch's order, which decides a reduced-precision result: the products after the first zero (up to the
        // second) times the gradient, summed, then times the product before it (the output just before it, or 1)
        Tensor after = fromFirst.logicalAnd(firstZero.logicalNot());
        Tensor sum = Tensor.where(after, x, 1.0).cumprod(d).mul(Tensor.where(fromFirst, g, 0.0)).sum(new int[] {d}, true);
        Tensor firstIndex = fromFirst.to(DType.INT64).argmax(d, true);
        Tensor prefix = out.gather(d, firstIndex.sub(1L).relu()).maskedFill(firstIndex.eq(0L), 1.0);
        return gradBefore.add(Tensor.where(firstZero, sum.mul(prefix), 0.0));
    }

    /**
     * The same gradient without division or masks, so every derivative of it is right too:
     * {@code dx_i = prod_{j < i} x_j * s_i} with {@code s_i = g_i + x_{i+1} * s_{i+1}}, one step per position.
     */
    private static Tensor cumprodBackwardSmooth(Tensor g, Tensor x, int d) {
        int n = x.size(d);
        Tensor[] s = new Tensor[n];
        s[n - 1] = g.select(d, n - 1);
        for (int i = n - 2; i >= 0; i--) s[i] = g.select(d, i).add(x.select(d, i + 1).mul(s[i + 1]));
        int[] onesShape = x.shape();
        onesShape[d] = 1;
        Tensor before = Tensor.cat(List.of(Tensor.ones(onesShape, x.dtype()), x.narrow(d, 0, n - 1)), d).cumprod(d);
        return before.mul(Tensor.stack(List.of(s), d));
    }
}
