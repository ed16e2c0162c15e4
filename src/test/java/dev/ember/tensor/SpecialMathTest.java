package dev.ember.tensor;

import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The math beyond issue #3's core list (SpecialFunctions, PairwiseMath) against PyTorch fixtures
 * (tools/fixtures/fx_special_math.py): values, dtypes, strides, grad_fn names, gradients and errors.
 */
class SpecialMathTest {

    @TestFactory
    Stream<DynamicTest> specialMath() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("asinh", checkingLayout((x, k) -> x[0].asinh())),
                entry("acosh", checkingLayout((x, k) -> x[0].acosh())),
                entry("atanh", checkingLayout((x, k) -> x[0].atanh())),
                entry("erfc", checkingLayout((x, k) -> x[0].erfc())),
                entry("erfinv", checkingLayout((x, k) -> x[0].erfinv())),
                entry("lgamma", checkingLayout((x, k) -> x[0].lgamma())),
                entry("digamma", checkingLayout((x, k) -> x[0].digamma())),
                entry("polygamma", checkingLayout((x, k) -> x[0].polygamma(k.i("n")))),
                entry("sinc", checkingLayout((x, k) -> x[0].sinc())),
                entry("logit", checkingLayout((x, k) -> x[0].logit())),
                entry("logit_eps", checkingLayout((x, k) -> x[0].logit(k.d("eps")))),
                entry("deg2rad", checkingLayout((x, k) -> x[0].deg2rad())),
                entry("rad2deg", checkingLayout((x, k) -> x[0].rad2deg())),
                entry("nan_to_num", checkingLayout((x, k) -> x[0].nanToNum())),
                entry("nan_to_num_args", checkingLayout((x, k) -> x[0].nanToNum(k.d("nan"), optional(k, "posinf"), optional(k, "neginf")))),
                entry("signbit", checkingLayout((x, k) -> x[0].signbit())),
                entry("hypot", checkingLayout((x, k) -> x[0].hypot(x[1]))),
                entry("logaddexp", checkingLayout((x, k) -> x[0].logaddexp(x[1]))),
                entry("logaddexp2", checkingLayout((x, k) -> x[0].logaddexp2(x[1]))),
                entry("copysign", checkingLayout((x, k) -> x[0].copysign(x[1]))),
                entry("copysign_scalar", checkingLayout((x, k) -> x[0].copysign(k.d("s")))),
                entry("ldexp", checkingLayout((x, k) -> x[0].ldexp(x[1]))),
                entry("true_divide", checkingLayout((x, k) -> x[0].trueDivide(x[1]))),
                entry("true_divide_scalar", checkingLayout((x, k) -> x[0].trueDivide(k.d("s")))),
                entry("float_power", castingFirst((x, k) -> x[0].floatPower(x[1]))),
                entry("float_power_scalar", castingFirst((x, k) -> x[0].floatPower(k.d("e")))),
                entry("heaviside", checkingLayout((x, k) -> x[0].heaviside(x[1]))),
                entry("unary_inplace", checkingLayout((x, k) -> unaryInPlace(k.s("op"), x[0].requiresGrad() ? x[0].clone() : x[0]))),
                entry("polygamma_", checkingLayout((x, k) -> x[0].clone().polygamma_(k.i("n")))),
                entry("logit_eps_", checkingLayout((x, k) -> x[0].clone().logit_(k.d("eps")))),
                entry("binary_inplace", checkingLayout((x, k) -> binaryInPlace(k.s("op"), x[0].requiresGrad() ? x[0].clone() : x[0], x[1]))),
                entry("float_power_", checkingLayout((x, k) -> x[0].clone().floatPower_(x[1]))),
                entry("copysign_scalar_", checkingLayout((x, k) -> x[0].clone().copysign_(k.d("s")))));
        return OpCases.run("special_math", ops);
    }

    /**
     * float_power casts to float64 first: the fixture's chain (PowBackward1/ToCopyBackward0) is that of its float32
     * inputs, and the float64 finite-difference replay has no cast to record.
     */
    private static Op castingFirst(Op op) {
        Op checked = checkingLayout(op);
        return (x, k) -> x[0].dtype() == DType.FLOAT64 ? op.apply(x, k) : checked.apply(x, k);
    }

    private static Double optional(Kw k, String name) { return k.node().get(name).isNull() ? null : k.d(name); }

    private static Tensor unaryInPlace(String op, Tensor x) {
        return switch (op) {
            case "asinh_" -> x.asinh_();
            case "acosh_" -> x.acosh_();
            case "atanh_" -> x.atanh_();
            case "erfc_" -> x.erfc_();
            case "erfinv_" -> x.erfinv_();
            case "lgamma_" -> x.lgamma_();
            case "digamma_" -> x.digamma_();
            case "sinc_" -> x.sinc_();
            case "deg2rad_" -> x.deg2rad_();
            case "rad2deg_" -> x.rad2deg_();
            case "logit_" -> x.logit_();
            case "nan_to_num_" -> x.nanToNum_();
            default -> throw new IllegalArgumentException(op);
        };
    }

    private static Tensor binaryInPlace(String op, Tensor x, Tensor y) {
        return switch (op) {
            case "hypot_" -> x.hypot_(y);
            case "copysign_" -> x.copysign_(y);
            case "ldexp_" -> x.ldexp_(y);
            case "true_divide_" -> x.trueDivide_(y);
            case "heaviside_" -> x.heaviside_(y);
            default -> throw new IllegalArgumentException(op);
        };
    }

    /** PyTorch 1.13's asinh_/acosh_/atanh_ record {@code AsinhBackward1}, which has no formula. */
    @Test
    void inverseHyperbolicsInPlaceHaveNoDerivative() {
        // a = torch.tensor([1.5, 2.0], requires_grad=True); b = a.clone().acosh_(); b.sum().backward()
        Tensor a = Tensor.fromArray(new float[] {1.5f, 2f}, 2).requiresGrad_(true);
        Tensor b = a.clone().acosh_();
        assertThat(b.gradFn().typeName()).isEqualTo("AcoshBackward1");
        assertThatThrownBy(() -> b.sum().backward()).hasMessage("the derivative for 'inplace version of acosh' is not implemented.");
    }

    @Test
    void heavisideHasNoDerivative() {
        Tensor a = Tensor.fromArray(new float[] {-1f, 0f, 2f}, 3).requiresGrad_(true), v = Tensor.fromArray(new float[] {0.5f}, 1);
        Tensor h = a.heaviside(v);
        assertThat(h.gradFn().name()).isEqualTo("torch::autograd::NotImplemented");
        assertThatThrownBy(() -> h.sum().backward()).hasMessage("derivative for aten::heaviside is not implemented");
        Tensor h2 = a.clone().heaviside_(v);
        assertThatThrownBy(() -> h2.sum().backward()).hasMessage("derivative for aten::heaviside_ is not implemented");
    }

    /** ldexp_ is mul_out into self in PyTorch, so a self or exponent that requires grad is refused. */
    @Test
    void ldexpInPlaceRefusesAutograd() {
        Tensor a = Tensor.fromArray(new float[] {1f, 2f}, 2).requiresGrad_(true);
        assertThatThrownBy(() -> a.clone().ldexp_(Tensor.fromArray(new float[] {1f, 2f}, 2)))
                .hasMessage("mul(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.");
    }
}
