package dev.ember.tensor;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * exponential_, geometric_, cauchy_, log_normal_, random_(), poisson and multinomial: Ember's own numbers, checked
 * for reproducibility and their distributions (fixed seeds, bounds several standard errors wide), with PyTorch 1.13's
 * argument errors and grad_fn names (its printed messages quoted beside each).
 */
class DistributionsTest {
    private static final int N = 200_000;

    private static double[] draw(java.util.function.Consumer<Tensor> fill, DType dtype) {
        Tensor t = Tensor.zeros(new int[] {N}, dtype);
        fill.accept(t);
        return t.toDoubleArray();
    }

    private static double mean(double[] v) { return Arrays.stream(v).average().orElseThrow(); }

    private static double variance(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
    }

    private static double quantile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[(int) (q * (s.length - 1))];
    }

    @Test
    void theSamplersHaveTheirDistributions() {
        double[] e = draw(t -> t.exponential_(new Generator(1), 2.0), DType.FLOAT32);
        assertThat(mean(e)).isCloseTo(0.5, within(0.005));
        assertThat(variance(e)).isCloseTo(0.25, within(0.006));
        assertThat(Arrays.stream(e).min().orElseThrow()).isGreaterThanOrEqualTo(0.0);
        double[] geo = draw(t -> t.geometric_(new Generator(2), 0.25), DType.FLOAT64);
        assertThat(mean(geo)).isCloseTo(4.0, within(0.03));
        assertThat(variance(geo)).isCloseTo(12.0, within(0.3)); // (1 - p) / p^2
        assertThat(Arrays.stream(geo).allMatch(x -> x >= 1 && x == Math.rint(x))).isTrue();
        double[] c = draw(t -> t.cauchy_(new Generator(3), 1.5, 2.0), DType.FLOAT64);
        assertThat(quantile(c, 0.5)).isCloseTo(1.5, within(0.03));
        assertThat(quantile(c, 0.75) - quantile(c, 0.25)).isCloseTo(4.0, within(0.08)); // the quartiles are median ± sigma
        double[] ln = draw(t -> t.logNormal_(new Generator(4), 1.0, 0.5), DType.FLOAT64);
        double[] logs = Arrays.stream(ln).map(Math::log).toArray();
        assertThat(mean(logs)).isCloseTo(1.0, within(0.005));
        assertThat(Math.sqrt(variance(logs))).isCloseTo(0.5, within(0.005));
        for (double rate : new double[] {0.5, 3, 9.9, 10, 47.5, 1e4}) {
            double[] k = Tensor.poisson(new Generator(5), Tensor.full(new int[] {N}, rate, DType.FLOAT64)).toDoubleArray();
            assertThat(mean(k)).as("rate %s", rate).isCloseTo(rate, within(5 * Math.sqrt(rate / N)));
            assertThat(variance(k)).as("rate %s", rate).isCloseTo(rate, within(0.03 * rate));
            assertThat(Arrays.stream(k).allMatch(x -> x >= 0 && x == Math.rint(x))).isTrue();
        }
    }

    @Test
    void edgesOfTheParameters() {
        // torch.zeros(3).exponential_(0.0) -> tensor([inf, inf, inf]); exponential_(inf) -> tensor([0., 0.])
        assertThat(Tensor.zeros(3).exponential_(0.0).toString()).isEqualTo("tensor([inf, inf, inf])");
        assertThat(Tensor.zeros(2).exponential_(Double.POSITIVE_INFINITY).toString()).isEqualTo("tensor([0., 0.])");
        // torch.zeros(3).cauchy_(0., 0.) -> tensor([0., 0., 0.]); a negative sigma is accepted
        assertThat(Tensor.zeros(3).cauchy_(0, 0).toString()).isEqualTo("tensor([0., 0., 0.])");
        assertThat(Tensor.zeros(3).cauchy_(0, -1).isnan().any().item()).isZero();
        // torch.poisson(torch.tensor([0., 0.])) -> zeros, in the rates' dtype
        Tensor p = Tensor.poisson(Tensor.zeros(new int[] {2}, DType.FLOAT64));
        assertThat(p.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(p.toDoubleArray()).containsExactly(0, 0);
        // geometric_ on an integer tensor: torch.zeros(3, dtype=torch.long).geometric_(0.5) -> integers >= 1
        assertThat(Tensor.zeros(new int[] {100}, DType.INT64).geometric_(0.5).min().itemLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void argumentErrorsAreWordedAsPyTorchs() {
        Tensor f = Tensor.zeros(3), l = Tensor.zeros(new int[] {3}, DType.INT64);
        assertThatThrownBy(() -> f.exponential_(-1)).hasMessage("exponential_ expects lambda >= 0.0, but found lambda=-1");
        assertThatThrownBy(() -> f.exponential_(Double.NaN)).hasMessage("exponential_ expects lambda >= 0.0, but found lambda=nan");
        assertThatThrownBy(() -> l.exponential_(1)).hasMessage("\"exponential_cpu\" not implemented for 'Long'");
        assertThatThrownBy(() -> f.geometric_(0)).hasMessage("geometric_ expects p to be in (0, 1), but got p=0");
        assertThatThrownBy(() -> f.geometric_(1)).hasMessage("geometric_ expects p to be in (0, 1), but got p=1");
        assertThatThrownBy(() -> f.geometric_(1.5)).hasMessage("geometric_ expects p to be in (0, 1), but got p=1.5");
        assertThatThrownBy(() -> Tensor.zeros(new int[] {2}, DType.BOOL).geometric_(0.5)).hasMessage("\"geometric_cpu\" not implemented for 'Bool'");
        assertThatThrownBy(() -> l.cauchy_(0, 1)).hasMessage("\"cauchy_cpu\" not implemented for 'Long'");
        assertThatThrownBy(() -> f.logNormal_(1, 0)).hasMessage("log_normal_ expects std > 0.0, but found std=0");
        assertThatThrownBy(() -> f.logNormal_(1, -1)).hasMessage("log_normal_ expects std > 0.0, but found std=-1");
        assertThatThrownBy(() -> l.logNormal_()).hasMessage("\"log_normal_cpu\" not implemented for 'Long'");
        assertThatThrownBy(() -> Tensor.poisson(Tensor.tensor(new double[] {-1}, DType.FLOAT32)))
                .hasMessage("invalid Poisson rate, expected rate to be non-negative");
        assertThatThrownBy(() -> Tensor.poisson(Tensor.tensor(new double[] {Double.NaN}, DType.FLOAT32)))
                .hasMessage("invalid Poisson rate, expected rate to be non-negative");
        assertThatThrownBy(() -> Tensor.poisson(Tensor.tensor(new long[] {1}))).hasMessage("\"poisson_cpu\" not implemented for 'Long'");
        assertThatThrownBy(() -> Tensor.poisson(Tensor.ones(new int[] {1}, DType.FLOAT16))).hasMessage("\"poisson_cpu\" not implemented for 'Half'");
        // x = torch.zeros(3, requires_grad=True); x.exponential_()
        assertThatThrownBy(() -> Tensor.zeros(3).requiresGrad_().exponential_())
                .hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    @Test
    void insideAGraphTheyRecordPyTorchsNodesWithZeroGradient() {
        Tensor x = Tensor.ones(3).requiresGrad_();
        // y = x * 1; y.exponential_().grad_fn -> <ExponentialBackward0>, and so on
        assertThat(x.mul(1.0).exponential_().gradFn().name()).isEqualTo("ExponentialBackward0");
        assertThat(x.mul(1.0).geometric_(0.5).gradFn().name()).isEqualTo("GeometricBackward0");
        assertThat(x.mul(1.0).cauchy_().gradFn().name()).isEqualTo("CauchyBackward0");
        assertThat(x.mul(1.0).logNormal_().gradFn().name()).isEqualTo("LogNormalBackward0");
        assertThat(x.mul(1.0).random_().gradFn().name()).isEqualTo("RandomBackward2");
        Tensor y = x.mul(1.0).exponential_();
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(0, 0, 0);
        // torch.poisson(torch.tensor([1., 2.], requires_grad=True)): PoissonBackward0, gradient (tensor([0., 0.]),)
        Tensor r = Tensor.tensor(new double[] {1, 2}, DType.FLOAT32).requiresGrad_();
        Tensor k = Tensor.poisson(r);
        assertThat(k.gradFn().name()).isEqualTo("PoissonBackward0");
        assertThat(dev.ember.autograd.Autograd.grad(k.sum(), r)[0].toString()).isEqualTo("tensor([0., 0.])");
    }

    @Test
    void randomWithoutArgumentsCoversEachDtypesExactIntegers() {
        // floats over [0, 2^digits]: torch.zeros(3).random_() -> tensor([13023778., 7222721., 4764425.])
        double[] f = draw(t -> t.random_(new Generator(6)), DType.FLOAT32);
        assertThat(Arrays.stream(f).max().orElseThrow()).isLessThanOrEqualTo(1 << 24).isGreaterThan(0.99 * (1 << 24));
        assertThat(Arrays.stream(f).allMatch(v -> v >= 0 && v == Math.rint(v))).isTrue();
        assertThat(Arrays.stream(draw(t -> t.random_(new Generator(7)), DType.FLOAT16)).max().orElseThrow()).isEqualTo(2048);
        assertThat(Arrays.stream(draw(t -> t.random_(new Generator(7)), DType.BFLOAT16)).max().orElseThrow()).isEqualTo(256);
        assertThat(Arrays.stream(draw(t -> t.random_(new Generator(8)), DType.UINT8)).max().orElseThrow()).isEqualTo(255);
        assertThat(Arrays.stream(draw(t -> t.random_(new Generator(8)), DType.INT8)).min().orElseThrow()).isZero();
        assertThat(Arrays.stream(draw(t -> t.random_(new Generator(8)), DType.INT8)).max().orElseThrow()).isEqualTo(127);
        assertThat(Tensor.zeros(new int[] {64}, DType.BOOL).random_(new Generator(9)).sum().itemLong()).isBetween(10L, 54L);
        // int64 over [0, 2^63): full-width values, every bit used
        long[] big = Tensor.zeros(new int[] {1000}, DType.INT64).random_(new Generator(10)).toLongArray();
        assertThat(Arrays.stream(big).allMatch(v -> v >= 0)).isTrue();
        assertThat(Arrays.stream(big).filter(v -> v > 1L << 62).count()).isBetween(400L, 600L);
        assertThat(Arrays.stream(big).filter(v -> (v & 1) == 1).count()).isBetween(400L, 600L);
        // random_(from, to) on int64 keeps the low bits of a wide range (no detour through a double)
        long[] wide = Tensor.zeros(new int[] {1000}, DType.INT64).random_(new Generator(11), -(1L << 62), 1L << 62).toLongArray();
        assertThat(Arrays.stream(wide).filter(v -> (v & 1) == 1).count()).isBetween(400L, 600L);
    }

    @Test
    void multinomialDrawsCategoriesByWeight() {
        Tensor w = Tensor.tensor(new double[] {0.1, 0.2, 0.7}, DType.FLOAT32);
        long[] with = w.multinomial(new Generator(12), N, true).toLongArray();
        long[] counts = new long[3];
        for (long v : with) counts[(int) v]++;
        assertThat(counts[0] / (double) N).isCloseTo(0.1, within(0.005));
        assertThat(counts[1] / (double) N).isCloseTo(0.2, within(0.005));
        assertThat(counts[2] / (double) N).isCloseTo(0.7, within(0.005));
        // one sample (the exponential trick) has the same distribution; weights need not sum to 1
        long[] first = new long[3];
        Generator g = new Generator(13);
        Tensor unnormalized = w.mul(10.0);
        for (int i = 0; i < 20_000; i++) first[(int) unnormalized.multinomial(g, 1, false).itemLong()]++;
        assertThat(first[2] / 20_000.0).isCloseTo(0.7, within(0.015));
        // without replacement: distinct categories; weight-0 ones come last, in topk's order
        // torch.multinomial(torch.tensor([0., 1., 0.]), 2) -> tensor([1, 0])
        assertThat(Tensor.tensor(new double[] {0, 1, 0}, DType.FLOAT32).multinomial(2).toLongArray()).containsExactly(1, 0);
        for (int i = 0; i < 50; i++) {
            Set<Long> seen = new HashSet<>();
            for (long v : Tensor.ones(10).multinomial(g, 10, false).toLongArray()) seen.add(v);
            assertThat(seen).hasSize(10);
        }
        // rows of a matrix draw independently: torch.multinomial(torch.tensor([[0., 1., 0.], [1., 1., 1.]]), 2).shape -> [2, 2]
        Tensor two = Tensor.tensor(new double[][] {{0, 1, 0}, {1, 1, 1}}, DType.FLOAT32).multinomial(2);
        assertThat(two.shape()).containsExactly(2, 2);
        assertThat(two.dtype()).isEqualTo(DType.INT64);
        assertThat(two.select(0, 0).toLongArray()).containsExactly(1, 0);
        // torch.multinomial(torch.ones(0, 3), 2) -> tensor([], size=(0, 2), dtype=torch.int64)
        assertThat(Tensor.ones(0, 3).multinomial(2).toString()).isEqualTo("tensor([], size=(0, 2), dtype=torch.int64)");
        // the result never requires grad
        assertThat(w.requiresGrad_().multinomial(1).requiresGrad()).isFalse();
    }

    @Test
    void multinomialRefusesAsPyTorchDoes() {
        Tensor p = Tensor.tensor(new double[] {0.1, 0.2, 0.7}, DType.FLOAT32);
        assertThatThrownBy(() -> p.multinomial(4)).hasMessage("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        assertThatThrownBy(() -> p.multinomial(0)).hasMessage("cannot sample n_sample <= 0 samples");
        assertThatThrownBy(() -> p.multinomial(-1, true)).hasMessage("cannot sample n_sample <= 0 samples");
        assertThatThrownBy(() -> Tensor.ones(2, 2, 2).multinomial(1)).hasMessage("prob_dist must be 1 or 2 dim");
        assertThatThrownBy(() -> Tensor.tensor(1.0).multinomial(1)).hasMessage("prob_dist must be 1 or 2 dim");
        assertThatThrownBy(() -> Tensor.ones(new int[] {3}, DType.INT64).multinomial(1))
                .hasMessage("multinomial only supports floating-point dtypes for input, got: Long");
        assertThatThrownBy(() -> Tensor.ones(2, 0).multinomial(1)).hasMessage("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        // [0.1, -0.2], [1., inf], [1., nan], [0., 0.], [[1., 1.], [0., 0.]] with (2, True) | (2) | (1):
        String bad = "probability tensor contains either `inf`, `nan` or element < 0";
        double[][] rows = {{0.1, -0.2}, {1, Double.POSITIVE_INFINITY}, {1, Double.NaN}};
        String[] withReplacement = {"invalid multinomial distribution (encountering probability entry < 0)",
                "invalid multinomial distribution (encountering probability entry = infinity or NaN)",
                "invalid multinomial distribution (encountering probability entry < 0)"};
        for (int i = 0; i < rows.length; i++) {
            Tensor t = Tensor.tensor(rows[i], DType.FLOAT32);
            assertThatThrownBy(() -> t.multinomial(2, true)).hasMessage(withReplacement[i]);
            assertThatThrownBy(() -> t.multinomial(2)).hasMessage(bad);
            assertThatThrownBy(() -> t.multinomial(1)).hasMessage(bad);
        }
        String zero = "invalid multinomial distribution (sum of probabilities <= 0)";
        for (Tensor t : new Tensor[] {Tensor.zeros(2), Tensor.tensor(new double[][] {{1, 1}, {0, 0}}, DType.FLOAT32)}) {
            assertThatThrownBy(() -> t.multinomial(2, true)).hasMessage(zero);
            assertThatThrownBy(() -> t.multinomial(2)).hasMessage(zero);
            assertThatThrownBy(() -> t.multinomial(1)).hasMessage(zero);
        }
        // float16 with replacement: "multinomial is not implemented for half on CPU"; bfloat16 draws
        assertThatThrownBy(() -> Tensor.ones(new int[] {2}, DType.FLOAT16).multinomial(3, true)).hasMessage("multinomial is not implemented for half on CPU");
        assertThat(Tensor.ones(new int[] {2}, DType.BFLOAT16).multinomial(1).dtype()).isEqualTo(DType.INT64);
    }

    @Test
    void theSameSeedGivesTheSameSamples() {
        for (java.util.function.Function<Generator, Tensor> f : java.util.List.<java.util.function.Function<Generator, Tensor>>of(
                g -> Tensor.zeros(50).exponential_(g, 1), g -> Tensor.zeros(50).geometric_(g, 0.3), g -> Tensor.zeros(50).cauchy_(g, 0, 1),
                g -> Tensor.zeros(50).logNormal_(g, 1, 2), g -> Tensor.zeros(50).random_(g), g -> Tensor.poisson(g, Tensor.full(new int[] {50}, 20.0)),
                g -> Tensor.ones(50).multinomial(g, 20, false), g -> Tensor.ones(50).multinomial(g, 20, true))) {
            assertThat(f.apply(new Generator(21)).equal(f.apply(new Generator(21)))).isTrue();
            assertThat(f.apply(new Generator(21)).equal(f.apply(new Generator(22)))).isFalse();
        }
    }
}
