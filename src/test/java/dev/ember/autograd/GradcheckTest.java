package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code torch.autograd.gradcheck}/{@code gradgradcheck} against PyTorch 1.13: each case is a Python run's result,
 * quoted above its assertion (the Function classes carry the Python classes' names).
 */
class GradcheckTest {

    static Tensor leaf(double... v) { return Tensor.tensor(v, DType.FLOAT64).requiresGrad_(); }

    static Tensor[] of(Tensor... ts) { return ts; }

    static final class Bad extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return of(in[0].mul(in[1]), in[0].add(in[1]));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] ab = ctx.savedTensors();
            return of(g[0].mul(ab[1]).mul(2.0).add(g[1]), g[0].mul(ab[0]).add(g[1]));
        }
    }

    static final class Good extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return of(in[0].pow(2.0));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(ctx.savedTensors()[0].mul(2.0).mul(g[0])); }
    }

    @Test
    void aWrongBackwardIsReportedWithBothJacobians() {
        // a = [1., 2.], b = [3., 4.] (float64, requires_grad); gradcheck(Bad.apply, (a, b))
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        assertThatThrownBy(() -> Gradcheck.gradcheck(in -> new Bad().apply(in), a, b)).isInstanceOf(Gradcheck.GradcheckError.class)
                .hasMessage("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[3.0000, 0.0000],\n        [0.0000, 4.0000]], "
                        + "dtype=torch.float64)\nanalytical:tensor([[6., 0.],\n        [0., 8.]], dtype=torch.float64)\n");
        // gradcheck(Bad.apply, (a, b), raise_exception=False) -> False
        assertThat(Gradcheck.gradcheck(in -> new Bad().apply(in), new Tensor[] {a, b}, Gradcheck.EPS, Gradcheck.ATOL, Gradcheck.RTOL, 0, false)).isFalse();
        // gradcheck(Good.apply, (a,)), gradgradcheck(Good.apply, (a,)) -> True True
        assertThat(Gradcheck.gradcheck(in -> new Good().apply(in), a)).isTrue();
        assertThat(Gradcheck.gradgradcheck(in -> new Good().apply(in), a)).isTrue();
    }

    @Test
    void opsPassWithSeveralInputsAndOutputs() {
        // b = [[0.5, -1.], [2., 3.]]; gradcheck / gradgradcheck(lambda x, y: (x.exp() * y, x.sum() + y), (a, b)) -> True True
        Tensor a = leaf(1, 2), b = Tensor.tensor(new double[][] {{0.5, -1}, {2, 3}}, DType.FLOAT64).requiresGrad_();
        java.util.function.Function<Tensor[], Tensor[]> f = in -> of(in[0].exp().mul(in[1]), in[0].sum().add(in[1]));
        assertThat(Gradcheck.gradcheck(f, a, b)).isTrue();
        assertThat(Gradcheck.gradgradcheck(f, a, b)).isTrue();
    }

    @Test
    void theInputsAreChecked() {
        // gradcheck(lambda x: x * 2, (torch.tensor([1.], dtype=torch.float64),))
        assertThatThrownBy(() -> Gradcheck.gradcheck(in -> of(in[0].mul(2.0)), Tensor.tensor(new double[] {1}, DType.FLOAT64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
        // float32 (warned about): gradcheck(lambda x: x * 2, (torch.tensor([1.], requires_grad=True),)): float32 differences
        assertThatThrownBy(() -> Gradcheck.gradcheck(in -> of(in[0].mul(2.0)), Tensor.tensor(new double[] {1}, DType.FLOAT32).requiresGrad_()))
                .hasMessage("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[1.9670]])\nanalytical:tensor([[2.]])\n");
    }

    static final class NonReentrant extends Function {
        static int calls;

        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].mul(1.0)); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].mul(1 + 1e-10 * ++calls)); }
    }

    static final class PlusOne extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].mul(1.0)); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].add(1.0)); }
    }

    static final class NoGradOut extends Function {
        final boolean constant;

        NoGradOut(boolean constant) { this.constant = constant; }

        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor r = constant ? in[0].round() : in[0].mul(2.0);
            ctx.markNonDifferentiable(r);
            return of(r);
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }
    }

    static final class FirstOnly extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return of(in[0].pow(3.0));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].mul(3.0).mul(ctx.savedTensors()[0].detach().pow(2.0))); }
    }

    @Test
    void misbehavingBackwardsAreCaught() {
        Tensor a = leaf(1, 2);
        // gradcheck(NonReentrant.apply, (a,)): a backward that differs from call to call
        assertThatThrownBy(() -> Gradcheck.gradcheck(in -> new NonReentrant().apply(in), a))
                .hasMessageStartingWith("Backward is not reentrant, i.e., running backward with same input and grad_output multiple times gives different "
                        + "values, although analytical gradient matches numerical gradient.The tolerance for nondeterminism was 0.0.\n\nNOTE: If your op");
        // gradcheck(PlusOne.apply, (a,))
        assertThatThrownBy(() -> Gradcheck.gradcheck(in -> new PlusOne().apply(in), a))
                .hasMessage("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[1.0000, 0.0000],\n        [0.0000, 1.0000]], "
                        + "dtype=torch.float64)\nanalytical:tensor([[2., 1.],\n        [1., 2.]], dtype=torch.float64)\n");
        // no differentiable output: gradcheck(NoGradOut.apply, (a,)) -> True; one that does depend on a is refused
        assertThat(Gradcheck.gradcheck(in -> new NoGradOut(true).apply(in), a)).isTrue();
        assertThatThrownBy(() -> Gradcheck.gradcheck(in -> new NoGradOut(false).apply(in), a)).hasMessage("Numerical gradient for function expected to be zero");
        // FirstOnly passes gradcheck, and gradgradcheck finds its detached second derivative (analytical all zero)
        assertThat(Gradcheck.gradcheck(in -> new FirstOnly().apply(in), a)).isTrue();
        assertThatThrownBy(() -> Gradcheck.gradgradcheck(in -> new FirstOnly().apply(in), a))
                .hasMessageStartingWith("Jacobian mismatch for output 0 with respect to input 0,\nnumerical:tensor([[")
                .hasMessageEndingWith("analytical:tensor([[0., 0.],\n        [0., 0.]], dtype=torch.float64)\n");
    }
}
