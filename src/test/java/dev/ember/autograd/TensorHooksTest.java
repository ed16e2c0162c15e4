package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.GradCheck;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code Tensor.register_hook} against PyTorch 1.13 (the Python that produced each expected value is quoted above
 * the assertion): when hooks run, what their result replaces, their order with retain_grad, removal, and where they
 * do not run (autograd.grad on a leaf).
 */
class TensorHooksTest {

    static Tensor leaf(float... v) { return Tensor.of(v).requiresGrad_(); }

    @Test
    void aLeafHookRunsBeforeAccumulationAndANonLeafHookWhenItsGradIsComputed() {
        // x = tensor([1.,2.,3.], requires_grad=True); log = []
        // h = x.register_hook(lambda g: (log.append(('x', g)), g*10)[1])
        // y = x*2; y.retain_grad(); y.register_hook(lambda g: (log.append(('y', g)), g+1)[1]); (y*y).sum().backward()
        // -> log [('y', [4, 8, 12]), ('x', [10, 18, 26])], x.grad [100, 180, 260], y.grad [4, 8, 12]
        Tensor x = leaf(1, 2, 3);
        List<String> log = new ArrayList<>();
        RemovableHandle h = x.registerHook(g -> {
            log.add("x " + java.util.Arrays.toString(g.toFloatArray()));
            return g.mul(10.0);
        });
        Tensor y = x.mul(2.0);
        y.retainGrad();
        y.registerHook(g -> {
            log.add("y " + java.util.Arrays.toString(g.toFloatArray()));
            return g.add(1.0);
        });
        y.mul(y).sum().backward();
        assertThat(log).containsExactly("y [4.0, 8.0, 12.0]", "x [10.0, 18.0, 26.0]");
        assertThat(x.grad().toFloatArray()).containsExactly(100, 180, 260);
        assertThat(y.grad().toFloatArray()).containsExactly(4, 8, 12);
        // (x*1).sum().backward() -> x.grad [110, 190, 270]; after h.remove() (twice is harmless) -> [111, 191, 271]
        x.mul(1.0).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(110, 190, 270);
        h.remove();
        h.remove();
        x.mul(1.0).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(111, 191, 271);
    }

    @Test
    void hooksAndRetainGradRunInRegistrationOrder() {
        Tensor x = leaf(1, 2, 3);
        // y = x*2; y.register_hook(lambda g: g*3); y.retain_grad(); y.sum().backward(); y.grad -> [3, 3, 3]
        Tensor y = x.mul(2.0);
        y.registerHook(g -> g.mul(3.0));
        y.retainGrad();
        y.sum().backward();
        assertThat(y.grad().toFloatArray()).containsExactly(3, 3, 3);
        // y = x*2; y.retain_grad(); y.register_hook(lambda g: g*3); y.sum().backward(); y.grad -> [1, 1, 1]
        Tensor y2 = x.mul(2.0);
        y2.retainGrad();
        y2.registerHook(g -> g.mul(3.0));
        y2.sum().backward();
        assertThat(y2.grad().toFloatArray()).containsExactly(1, 1, 1);
        // w = z*1; w.register_hook(lambda g: g*2); w.register_hook(lambda g: g+1); w.sum().backward(); z.grad -> [3, 3]
        Tensor z = leaf(1, 2);
        Tensor w = z.mul(1.0);
        w.registerHook(g -> g.mul(2.0));
        w.registerHook(g -> g.add(1.0));
        w.sum().backward();
        assertThat(z.grad().toFloatArray()).containsExactly(3, 3);
        // a hook returning None leaves the gradient: zz = z*1; zz.register_hook(lambda g: None) -> z.grad [1, 1]
        z.setGrad(null);
        Tensor zz = z.mul(1.0);
        zz.registerHook(g -> null);
        zz.sum().backward();
        assertThat(z.grad().toFloatArray()).containsExactly(1, 1);
    }

    @Test
    void aHookStaysWithTheNodeItWasRegisteredOn() {
        Tensor z = leaf(1, 2);
        // w = z*1; w.register_hook(lambda g: g*100); w.mul_(2); w.sum().backward(); z.grad -> [200, 200]
        Tensor w = z.mul(1.0);
        w.registerHook(g -> g.mul(100.0));
        w.mul_(2.0);
        w.sum().backward();
        assertThat(z.grad().toFloatArray()).containsExactly(200, 200);
        // w = z*1; v = w[0]; v.register_hook(lambda g: g*100); (v*3).backward(); z.grad -> [300, 0]
        z.setGrad(null);
        Tensor v = z.mul(1.0).select(0, 0);
        v.registerHook(g -> g.mul(100.0));
        v.mul(3.0).backward();
        assertThat(z.grad().toFloatArray()).containsExactly(300, 0);
    }

