package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** {@code torch.autograd.functional} against PyTorch 1.13, whose printed results are quoted above each assertion. */
class FunctionalTest {

    static final Tensor X = Tensor.tensor(new double[] {1, 2, 3}, DType.FLOAT64);
    static final Tensor Y = Tensor.tensor(new double[][] {{0.5, -1}, {2, 0.25}}, DType.FLOAT64);

    static void assertValues(Tensor t, int[] shape, double... values) {
        assertThat(t.shape()).containsExactly(shape);
        assertThat(t.toDoubleArray()).containsExactly(values, within(1e-4));
    }

    @Test
    void jacobians() {
        // jacobian(lambda a: a.exp() * a, x) -> diag(5.4366, 22.1672, 80.3421)
        assertValues(Functional.jacobian(a -> a.exp().mul(a), X), new int[] {3, 3}, 5.4366, 0, 0, 0, 22.1672, 0, 0, 0, 80.3421);
        // jacobian(lambda a, b: (a.sum() * b, a[:2] * b[0]), (x, y)): shapes out.shape + in.shape
        Tensor[][] j = Functional.jacobian(in -> new Tensor[] {in[0].sum().mul(in[1]), in[0].narrow(0, 0, 2).mul(in[1].select(0, 0))},
                new Tensor[] {X, Y}, false, false);
        assertValues(j[0][0], new int[] {2, 2, 3}, 0.5, 0.5, 0.5, -1, -1, -1, 2, 2, 2, 0.25, 0.25, 0.25);
        assertValues(j[0][1], new int[] {2, 2, 2, 2}, 6, 0, 0, 0, 0, 6, 0, 0, 0, 0, 6, 0, 0, 0, 0, 6);
        assertValues(j[1][0], new int[] {2, 3}, 0.5, 0, 0, 0, -1, 0);
        assertValues(j[1][1], new int[] {2, 2, 2}, 1, 0, 0, 0, 0, 2, 0, 0);
        // jacobian(lambda a, b: a * 2, (x, y)): zeros for the unused input; strict=True refuses
        assertValues(Functional.jacobian(in -> new Tensor[] {in[0].mul(2.0)}, new Tensor[] {X, Y}, false, false)[0][1], new int[] {3, 2, 2}, new double[12]);
        assertThatThrownBy(() -> Functional.jacobian(in -> new Tensor[] {in[0].mul(2.0)}, new Tensor[] {X, Y}, false, true))
                .hasMessage("Output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode.");
        // jacobian(lambda a: a ** 3, x, create_graph=True) keeps a graph; without it the result is detached
        Tensor xr = X.clone().requiresGrad_();
        Tensor jc = Functional.jacobian(a -> a.pow(3.0), xr, true, false);
        assertValues(jc, new int[] {3, 3}, 3, 0, 0, 0, 12, 0, 0, 0, 27);
        assertThat(jc.requiresGrad()).isTrue();
        // j = jacobian(lambda a: a ** 2, xr); j.requires_grad, xr.grad -> False None
        assertThat(Functional.jacobian(a -> a.pow(2.0), xr).requiresGrad()).isFalse();
        assertThat(xr.grad()).isNull();
        // float32: jacobian(lambda a: a * a, torch.tensor([1., 2.])) -> tensor([[2., 0.], [0., 4.]])
        assertThat(Functional.jacobian(a -> a.mul(a), Tensor.tensor(new double[] {1, 2}, DType.FLOAT32)).toString())
                .isEqualTo("tensor([[2., 0.],\n        [0., 4.]])");
    }

    @Test
    void hessians() {
        // hessian(lambda a: (a ** 3).sum(), x) -> diag(6, 12, 18)
        assertValues(Functional.hessian(a -> a.pow(3.0).sum(), X), new int[] {3, 3}, 6, 0, 0, 0, 12, 0, 0, 0, 18);
        // hessian(lambda a, b: (a.sum() * b).sum() + (b ** 2).sum(), (x[:2], y[0])) -> ((0, 1), (1, 2 I))
        Tensor[][] h = Functional.hessian(in -> in[0].sum().mul(in[1]).sum().add(in[1].pow(2.0).sum()),
                new Tensor[] {X.narrow(0, 0, 2), Y.select(0, 0)}, false, false);
        assertValues(h[0][0], new int[] {2, 2}, 0, 0, 0, 0);
        assertValues(h[0][1], new int[] {2, 2}, 1, 1, 1, 1);
        assertValues(h[1][0], new int[] {2, 2}, 1, 1, 1, 1);
        assertValues(h[1][1], new int[] {2, 2}, 2, 0, 0, 2);
        // hessian(lambda a: a ** 2, x)
        assertThatThrownBy(() -> Functional.hessian(a -> a.pow(2.0), X))
                .hasMessage("The Tensor returned by the function given to hessian should contain a single element");
    }

    @Test
    void vectorProducts() {
        Tensor ones = Tensor.ones(new int[] {3}, DType.FLOAT64);
        // vjp(lambda a: a ** 2, x, ones) -> (tensor([1., 4., 9.]), tensor([2., 4., 6.]))
        Functional.Product p = Functional.vjp(a -> a.pow(2.0), X, ones);
        assertValues(p.output(), new int[] {3}, 1, 4, 9);
        assertValues(p.value(), new int[] {3}, 2, 4, 6);
        // vjp(lambda a: (a ** 2).sum(), x) -> (tensor(14.), tensor([2., 4., 6.]))
        Functional.Product s = Functional.vjp(a -> a.pow(2.0).sum(), X, null);
        assertValues(s.output(), new int[] {}, 14);
        assertValues(s.value(), new int[] {3}, 2, 4, 6);
        assertThatThrownBy(() -> Functional.vjp(a -> a.pow(2.0), X, null))
                .hasMessage("The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
        assertThatThrownBy(() -> Functional.vjp(a -> a.pow(2.0), X, Tensor.ones(new int[] {2}, DType.FLOAT64)))
                .hasMessage("v has invalid size: should be torch.Size([3]) but got torch.Size([2]).");
        // jvp(lambda a: a ** 2, x, ones) -> (tensor([1., 4., 9.]), tensor([2., 4., 6.]))
        Functional.Product j = Functional.jvp(a -> a.pow(2.0), X, ones);
        assertValues(j.output(), new int[] {3}, 1, 4, 9);
        assertValues(j.value(), new int[] {3}, 2, 4, 6);
        assertThatThrownBy(() -> Functional.jvp(a -> a.pow(2.0), X, null))
                .hasMessage("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
        // hvp / vhp(lambda a: (a ** 3).sum(), x, ones) -> (tensor(36.), tensor([ 6., 12., 18.]))
        for (Functional.Product h : new Functional.Product[] {Functional.hvp(a -> a.pow(3.0).sum(), X, ones), Functional.vhp(a -> a.pow(3.0).sum(), X, ones)}) {
            assertValues(h.output(), new int[] {}, 36);
            assertValues(h.value(), new int[] {3}, 6, 12, 18);
        }
    }
}
