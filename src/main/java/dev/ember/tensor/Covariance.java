package dev.ember.tensor;

import dev.ember.autograd.Autograd;

import java.util.logging.Logger;

/**
 * cov (with a correction, integer frequency weights and floating observation weights) and corrcoef, of the variables
 * in the rows of a 2-d input (a 1-d input is one variable). Composed as ATen composes them, so the graph is PyTorch's
 * (SqueezeBackward0 over DivBackward0 over MmBackward0; corrcoef's clamp and divisions on top).
 */
final class Covariance {
    private Covariance() {}

    private static final Logger LOG = Logger.getLogger(Covariance.class.getName());

    static Tensor cov(Tensor self, long correction, Tensor fweights, Tensor aweights) {
        try (var cpp = Autograd.cppComposite()) {
            return covariance(self, correction, fweights, aweights);
        }
    }

    private static Tensor covariance(Tensor self, long correction, Tensor fweights, Tensor aweights) {
        if (self.dim() > 2)
            throw new IllegalArgumentException("cov(): expected input to have two or fewer dimensions but got an input with " + self.dim() + " dimensions");
        if (self.dtype() == DType.BOOL) throw new IllegalArgumentException("cov(): bool dtype is not supported for input");
        Tensor in = self.dim() < 2 ? self.view(1, -1) : self;
        int observations = in.size(1);
        Tensor w = null;
        if (fweights != null) {
            checkWeights("fweights", fweights, observations);
            if (fweights.isFloatingPoint() || fweights.dtype() == DType.BOOL)
                throw new IllegalArgumentException("cov(): expected fweights to have integral dtype but got fweights with " + TypePromotion.typeName(fweights.dtype()) + " dtype");
            checkCount("fweights", fweights, observations);
            w = fweights;
        }
        if (aweights != null) {
            checkWeights("aweights", aweights, observations);
            if (!aweights.isFloatingPoint())
                throw new IllegalArgumentException("cov(): expected aweights to have floating point dtype but got aweights with " + TypePromotion.typeName(aweights.dtype()) + " dtype");
            checkCount("aweights", aweights, observations);
            w = w == null ? aweights : w.mul(aweights);
        }
        Tensor wSum = w == null ? Tensor.full(new int[0], (long) observations, DType.INT64) : w.sum();
        if (w != null && !wSum.ne(0L).itemBool()) throw new IllegalArgumentException("cov(): weights sum to zero, can't be normalized");
        Tensor avg = (w == null ? in : in.mul(w)).sum(1).div(wSum);
        Tensor norm = w != null && aweights != null && correction != 0
                ? wSum.sub(w.mul(aweights).sum().mul(correction).div(wSum))
                : wSum.sub(correction);
        if (norm.le(0L).itemBool()) {
            LOG.warning("cov(): degrees of freedom is <= 0");
            norm = Tensor.zerosLike(norm);
        }
        Tensor centred = in.sub(avg.unsqueeze(1));
        return centred.mm((w == null ? centred : centred.mul(w)).t()).trueDivide(norm).squeeze();
    }

    private static void checkWeights(String name, Tensor w, int observations) {
        if (w.dim() > 1)
            throw new IllegalArgumentException("cov(): expected " + name + " to have one or fewer dimensions but got " + name + " with " + w.dim() + " dimensions");
    }

    private static void checkCount(String name, Tensor w, int observations) {
        if (w.numel() != observations)
            throw new IllegalArgumentException("cov(): expected " + name + " to have the same numel as there are observations in the input but got "
                    + w.numel() + " != " + observations);
        if (observations != 0 && !w.min().ge(0L).itemBool()) throw new IllegalArgumentException("cov(): " + name + " cannot be negative");
    }

    /** Pearson's correlation coefficients: cov scaled by the standard deviations, clipped to [-1, 1]; a scalar c / c. */
    static Tensor corrcoef(Tensor self) {
        if (self.dim() > 2)
            throw new IllegalArgumentException("corrcoef(): expected input to have two or fewer dimensions but got an input with " + self.dim() + " dimensions");
        try (var cpp = Autograd.cppComposite()) {
            return normalized(covariance(self, 1, null, null));
        }
    }

    private static Tensor normalized(Tensor c) {
        if (c.dim() == 0) return c.div(c);
        Tensor stddev = c.diag().sqrt();
        c = c.div(stddev.view(-1, 1));
        c = c.div(stddev.view(1, -1));
        return c.clip(-1.0, 1.0);
    }
}
