package dev.ember.autograd;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code autograd.grad} / {@code backward} options, {@code .grad} accumulation with and without a graph, and grad-mode
 * nesting with the views made in each mode, against PyTorch 1.13 (the Python is quoted above each assertion).
 */
class GradOptionsAndModesTest {

    static Tensor leaf(float... v) { return Tensor.of(v).requiresGrad_(); }

    static final String NO_GRAD_VIEW_REBASED = "A view was created in no_grad mode and its base or another view of its base has been modified inplace "
            + "with grad mode enabled. Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both "
            + "the view and the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want "
            + "the inplace to be tracked).";

    @Test
    void backwardWithInputsChecksThemAsPyTorchDoes() {
        Tensor x = leaf(1, 2, 3);
        // (x*2).sum().backward(inputs=[]) -> "'inputs' argument to backward() cannot be empty."
        assertThatThrownBy(() -> Autograd.backward(new Tensor[] {x.mul(2.0).sum()}, null, false, false, new Tensor[0]))
                .hasMessage("'inputs' argument to backward() cannot be empty.");
        // (x*2).sum().backward(inputs=[torch.ones(2)]) -> "can't retain_grad on Tensor that has requires_grad=False"
        assertThatThrownBy(() -> Autograd.backward(new Tensor[] {x.mul(2.0).sum()}, null, false, false, new Tensor[] {Tensor.ones(2)}))
                .hasMessage("can't retain_grad on Tensor that has requires_grad=False");
        // an input that requires grad but was not used gets no .grad: backward(inputs=[torch.ones(2, requires_grad=True)])
        Tensor unused = Tensor.ones(2).requiresGrad_();
        Autograd.backward(new Tensor[] {x.mul(2.0).sum()}, null, false, false, new Tensor[] {unused});
        assertThat(unused.grad()).isNull();
        assertThat(x.grad()).isNull();
    }

    @Test
    void aPlainBackwardAddsInPlaceIntoAGradThatHasAGraph() {
        // x.grad = None; (x*x).sum().backward(create_graph=True) -> x.grad.grad_fn CopyBackwards
        // (x*x).sum().backward() -> x.grad.grad_fn still CopyBackwards, x.grad [4, 8, 12]
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward(null, false, true);
        Tensor first = x.grad();
        assertThat(first.gradFn().name()).isEqualTo("torch::autograd::CopyBackwards");
        x.mul(x).sum().backward();
        assertThat(x.grad()).isSameAs(first);
        assertThat(x.grad().gradFn().name()).isEqualTo("torch::autograd::CopyBackwards");
        assertThat(x.grad().toFloatArray()).containsExactly(4, 8, 12);
        // a second backward(create_graph=True) replaces .grad out of place: x.grad.grad_fn AddBackward0, x.grad is not g
        x.setGrad(null);
        x.mul(x).sum().backward(null, false, true);
        Tensor g = x.grad();
        x.mul(x).sum().backward(null, false, true);
        assertThat(x.grad()).isNotSameAs(g);
        assertThat(x.grad().gradFn().name()).isEqualTo("AddBackward0");
        assertThat(x.grad().toFloatArray()).containsExactly(4, 8, 12);
    }

    @Test
    void gradModesNest() {
        Tensor x = leaf(1, 2, 3);
        // with no_grad(): a = x*2; with enable_grad(): b = x*2; with no_grad(): c = x*2 ... with set_grad_enabled(True): e = x*2
        // -> a, b, c, e requires_grad: False, True, False, True; torch.is_grad_enabled() after: True
        Tensor a, b, c, e;
        try (var ng = GradMode.noGrad()) {
            a = x.mul(2.0);
            try (var eg = GradMode.enableGrad()) {
                b = x.mul(2.0);
                try (var ng2 = GradMode.noGrad()) {
                    c = x.mul(2.0);
                }
                assertThat(GradMode.isEnabled()).isTrue();
            }
            try (var s = GradMode.set(true)) {
                e = x.mul(2.0);
            }
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(new boolean[] {a.requiresGrad(), b.requiresGrad(), c.requiresGrad(), e.requiresGrad(), GradMode.isEnabled()})
                .containsExactly(false, true, false, true, true);
    }

    @Test
    void aViewMadeUnderNoGradHasNoHistoryToRederive() {
        Tensor x = leaf(1, 2, 3);
        // y = x*1; with no_grad(): v = y[0:2]; y.mul_(2); v.grad_fn -> RuntimeError (reading it, or using v in an op)
        Tensor y = x.mul(1.0);
        Tensor v;
        try (var ng = GradMode.noGrad()) {
            v = y.narrow(0, 0, 2);
        }
        y.mul_(2.0);
        assertThat(v.requiresGrad()).isTrue(); // v.requires_grad -> True: it reads no grad_fn
        assertThatThrownBy(v::gradFn).isInstanceOf(IllegalStateException.class).hasMessage(NO_GRAD_VIEW_REBASED);
        assertThatThrownBy(() -> v.mul(2.0)).hasMessage(NO_GRAD_VIEW_REBASED);
        // with no_grad(): v = x[0:2]; with no_grad(): x.mul_(2); v.grad_fn -> the same error, whatever mode the write was in
        Tensor w;
        try (var ng = GradMode.noGrad()) {
            w = x.narrow(0, 0, 2);
            x.mul_(2.0);
        }
        assertThatThrownBy(w::gradFn).hasMessage(NO_GRAD_VIEW_REBASED);
        // y = torch.ones(3); with no_grad(): v = y[0:2]; y.mul_(x); v.grad_fn -> the same error: y requires grad now
        Tensor base = Tensor.ones(3);
        Tensor u;
        try (var ng = GradMode.noGrad()) {
            u = base.narrow(0, 0, 2);
        }
        base.mul_(x);
        assertThatThrownBy(u::gradFn).hasMessage(NO_GRAD_VIEW_REBASED);
        // y = x*1; with no_grad(): v = y[0:2]; v.mul_(2) -> y.grad_fn MulBackward0, v.requires_grad True, y._version 1
        Tensor y2 = x.mul(1.0);
        Tensor v2;
        try (var ng = GradMode.noGrad()) {
            v2 = y2.narrow(0, 0, 2);
            v2.mul_(2.0);
        }
        assertThat(y2.gradFn().name()).isEqualTo("MulBackward0");
        assertThat(v2.requiresGrad()).isTrue();
        assertThat(y2.version()).isEqualTo(1);
    }
}
