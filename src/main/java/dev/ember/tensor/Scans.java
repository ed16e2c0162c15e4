package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.spi.ScanOp;

import java.util.List;

/** {@code cumsum} and {@code cumprod} along a dim, with backward rules. Integer and bool inputs give int64. */
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
    static Tensor cumsum(Tensor t, int dim, DType dtype) { return keepDtype("cumsum", cumsum(t.to(dtype), dim), dtype); }

    static Tensor cumprod(Tensor t, int dim, DType dtype) { return keepDtype("cumprod", cumprod(t.to(dtype), dim), dtype); }

    private static Tensor keepDtype(String op, Tensor out, DType dtype) {
        // a bool input is scanned as int64, but a bool result has no kernel
        if (dtype == DType.BOOL) throw new IllegalArgumentException("\"" + op + "_out_cpu\" not implemented for 'Bool'");
        return out.dtype() == dtype ? out : Kernels.cast(out, dtype);
    }

    static Tensor cumprod(Tensor t, int dim) {
        int d = Shape.wrapDim(dim, t.dim());
        Tensor out = scan(ScanOp.PROD, t, d);
        return Autograd.record("CumprodBackward0", out, new Tensor[] {t}, new Tensor[] {t, out},
                c -> new Tensor[] {cumprodBackward(c.grad(), c.saved(0), d, c.saved(1), c.createGraph())});
    }

    private static Tensor scan(ScanOp op, Tensor t, int d) {
        // PyTorch's CPU scans have bfloat16 but no float16 kernel
        if (t.dtype() == DType.FLOAT16 && t.device().isCpu())
            throw new IllegalArgumentException("\"" + (op == ScanOp.SUM ? "cumsum" : "cumprod") + "_out_cpu\" not implemented for 'Half'");
        Tensor src = Kernels.cast(t, t.dtype().isFloatingPoint() ? t.dtype() : DType.INT64);
        Tensor out = Kernels.zeros(t.layout().shape(), src.dtype(), t.device());
        t.backend().scan(op, src.strided(), d, out.strided());
        return out;
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
        Tensor before = zerosSoFar.eq(0.0);
        Tensor firstZero = isZero.logicalAnd(zerosSoFar.eq(1.0));
        Tensor gradBefore = Tensor.where(before, reversedCumsum(w, d).div(Tensor.where(before, x, 1.0)), 0.0);
        Tensor skipping = Tensor.where(firstZero, 1.0, x).cumprod(d);
        Tensor atZero = reversedCumsum(Tensor.where(zerosSoFar.ge(1.0), g.mul(skipping), 0.0), d);
        return gradBefore.add(Tensor.where(firstZero, atZero, 0.0));
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
