package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.cdist(x1, x2, p, compute_mode)}: the p-norm distance between each row of x1 and each row of x2, over
 * broadcast batch dims. As ATen 1.13 picks: for p = 2 with more than 25 rows on a side (or when asked) the matrix
 * product form {@code |a|² - 2a·b + |b|²} ({@code _euclidean_dist}, its node under a view); otherwise the direct
 * distances ({@code CdistBackward0}, whose backward is {@code _cdist_backward}'s formula per p).
 */
final class Distances {
    private Distances() {}

    /** compute_mode as the Python function maps it: 0 picks by size, 1 always the product form, 2 never. */
    static int computeMode(String mode) {
        return switch (mode) {
            case "use_mm_for_euclid_dist_if_necessary" -> 0;
            case "use_mm_for_euclid_dist" -> 1;
            case "donot_use_mm_for_euclid_dist" -> 2;
            default -> throw new IllegalArgumentException(mode + " is not a valid value for compute_mode");
        };
    }

    static Tensor cdist(Tensor x1, Tensor x2, double p, int mode) {
        if (x1.dim() < 2) throw new IllegalArgumentException("cdist only supports at least 2D tensors, X1 got: " + x1.dim() + "D");
        if (x2.dim() < 2) throw new IllegalArgumentException("cdist only supports at least 2D tensors, X2 got: " + x2.dim() + "D");
        int c = x1.size(-1);
        if (c != x2.size(-1))
            throw new IllegalArgumentException("X1 and X2 must have the same number of columns. X1: " + c + " X2: " + x2.size(-1));
        if (!x1.dtype().isFloatingPoint())
            throw new IllegalArgumentException("cdist only supports floating-point dtypes, X1 got: " + TypePromotion.typeName(x1.dtype()));
        if (!x2.dtype().isFloatingPoint())
            throw new IllegalArgumentException("cdist only supports floating-point dtypes, X2 got: " + TypePromotion.typeName(x2.dtype()));
        if (!(p >= 0)) throw new IllegalArgumentException("cdist only supports non-negative p values");
        Kernels.checkSameDevice(x1, x2);
        int[] s1 = x1.layout().shape(), s2 = x2.layout().shape();
        int[] batch = Shape.broadcast(Arrays.copyOf(s1, s1.length - 2), Arrays.copyOf(s2, s2.length - 2));
        int r1 = x1.size(-2), r2 = x2.size(-2);
        int[] outShape = with(batch, r1, r2);
        int count = Shape.numel(batch);
        Tensor a = x1.expand(with(batch, r1, c)), b = x2.expand(with(batch, r2, c));
        boolean empty = a.numel() == 0 || b.numel() == 0;
        if (!empty && x1.dtype() != x2.dtype())
            throw new IllegalArgumentException("expected scalar type " + TypePromotion.typeName(x1.dtype()) + " but found " + TypePromotion.typeName(x2.dtype()));
        if (!empty && p == 2 && (mode == 1 || (mode == 0 && (r1 > 25 || r2 > 25)))) {
            Tensor d = count == 1 ? euclidean(x1, x2) : euclidean(a.reshape(count, r1, c), b.reshape(count, r2, c));
            return d.view(outShape);
        }
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = r1 == 0 || r2 == 0 || count == 0 ? Kernels.empty(outShape, x1.dtype(), x1.device())
                    : c == 0 ? Kernels.zeros(outShape, x1.dtype(), x1.device())
                    : distances(differences(a, b), p);
        }
        return Autograd.record("CdistBackward0", out, new Tensor[] {x1, x2}, new Tensor[] {x1, x2, out}, ctx -> {
            Tensor[] grads = cdistBackward(ctx.grad(), ctx.saved(0).expand(with(batch, r1, c)), ctx.saved(1).expand(with(batch, r2, c)), ctx.saved(2), p);
            return new Tensor[] {ctx.needs(0) ? grads[0] : null, ctx.needs(1) ? grads[1] : null};
        });
    }

    /** a[..., i, :] - b[..., j, :] at [..., i, j, :]. */
    private static Tensor differences(Tensor a, Tensor b) { return a.unsqueeze(-2).sub(b.unsqueeze(-3)); }

    /**
     * ATen's per-element map and reduction: p = 0 counts {@code min(ceil(|d|), 1)}, so a NaN difference gives NaN; p = inf
     * folds {@code std::max(agg, |d|)} from 0, which never picks a NaN. The sums run in the input's dtype from the first
     * column to the last, as ATen's scalar loop adds them (a pairwise sum rounds differently in float32).
     */
    private static Tensor distances(Tensor diff, double p) {
        Tensor abs = diff.abs();
        if (p == 0) return abs.ceil().clampMax(1.0).sum(new int[] {-1}, false);
        if (p == 1) return inOrderSum(abs);
        if (p == 2) return inOrderSum(abs.mul(abs)).sqrt();
        if (p == Double.POSITIVE_INFINITY) return Tensor.where(abs.isnan(), 0.0, abs).amax(-1);
        // ATen holds p in the scalar type but takes the root as std::pow(agg, 1.0 / p), in double: a float32 root
        // of 0.5^1.5 misses 0.5 by an ulp, which a later p = 1 distance's sign turns into a whole gradient unit
        double pt = diff.dtype() == DType.FLOAT32 ? (float) p : p;
        Tensor sum = inOrderSum(abs.pow(pt));
        return sum.to(DType.FLOAT64).pow(1 / pt).to(sum.dtype());
    }

    /** The sum over the last dim, one column after another, row-major as ATen allocates cdist's result. */
    private static Tensor inOrderSum(Tensor t) {
        int m = t.size(-1);
        Tensor sum = t.select(-1, 0);
        for (int i = 1; i < m; i++) sum = sum.add(t.select(-1, i));
        // one column is a view of t: copied, as is a sum whose size-1 dims' strides are not row-major
        return m > 1 && sum.layout().equals(Layout.contiguous(sum.layout().shape())) ? sum : Kernels.copy(sum);
    }

    /**
     * {@code _cdist_backward}'s per-element terms, summed over the other side's rows: 0 for p = 0, sign(d) for p = 1,
     * the element at the max for p = inf, else d |d|^(p-2) / dist^(p-1), 0 where the distance is 0 (and, for p < 1,
     * where the difference is). The term is odd in d, so x2's gradient is the negated sum over x1's rows.
     */
    private static Tensor[] cdistBackward(Tensor grad, Tensor x1, Tensor x2, Tensor dist, double p) {
        Tensor diff = differences(x1, x2);
        Tensor g = grad.unsqueeze(-1), d = dist.unsqueeze(-1);
        Tensor term;
        if (p == 0) term = Tensor.zerosLike(diff); // zero even where the difference is not finite
        else if (p == 1) term = sign(diff).mul(g);
        else if (p == Double.POSITIVE_INFINITY) {
            // 1 where |d| is the distance, 0 elsewhere, NaN where either is NaN or both are infinite
            term = sign(diff).mul(g).mul(diff.abs().sub(d).abs().ceil().clampMax(1.0).neg().add(1.0));
        } else {
            Tensor zero = d.eq(0.0);
            if (p < 1) zero = zero.logicalOr(diff.eq(0.0));
            Tensor value = p == 2 ? g.mul(diff).div(d)
                    : p < 2 ? sign(diff).mul(diff.abs().pow(p - 1)).mul(g).div(d.pow(p - 1))
                    : diff.mul(diff.abs().pow(p - 2)).mul(g).div(d.pow(p - 1));
            term = Tensor.where(zero, 0.0, value);
        }
        return new Tensor[] {term.sum(new int[] {-2}, false), term.sum(new int[] {-3}, false).neg()};
    }

    /** The distance kernels' sign, {@code clamp(ceil(d), 0, 1) + clamp(floor(d), -1, 0)}: unlike torch.sign, NaN stays NaN. */
    private static Tensor sign(Tensor diff) { return diff.ceil().clamp(0.0, 1.0).add(diff.floor().clamp(-1.0, 0.0)); }

    /** ATen's {@code _euclidean_dist}: one product of padded rows, clamped at 0 before the square root. */
    private static Tensor euclidean(Tensor x1, Tensor x2) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor n1 = x1.pow(2.0).sum(new int[] {-1}, true), n2 = x2.pow(2.0).sum(new int[] {-1}, true);
            Tensor a = Tensor.cat(List.of(x1.mul(-2.0), n1, Tensor.onesLike(n1)), -1);
            Tensor b = Tensor.cat(List.of(x2, Tensor.onesLike(n2), n2), -1);
            out = a.matmul(b.mT()).clampMin(0.0).sqrt();
        }
        return Autograd.record("EuclideanDistBackward0", out, new Tensor[] {x1, x2}, new Tensor[] {x1, x2, out}, ctx -> {
            Tensor a = ctx.saved(0), b = ctx.saved(1), res = ctx.saved(2);
            Tensor ratio = Tensor.where(res.eq(0.0), 0.0, ctx.grad().div(res));
            return new Tensor[] {
                    !ctx.needs(0) ? null : a.mul(ratio.sum(new int[] {-1}, true)).sub(ratio.matmul(b)),
                    !ctx.needs(1) ? null : b.mul(ratio.sum(new int[] {-2}, false).unsqueeze(-1)).sub(ratio.mT().matmul(a))};
        });
    }

    private static int[] with(int[] batch, int rows, int cols) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = rows;
        s[batch.length + 1] = cols;
        return s;
    }
}
