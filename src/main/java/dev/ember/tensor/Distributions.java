package dev.ember.tensor;

import dev.ember.autograd.Autograd;

/**
 * The samplers beyond uniform, normal and Bernoulli ({@link Sampling}): {@code exponential_}, {@code geometric_},
 * {@code cauchy_}, {@code log_normal_}, argument-less {@code random_}, {@code torch.poisson} and
 * {@code torch.multinomial}. As everywhere in Ember the numbers are its own generator's, with PyTorch's
 * distributions, argument checks (in its order and words) and grad_fn names.
 */
final class Distributions {
    private Distributions() {}

    static Tensor exponential_(Tensor self, Generator g, double lambd) {
        if (!(lambd >= 0)) throw new IllegalArgumentException("exponential_ expects lambda >= 0.0, but found lambda=" + NumberFormat.cpp(lambd));
        Sampling.requireFloating("exponential_cpu", self.dtype());
        // -log(1 - u) / lambda over u in [0, 1); + 0.0 turns the -0.0 of u = 0 (or lambda = inf) into 0
        return Sampling.overwrite(self, "ExponentialBackward0", () -> lambd == 0 ? Double.POSITIVE_INFINITY : -Math.log1p(-g.nextDouble()) / lambd + 0.0);
    }

    static Tensor geometric_(Tensor self, Generator g, double p) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("geometric_ expects p to be in (0, 1), but got p=" + NumberFormat.cpp(p));
        if (self.dtype() == DType.BOOL) throw new IllegalArgumentException("\"geometric_cpu\" not implemented for 'Bool'");
        // the number of trials up to the first success: ceil(log(u) / log(1 - p)) over u in (0, 1), at least 1
        double logQ = Math.log1p(-p);
        return Sampling.overwrite(self, "GeometricBackward0", () -> Math.ceil(Math.log(openUnit(g)) / logQ));
    }

    static Tensor cauchy_(Tensor self, Generator g, double median, double sigma) {
        Sampling.requireFloating("cauchy_cpu", self.dtype());
        return Sampling.overwrite(self, "CauchyBackward0", () -> median + sigma * Math.tan(Math.PI * (g.nextDouble() - 0.5)));
    }

    static Tensor logNormal_(Tensor self, Generator g, double mean, double std) {
        if (!(std > 0)) throw new IllegalArgumentException("log_normal_ expects std > 0.0, but found std=" + NumberFormat.cpp(std));
        Sampling.requireFloating("log_normal_cpu", self.dtype());
        return Sampling.overwrite(self, "LogNormalBackward0", () -> Math.exp(mean + std * g.nextGaussian()));
    }

    /**
     * {@code random_()}: integers uniform over [0, 2^digits] for a floating dtype (every one it holds exactly) and over
     * [0, max] for an integer one, as PyTorch's.
     */
    static Tensor random_(Tensor self, Generator g) {
        long bound = switch (self.dtype()) {
            case FLOAT64 -> (1L << 53) + 1;
            case FLOAT32 -> (1L << 24) + 1;
            case FLOAT16 -> (1L << 11) + 1;
            case BFLOAT16 -> (1L << 8) + 1;
            case INT64 -> 1L << 63; // read as unsigned by uniformBelow: [0, 2^63)
            case INT32 -> 1L << 31;
            case INT16 -> 1L << 15;
            case INT8 -> 1L << 7;
            case UINT8 -> 256;
            case BOOL -> 2;
        };
        return Sampling.overwriteLongs(self, "RandomBackward2", () -> Sampling.uniformBelow(g, bound));
    }

    /** {@code torch.poisson(rates)}: counts with each element's rate, in the rates' dtype; the gradient is zero. */
    static Tensor poisson(Generator g, Tensor rates) {
        if (rates.dtype() == DType.FLOAT16 || !rates.isFloatingPoint())
            throw new IllegalArgumentException("\"poisson_cpu\" not implemented for '" + TypePromotion.typeName(rates.dtype()) + "'");
        double[] lambda = rates.detach().contiguous().toDoubleArray();
        for (double l : lambda) if (!(l >= 0)) throw new IllegalArgumentException("invalid Poisson rate, expected rate to be non-negative");
        int[] at = {0};
        Tensor out = Sampling.toDevice(Sampling.sample(rates.shape(), rates.dtype(), () -> poissonCount(g, lambda[at[0]++])), rates.device());
        return Autograd.record("PoissonBackward0", out, rates, c -> new Tensor[] {Tensor.zerosLike(c.grad())});
    }

    /**
     * One Poisson count: Knuth's product of uniforms below rate 10, above it Hörmann's transformed rejection with
     * squeeze (PTRS, 1993), which needs a bounded number of uniforms at any rate.
     */
    private static double poissonCount(Generator g, double lambda) {
        if (lambda == 0) return 0;
        if (lambda < 10) {
            double limit = Math.exp(-lambda), product = g.nextDouble();
            long k = 0;
            while (product > limit) {
                product *= g.nextDouble();
                k++;
            }
            return k;
        }
        double slam = Math.sqrt(lambda), logLam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b, invAlpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = g.nextDouble() - 0.5, v = openUnit(g);
            double us = 0.5 - Math.abs(u);
            double k = Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) return k;
            if (k < 0 || (us < 0.013 && v > us)) continue;
            if (Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b) <= -lambda + k * logLam - lgammaOfCount(k)) return k;
        }
    }

    /** log(k!) for the PTRS acceptance test: summed below 30, Stirling's series (error below 1e-13) above. */
    private static double lgammaOfCount(double k) {
        if (k < 30) {
            double s = 0;
            for (int i = 2; i <= k; i++) s += Math.log(i);
            return s;
        }
        double k2 = k * k;
        return k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) + 1 / (12 * k) - 1 / (360 * k * k2) + 1 / (1260 * k * k2 * k2);
    }

    /** Uniform in (0, 1): a log of it is finite. */
    private static double openUnit(Generator g) {
        double u;
        do u = g.nextDouble(); while (u == 0);
        return u;
    }

    /**
     * {@code torch.multinomial(input, num_samples, replacement)}: category indices (int64) drawn from each row's
     * weights. Without replacement, or for one sample, PyTorch's exponential trick: the top num_samples of
     * {@code p / q} with q ~ Exp(1), so categories of weight 0 come last, in topk's order; with replacement, a binary
     * search of the normalized cumulative weights, row by row, each row checked as it is read.
     */
    static Tensor multinomial(Generator g, Tensor self, int numSamples, boolean replacement) {
        if (self.dim() < 1 || self.dim() > 2) throw new IllegalArgumentException("prob_dist must be 1 or 2 dim");
        if (!self.isFloatingPoint())
            throw new IllegalArgumentException("multinomial only supports floating-point dtypes for input, got: " + TypePromotion.typeName(self.dtype()));
        if (numSamples <= 0) throw new IllegalArgumentException("cannot sample n_sample <= 0 samples");
        int categories = self.size(-1);
        if (!replacement && numSamples > categories)
            throw new IllegalArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        if (categories > 1 << 24) throw new IllegalArgumentException("number of categories cannot exceed 2^24");
        int rows = self.dim() == 1 ? 1 : self.size(0);
        int[] shape = self.dim() == 1 ? new int[] {numSamples} : new int[] {rows, numSamples};
        Tensor p = self.detach();
        if (p.numel() == 0) return Tensor.empty(shape, DType.INT64);
        if (!replacement || numSamples == 1) {
            Tensor valid = p.max().lt(Double.POSITIVE_INFINITY).logicalAnd(p.min().ge(0.0));
            if (valid.item() == 0) throw new IllegalArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
            Tensor zeroRows = self.dim() == 1 ? p.sum().eq(0.0) : p.sum(1).eq(0.0).sum();
            if (zeroRows.item() != 0) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            Tensor q = Tensor.emptyLike(p);
            exponential_(q, g, 1);
            Tensor keys = p.div(q);
            return numSamples == 1 ? keys.argmax(-1, true) : keys.topk(numSamples, -1, true, true).indices();
        }
        if (self.dtype() == DType.FLOAT16) throw new IllegalArgumentException("multinomial is not implemented for half on CPU");
        double[] w = p.contiguous().toDoubleArray();
        long[] out = new long[rows * numSamples];
        double[] cumulative = new double[categories];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int j = 0; j < categories; j++) {
                double v = w[r * categories + j];
                if (!(v >= 0)) throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry < 0)");
                if (Double.isInfinite(v)) throw new IllegalArgumentException("invalid multinomial distribution (encountering probability entry = infinity or NaN)");
                sum += v;
                cumulative[j] = sum;
            }
            if (!(sum > 0)) throw new IllegalArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            for (int j = 0; j < categories; j++) cumulative[j] /= sum;
            for (int s = 0; s < numSamples; s++) {
                double u = g.nextDouble();
                int lo = 0, hi = categories;
                while (hi > lo) {
                    int mid = lo + (hi - lo) / 2;
                    if (cumulative[mid] < u) lo = mid + 1;
                    else hi = mid;
                }
                out[r * numSamples + s] = lo; // u < 1 and the last cumulative weight is sum / sum = 1 exactly
            }
        }
        return Sampling.toDevice(Tensor.tensor(out).view(shape), self.device());
    }
}
