package dev.ember.tensor;

import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The math and reductions beyond the core list (diff, kron, vdot, aminmax, quantile, isin, cov, the trapezoid rule,
 * gcd/lcm, shifts, frexp, nextafter, the Bessel functions, mvlgamma, ...) against PyTorch fixtures
 * (tools/fixtures/fx_more_math.py): values, dtypes, strides, grad_fn names, gradients and errors.
 */
class MoreMathTest {

    @TestFactory
    Stream<DynamicTest> moreMath() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("diff", checkingLayout((x, k) -> x[0].diff(k.i("n"), k.i("dim")))),
                entry("diff_prepend_append", checkingLayout((x, k) -> x[0].diff(k.i("n"), k.i("dim"), x[1], x[2]))),
                entry("diff_prepend", checkingLayout((x, k) -> x[0].diff(k.i("n"), k.i("dim"), x[1], null))),
                entry("kron", checkingLayout((x, k) -> x[0].kron(x[1]))),
                entry("vdot", checkingLayout((x, k) -> x[0].vdot(x[1]))),
                entry("kron_then_inplace", (x, k) -> {
                    Tensor a = x[0].mul(1L), product = a.kron(x[1]);
                    a.add_(1.0);
                    return product;
                }),
                entry("aminmax", checkingLayout((x, k) -> pair(x[0].aminmax(null, k.b("keepdim"))))),
                entry("aminmax_dim", checkingLayout((x, k) -> pair(x[0].aminmax(k.i("dim"), k.b("keepdim"))))),
                entry("quantile", checkingLayout((x, k) -> x[0].quantile(k.d("q"), dim(k), k.b("keepdim"), k.s("interpolation")))),
                entry("nanquantile", checkingLayout((x, k) -> x[0].nanquantile(k.d("q"), dim(k), k.b("keepdim"), k.s("interpolation")))),
                entry("quantile_t", checkingLayout((x, k) -> x[0].quantile(x[1], dim(k), k.b("keepdim"), k.s("interpolation")))),
                entry("nanquantile_t", checkingLayout((x, k) -> x[0].nanquantile(x[1], dim(k), k.b("keepdim"), k.s("interpolation")))),
                entry("isin", checkingLayout((x, k) -> x[0].isin(x[1], k.b("assume_unique"), k.b("invert")))),
                entry("isin_scalar", checkingLayout((x, k) -> k.isInt("s") ? x[0].isin(k.l("s")) : x[0].isin(k.d("s")))),
                entry("isin_scalar_first", checkingLayout((x, k) -> Tensor.isin(k.l("s"), x[0]))),
                entry("argwhere", checkingLayout((x, k) -> x[0].argwhere())),
                entry("fliplr", checkingLayout((x, k) -> x[0].fliplr())),
                entry("flipud", checkingLayout((x, k) -> x[0].flipud())),
                entry("atleast_1d", checkingLayout((x, k) -> x[0].atleast1d())),
                entry("atleast_2d", checkingLayout((x, k) -> x[0].atleast2d())),
                entry("atleast_3d", checkingLayout((x, k) -> x[0].atleast3d())),
                entry("cov", checkingLayout((x, k) -> x[0].cov(k.l("correction"), null, null))),
                entry("cov_weights", checkingLayout((x, k) -> x[0].cov(k.l("correction"), x[1], x[2]))),
                entry("cov_fweights", checkingLayout((x, k) -> x[0].cov(1, x[1], null))),
                entry("cov_aweights", checkingLayout((x, k) -> x[0].cov(1, null, x[1]))),
                entry("corrcoef", checkingLayout((x, k) -> x[0].corrcoef())),
                entry("trapezoid_dx", checkingLayout((x, k) -> x[0].trapezoid(k.d("dx"), k.i("dim")))),
                entry("trapz_dx", checkingLayout((x, k) -> x[0].trapz(k.d("dx"), k.i("dim")))),
                entry("cumulative_trapezoid_dx", checkingLayout((x, k) -> x[0].cumulativeTrapezoid(k.d("dx"), k.i("dim")))),
                entry("trapezoid_x", checkingLayout((x, k) -> x[0].trapezoid(x[1], k.i("dim")))),
                entry("trapz_x", checkingLayout((x, k) -> x[0].trapz(x[1], k.i("dim")))),
                entry("cumulative_trapezoid_x", checkingLayout((x, k) -> x[0].cumulativeTrapezoid(x[1], k.i("dim")))),
                entry("gcd", checkingLayout((x, k) -> x[0].gcd(x[1]))),
                entry("lcm", checkingLayout((x, k) -> x[0].lcm(x[1]))),
                entry("gcd_", checkingLayout((x, k) -> x[0].clone().gcd_(x[1]))),
                entry("lcm_", checkingLayout((x, k) -> x[0].clone().lcm_(x[1]))),
                entry("bitwise_left_shift", checkingLayout((x, k) -> x[0].bitwiseLeftShift(x[1]))),
                entry("bitwise_right_shift", checkingLayout((x, k) -> x[0].bitwiseRightShift(x[1]))),
                entry("bitwise_left_shift_scalar", checkingLayout((x, k) -> k.isInt("s") ? x[0].bitwiseLeftShift(k.l("s")) : x[0].bitwiseLeftShift(x[0].wrap(k.d("s"))))),
                entry("bitwise_right_shift_scalar", checkingLayout((x, k) -> k.isInt("s") ? x[0].bitwiseRightShift(k.l("s")) : x[0].bitwiseRightShift(x[0].wrap(k.d("s"))))),
                entry("bitwise_left_shift_scalar_first", checkingLayout((x, k) -> Tensor.bitwiseLeftShift(k.l("s"), x[0]))),
                entry("bitwise_right_shift_scalar_first", checkingLayout((x, k) -> Tensor.bitwiseRightShift(k.l("s"), x[0]))),
                entry("bitwise_left_shift_", checkingLayout((x, k) -> x[0].clone().bitwiseLeftShift_(x[1]))),
                entry("bitwise_right_shift_", checkingLayout((x, k) -> x[0].clone().bitwiseRightShift_(x[1]))),
                entry("lshift_operator", checkingLayout((x, k) -> x[0].bitwiseLeftShift(x[1]))),
                entry("rshift_operator", checkingLayout((x, k) -> x[0].bitwiseRightShift(x[1]))),
                entry("positive", checkingLayout((x, k) -> x[0].positive())),
                entry("fix", checkingLayout((x, k) -> x[0].fix())),
                entry("fix_", checkingLayout((x, k) -> x[0].clone().fix_())),
                entry("frexp", checkingLayout((x, k) -> {
                    Tensor.MantissaExponent me = x[0].frexp();
                    return List.of(me.mantissa(), me.exponent());
                })),
                entry("nextafter", checkingLayout((x, k) -> x[0].nextafter(x[1]))),
                entry("i0", checkingLayout((x, k) -> x[0].i0())),
                entry("i0_", checkingLayout((x, k) -> x[0].clone().i0_())),
                entry("special_i0e", checkingLayout((x, k) -> x[0].specialI0e())),
                entry("special_i1", checkingLayout((x, k) -> x[0].specialI1())),
                entry("special_i1e", checkingLayout((x, k) -> x[0].specialI1e())),
                entry("mvlgamma", checkingLayout((x, k) -> x[0].mvlgamma(k.i("p")))),
                entry("mvlgamma_", checkingLayout((x, k) -> x[0].clone().mvlgamma_(k.i("p")))),
                entry("lerp_t", checkingLayout((x, k) -> x[0].lerp(x[1], x[2]))),
                entry("lerp_t_", checkingLayout((x, k) -> x[0].clone().lerp_(x[1], x[2]))));
        return OpCases.run("more_math", ops);
    }

    private static List<Tensor> pair(Tensor.MinMax m) { return List.of(m.min(), m.max()); }

    private static Integer dim(Kw k) { return k.has("dim") ? k.i("dim") : null; }

    /** PyTorch 1.13 has no derivative for aminmax: both results share a NotImplemented node. */
    @Test
    void aminmaxHasNoDerivative() {
        // x = torch.tensor([1., 2.], requires_grad=True); torch.aminmax(x)[0].backward()
        Tensor x = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad_(true);
        Tensor.MinMax m = x.aminmax();
        assertThat(m.min().gradFn().name()).isEqualTo("torch::autograd::NotImplemented");
        assertThat(m.max().gradFn()).isSameAs(m.min().gradFn());
        assertThatThrownBy(() -> m.min().backward()).hasMessage("derivative for aten::aminmax is not implemented");
    }

    /** nextafter records NextafterBackward0, whose backward fails as PyTorch 1.13's not_implemented formula. */
    @Test
    void nextafterHasNoDerivative() {
        // torch.nextafter(x, torch.tensor([3., 0.])).sum().backward()
        Tensor x = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad_(true);
        Tensor y = x.nextafter(Tensor.fromArray(new float[] {3f, 0f}, 2));
        assertThat(y.gradFn().name()).isEqualTo("NextafterBackward0");
        assertThatThrownBy(() -> y.sum().backward()).hasMessage("the derivative for 'nextafter' is not implemented.");
    }

    /** positive is the tensor itself, as torch.positive returns self. */
    @Test
    void positiveReturnsSelf() {
        Tensor x = Tensor.fromArray(new float[] {1f, -2f}, 2);
        assertThat(x.positive()).isSameAs(x);
    }
}