    @Test
    void autogradGradCapturesBeforeHooksAndRunsNoLeafHook() {
        Tensor x = leaf(1, 2, 3);
        List<String> log = new ArrayList<>();
        // x.register_hook(lambda g: (log.append('leafhook'), g*5)[1]); autograd.grad((x*1).sum(), x) -> [1, 1, 1], log []
        x.registerHook(g -> {
            log.add("leafhook");
            return g.mul(5.0);
        });
        assertThat(Autograd.grad(x.mul(1.0).sum(), x)[0].toFloatArray()).containsExactly(1, 1, 1);
        assertThat(log).isEmpty();
        // y = x*2; y.register_hook(lambda g: g*7); autograd.grad(y.sum(), y) -> [1, 1, 1]; autograd.grad((y*1).sum(), x) -> [14, 14, 14]
        Tensor y = x.mul(2.0);
        y.registerHook(g -> g.mul(7.0));
        assertThat(Autograd.grad(y.sum(), y)[0].toFloatArray()).containsExactly(1, 1, 1);
        assertThat(Autograd.grad(y.mul(1.0).sum(), x)[0].toFloatArray()).containsExactly(14, 14, 14);
        // y = x*2; y.retain_grad(); autograd.grad(y.sum(), y); y.grad -> None (y's node need not run)
        Tensor r = x.mul(2.0);
        r.retainGrad();
        Autograd.grad(r.sum(), r);
        assertThat(r.grad()).isNull();
        // backward(inputs=[x]) reaches x's AccumulateGrad, so its hook runs: x.grad -> [5, 5, 5]
        Autograd.backward(new Tensor[] {x.mul(1.0).sum()}, null, false, false, new Tensor[] {x});
        assertThat(x.grad().toFloatArray()).containsExactly(5, 5, 5);
        assertThat(log).containsExactly("leafhook");
    }

    @Test
    void aHookOnATensorThatDoesNotRequireGradFails() {
        Tensor x = leaf(1, 2);
        // torch.tensor([1.]).register_hook(...), x.detach().register_hook(...), and under no_grad (x*2).register_hook(...)
        String msg = "cannot register a hook on a tensor that doesn't require gradient";
        assertThatThrownBy(() -> Tensor.of(1f).registerHook(g -> g)).isInstanceOf(IllegalStateException.class).hasMessage(msg);
        assertThatThrownBy(() -> x.detach().registerHook(g -> g)).hasMessage(msg);
        Tensor y;
        try (var ng = GradMode.noGrad()) {
            y = x.mul(2.0);
        }
        assertThatThrownBy(() -> y.registerHook(g -> g)).hasMessage(msg);
    }

    @Test
    void aHookBuildingAGraphIsPartOfTheSecondOrderGradient() {
        // w = z*z; w.register_hook(lambda g: g*2); g, = autograd.grad(w.sum(), z, create_graph=True) -> [4, 8], AddBackward0
        Tensor z = leaf(1, 2);
        Tensor w = z.mul(z);
        w.registerHook(g -> g.mul(2.0));
        Tensor g = Autograd.grad(new Tensor[] {w.sum()}, new Tensor[] {z}, null, true, true)[0];
        assertThat(g.toFloatArray()).containsExactly(4, 8);
        assertThat(g.gradFn().name()).isEqualTo("AddBackward0");
        // a hook that returns its gradient unchanged leaves backward the true derivative
        GradCheck.check(in -> {
            Tensor t = in[0].sin();
            t.registerHook(gr -> null);
            return List.of(t.mul(in[0]));
        }, Tensor.tensor(new double[] {0.3, -1.2, 2.0}, DType.FLOAT64).requiresGrad_());
    }

    @Test
    void aTensorsHooksStayWhereItsFirstWasPlacedAndFollowItToALeaf() {
        // x = tensor([1., 2.], requires_grad=True); y = x * 1; y.register_hook(lambda g: g * 2); y.sigmoid_()
        // y.register_hook(lambda g: g * 3); y.sum().backward() -> x.grad [1.1797, 0.6300]: both hooks scale the gradient of
        // y before sigmoid_ (the first placed the tensor's hook list on MulBackward0, the second joined it)
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(1.0);
        y.registerHook(g -> g.mul(2.0));
        y.sigmoid_();
        y.registerHook(g -> g.mul(3.0));
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).usingElementComparator(TensorHooksTest::close).containsExactly(1.1797f, 0.6300f);
        // y = x * 1; y.sigmoid_(); y.register_hook(lambda g: g * 2); y.sum().backward() -> the first hook lands on
        // SigmoidBackward0: x.grad grows by [0.3932, 0.2100]
        Tensor x2 = leaf(1, 2);
        Tensor y2 = x2.mul(1.0);
        y2.sigmoid_();
        y2.registerHook(g -> g.mul(2.0));
        y2.sum().backward();
        assertThat(x2.grad().toFloatArray()).usingElementComparator(TensorHooksTest::close).containsExactly(0.3932f, 0.2100f);
        // y = x * 1; y.register_hook(lambda g: g * -1); y.detach_(); y.requires_grad_(); y.register_hook(lambda g: g * 5)
        // (y * 1).sum().backward() -> y.grad [-5., -5.]: the leaf's AccumulateGrad runs the hooks the tensor had (script 31484)
        Tensor y3 = leaf(1, 2).mul(1.0);
        y3.registerHook(g -> g.neg());
        y3.detach_();
        y3.requiresGrad_();
        y3.registerHook(g -> g.mul(5.0));
        y3.mul(1.0).sum().backward();
        assertThat(y3.grad().toFloatArray()).containsExactly(-5, -5);
    }

    @Test
    void retainGradSeesTheHooksPlacedBeforeItWhateverTheirOrder() {
        // y = x * 1; y.register_hook(lambda g: g * 2); y.retain_grad(); y.register_hook(lambda g: g * 3); y.sum().backward()
        // -> y.grad [6., 6.], x.grad [6., 6.]; without the first hook -> y.grad [1., 1.], x.grad [3., 3.]
        assertThat(retainedAmongHooks(true)).isDeepEqualTo(new float[][] {{6, 6}, {6, 6}});
        assertThat(retainedAmongHooks(false)).isDeepEqualTo(new float[][] {{1, 1}, {3, 3}});
    }

    /** y = x * 1, the hook g * 2 if {@code hookFirst}, retain_grad(), the hook g * 3, y.sum().backward(): y.grad, x.grad. */
    private static float[][] retainedAmongHooks(boolean hookFirst) {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(1.0);
        if (hookFirst) y.registerHook(g -> g.mul(2.0));
        y.retainGrad();
        y.registerHook(g -> g.mul(3.0));
        y.sum().backward();
        return new float[][] {y.grad().toFloatArray(), x.grad().toFloatArray()};
    }

    @Test
    void retainGradLeavesTheNodeAViewsInPlaceOpLeftItOnWhenTheTensorItselfIsWrittenNext() {
        // y = x * 1; y.retain_grad(); v = y[0]; v.mul_(3); y.mul_(2); y.sum().backward() -> y.grad [1., 1.], x.grad [6., 2.]:
        // the keeper stayed on MulBackward0 through the CopySlices and moves from there to the new MulBackward0
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(1.0);
        y.retainGrad();
        y.select(0, 0).mul_(3.0);
        y.mul_(2.0);
        y.sum().backward();
        assertThat(y.grad().toFloatArray()).containsExactly(1, 1);
        assertThat(x.grad().toFloatArray()).containsExactly(6, 2);
        // x = tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True); y = x / 0.25; y.div_(2.0)
        // y.backward(torch.ones(2, 3), inputs=[y]); v = y.select(0, 0); v.mul_(torch.tensor([1, 2, 3])); y.mul_(x)
        // v.backward(torch.tensor([-1., -0.25, 0.5])) -> fails at the freed DivBackward0, having retained only the gradient
        // of y's newest node: y.grad [[0., 0.75, 1.5], [1., 1., 1.]] (script 32803)
        Tensor x2 = Tensor.of(1, 2, 3, 4, 5, 6).reshape(2, 3).detach().requiresGrad_();
        Tensor y2 = x2.div(0.25);
        y2.div_(2.0);
        Autograd.backward(new Tensor[] {y2}, new Tensor[] {Tensor.ones(2, 3)}, false, false, new Tensor[] {y2});
        Tensor v = y2.select(0, 0);
        v.mul_(Tensor.tensor(new long[] {1, 2, 3}));
        y2.mul_(x2);
        assertThatThrownBy(() -> v.backward(Tensor.of(-1, -0.25f, 0.5f))).hasMessageStartingWith("Trying to backward through the graph a second time");
        assertThat(y2.grad().toFloatArray()).containsExactly(0, 0.75f, 1.5f, 1, 1, 1);
    }

    private static int close(float a, float b) { return Math.abs(a - b) < 1e-4 ? 0 : Float.compare(a, b); }
}
