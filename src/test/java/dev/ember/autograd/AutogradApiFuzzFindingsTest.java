package dev.ember.autograd;

import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Differences the autograd script fuzzer (AutogradScriptFuzzTest) found, each pinned with what PyTorch 1.13 printed for
 * the Python line above it.
 */
class AutogradApiFuzzFindingsTest {

    private static Tensor t(float... v) { return Tensor.tensor(v); }

    private static void assertValues(double[] want, Tensor actual) { assertArrayEquals(want, actual.toDoubleArray(), 1e-6); }

    @Test
    void backwardWithInputsMakesNonLeafInputsRetainGradAndRunsEachInputOnce() {
        // x = tensor([1., 2., 3.], requires_grad=True); y = x * 2; z = (y * y).sum()
        Tensor x = t(1, 2, 3).requiresGrad_();
        Tensor y = x.mul(2.0);
        Tensor z = y.mul(y).sum();
        // torch.autograd.backward([z], inputs=[y, x, x], retain_graph=True)  -> y.retains_grad True, y.grad [4, 8, 12], x.grad [8, 16, 24]
        Autograd.backward(new Tensor[] {z}, null, true, false, new Tensor[] {y, x, x});
        assertTrue(y.retainsGrad());
        assertValues(new double[] {4, 8, 12}, y.grad());
        assertValues(new double[] {8, 16, 24}, x.grad());
        // z.backward()  -> y.grad [8, 16, 24], x.grad [16, 32, 48]
        z.backward();
        assertValues(new double[] {8, 16, 24}, y.grad());
        assertValues(new double[] {16, 32, 48}, x.grad());
        // torch.autograd.backward([z], [tensor([1., 2.])], inputs=[tensor([1.])])  -> the gradient is checked before the inputs
        Exception e = assertThrows(RuntimeException.class, () -> Autograd.backward(new Tensor[] {z}, new Tensor[] {t(1, 2)}, false, false, new Tensor[] {t(1)}));
        assertEquals("Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([]).", e.getMessage());
    }

    @Test
    void aLeafThatStoppedRequiringGradTakesNoGradient() {
        // x = tensor([1., 2.], requires_grad=True); y = (x * 3).sum(); x.detach_(); y.backward()  -> x.grad None
        Tensor x = t(1, 2).requiresGrad_();
        Tensor y = x.mul(3.0).sum();
        x.detach_();
        y.backward();
        assertNull(x.grad());
        // ...; x.requires_grad_(False); x.mul_(w); y.backward()  -> leaf variable has been moved into the graph interior
        Tensor x2 = t(1, 2).requiresGrad_();
        Tensor w = t(1, 1).requiresGrad_();
        Tensor y2 = x2.mul(3.0).sum();
        x2.requiresGrad_(false);
        x2.mul_(w);
        Exception e = assertThrows(RuntimeException.class, y2::backward);
        assertEquals("leaf variable has been moved into the graph interior", e.getMessage());
    }

    @Test
    void aRetainedGradIsAContiguousCloneThenAddedOutOfPlace() {
        // x = tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True); y = x.t() * 1; y.retain_grad()
        Tensor x = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad_();
        Tensor y = x.t().mul(1.0).retainGrad();
        // y.backward(<a transposed gradient>, create_graph=True)  -> y.grad.stride() (2, 1), y.grad.grad_fn None
        y.backward(Tensor.tensor(new float[][] {{1, 2}, {3, 4}, {5, 6}}).t().contiguous().t(), false, true);
        assertArrayEquals(new int[] {2, 1}, y.grad().strides());
        // y.backward(ones(3, 2))  -> y.grad [[2, 3], [4, 5], [6, 7]], requires_grad False
        y.backward(Tensor.ones(3, 2));
        assertValues(new double[] {2, 3, 4, 5, 6, 7}, y.grad());
        assertFalse(y.grad().requiresGrad());
    }

    @Test
    void aMismatchedGradientIsNumberedAsPythonsTupleIndexFindsIt() {
        Tensor a = t(1, 2).requiresGrad_(), b = t(1, 2, 3).requiresGrad_();
        // torch.autograd.backward([a * 1, b * 1], [tensor([1., 1.]), tensor([1., 1.])])
        Exception e = assertThrows(RuntimeException.class, () -> Autograd.backward(new Tensor[] {a.mul(1.0), b.mul(1.0)}, new Tensor[] {t(1, 1), t(1, 1)}, false, false));
        assertEquals("Boolean value of Tensor with more than one value is ambiguous", e.getMessage());
        // torch.autograd.backward([a * 1, b * 1], [tensor([1., 1.]), tensor([[1., 1., 1.]])])
        e = assertThrows(RuntimeException.class, () -> Autograd.backward(new Tensor[] {a.mul(1.0), b.mul(1.0)},
                new Tensor[] {t(1, 1), Tensor.tensor(new float[][] {{1, 1, 1}})}, false, false));
        assertEquals("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1", e.getMessage());
    }

    @Test
    void aSavedPythonNumberIsATensorInTheDoubleBackwardGraph() {
        // x = tensor(1.5, requires_grad=True); g = torch.autograd.grad((x * -0.5).pow(2), x, create_graph=True)[0]
        Tensor x = Tensor.scalar(1.5).requiresGrad_();
        Tensor g = Autograd.grad(new Tensor[] {x.mul(-0.5).pow(2.0)}, new Tensor[] {x}, null, true, true)[0];
        // g.grad_fn MulBackward0, next_functions ((MulBackward0, 0), (None, 0))
        assertEquals("MulBackward0", g.gradFn().name());
        assertEquals(2, g.gradFn().nextFunctions().size());
        assertEquals("MulBackward0", g.gradFn().nextFunctions().get(0).node().name());
        assertNull(g.gradFn().nextFunctions().get(1));
    }

    @Test
    void aViewMadeUnderNoGradHasNoGradientToCapture() {
        // x = tensor([1., 2.], requires_grad=True); with no_grad(): v = x[:1]
        Tensor x = t(1, 2).requiresGrad_();
        Tensor v;
        try (var g = GradMode.noGrad()) {
            v = x.narrow(0, 0, 1);
        }
        // torch.autograd.grad((x * 2).sum(), [x, v], allow_unused=True)  -> (tensor([2., 2.]), None)
        assertTrue(v.requiresGrad());
        Tensor[] got = Autograd.grad(new Tensor[] {x.mul(2.0).sum()}, new Tensor[] {x, v}, null, false, false, true);
        assertValues(new double[] {2, 2}, got[0]);
        assertNull(got[1]);
    }

    @Test
    void asStridedBackwardIsAViewWithTheInputsStridesAtPyTorchsVersion() {
        // x = tensor([1., ..., 6.]).reshape(2, 3).t().detach().requires_grad_()
        // g = torch.autograd.grad(x.as_strided((2,), (1,), 1), x, tensor([1., 2.]))[0]  -> [[0, 0], [1, 0], [2, 0]], stride (1, 3), _version 2
        Tensor x = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).t().detach().requiresGrad_();
        Tensor g = Autograd.grad(new Tensor[] {x.asStrided(new int[] {2}, new int[] {1}, 1)}, new Tensor[] {x}, new Tensor[] {t(1, 2)}, false, false)[0];
        assertValues(new double[] {0, 0, 1, 0, 2, 0}, g);
        assertArrayEquals(new int[] {1, 3}, g.strides());
        assertEquals(2, g.version());
        // e = tensor([[1., 2., 3.]]).expand(2, 3).detach().requires_grad_(): an overlapping input averages
        // torch.autograd.grad(e.as_strided((2, 2), (0, 1), 1), e, tensor([[1., 2.], [3., 4.]]))[0]  -> [[0, 2, 3], [0, 2, 3]], stride (0, 1), _version 3
        Tensor e = Tensor.tensor(new float[][] {{1, 2, 3}}).expand(2, 3).detach().requiresGrad_();
        Tensor ge = Autograd.grad(new Tensor[] {e.asStrided(new int[] {2, 2}, new int[] {0, 1}, 1)}, new Tensor[] {e},
                new Tensor[] {Tensor.tensor(new float[][] {{1, 2}, {3, 4}})}, false, false)[0];
        assertValues(new double[] {0, 2, 3, 0, 2, 3}, ge);
        assertArrayEquals(new int[] {0, 1}, ge.strides());
        assertEquals(3, ge.version());
        // x = tensor([1., 2., 3.], requires_grad=True); w = tensor([1., 2.], requires_grad=True)
        // g = torch.autograd.grad(x.as_strided((2,), (1,), 1), x, w, create_graph=True)[0]  -> AsStridedBackward0 -> CopySlices
        Tensor x1 = t(1, 2, 3).requiresGrad_();
        Tensor gc = Autograd.grad(new Tensor[] {x1.asStrided(new int[] {2}, new int[] {1}, 1)}, new Tensor[] {x1}, new Tensor[] {t(1, 2).requiresGrad_()}, true, true)[0];
        assertValues(new double[] {0, 1, 2}, gc);
        assertEquals("AsStridedBackward0", gc.gradFn().name());
        assertEquals("CopySlices", gc.gradFn().nextFunctions().get(0).node().typeName());
    }

    @Test
    void doubleBackwardGraphNamesOfSumToAScalarAndOfT() {
        // x = tensor(2., requires_grad=True); y = tensor([1., 2., 3.], requires_grad=True)
        // torch.autograd.grad((x * y).sum(), x, create_graph=True)[0].grad_fn  -> SumBackward0
        Tensor x = Tensor.scalar(2.0).requiresGrad_();
        Tensor y = t(1, 2, 3).requiresGrad_();
        assertEquals("SumBackward0", Autograd.grad(new Tensor[] {x.mul(y).sum()}, new Tensor[] {x}, null, true, true)[0].gradFn().name());
        // x = tensor([1., 2.], requires_grad=True); torch.autograd.grad(x.t(), x, ones(2, requires_grad=True), create_graph=True)[0].grad_fn  -> TBackward0
        Tensor v = t(1, 2).requiresGrad_();
        assertEquals("TBackward0", Autograd.grad(new Tensor[] {v.t()}, new Tensor[] {v}, new Tensor[] {t(1, 1).requiresGrad_()}, true, true)[0].gradFn().name());
    }

    @Test
    void aViewIsReDerivedEvenWhenItsBaseNoLongerRequiresGrad() {
        // x = tensor([1., 2., 3.], requires_grad=True); v = x * 1; w = v[1:]; v.detach_(); with no_grad(): v.mul_(2)
        Tensor x = t(1, 2, 3).requiresGrad_();
        Tensor v = x.mul(1.0);
        Tensor w = v.narrow(0, 1, 2);
        v.detach_();
        try (var g = GradMode.noGrad()) {
            v.mul_(2.0);
        }
        // w.grad_fn AsStridedBackward0, next_functions ((None, 0),), w.requires_grad True
        assertEquals("AsStridedBackward0", w.gradFn().name());
        assertNull(w.gradFn().nextFunctions().get(0));
        assertTrue(w.requiresGrad());
    }

    @Test
    void aSavedOutputDetachedInPlaceStillLeadsTheDoubleBackwardGraph() {
        // x = tensor([1., 2.], requires_grad=True); y = x.exp(); z = y * 1; y.detach_()
        Tensor x = t(1, 2).requiresGrad_();
        Tensor y = x.exp();
        Tensor z = y.mul(1.0);
        y.detach_();
        // g = torch.autograd.grad(z.sum(), x, create_graph=True)[0]  -> [2.7183, 7.3891], MulBackward0, requires_grad True
        Tensor g = Autograd.grad(new Tensor[] {z.sum()}, new Tensor[] {x}, null, true, true)[0];
        assertValues(new double[] {Math.exp(1), Math.exp(2)}, g);
        assertEquals("MulBackward0", g.gradFn().name());
        assertTrue(g.requiresGrad());
    }

    @Test
    void retainGradReadsIsLeafFromTheFieldAsPyTorchsCpp() {
        // x = tensor([1., 2., 3.], requires_grad=True); y = x * 1; with no_grad(): v = y[1:]
        Tensor x = t(1, 2, 3).requiresGrad_();
        Tensor y = x.mul(1.0);
        Tensor v;
        try (var g = GradMode.noGrad()) {
            v = y.narrow(0, 1, 2);
        }
        // y.mul_(2); v.retain_grad()  -> no error, v.retains_grad False (while reading v.grad_fn raises)
        y.mul_(2.0);
        v.retainGrad();
        assertFalse(v.retainsGrad());
        assertThrows(IllegalStateException.class, v::gradFn);
    }

    @Test
    void aCopySlicesRunsOnceWithoutRetainGraphEvenWhenItsNodeSavedNothing() {
        // x = tensor([1., 2.], requires_grad=True); w = tensor([3., 4.], requires_grad=True)
        // b = x.clone(); b[:1].add_(w[:1]); s = b.sum(); s.backward(); s.backward()  -> Trying to backward through the graph a second time ...
        Tensor x = t(1, 2).requiresGrad_();
        Tensor w = t(3, 4).requiresGrad_();
        Tensor b = x.clone();
        b.narrow(0, 0, 1).add_(w.narrow(0, 0, 1));
        Tensor s = b.sum();
        s.backward();
        Exception e = assertThrows(IllegalStateException.class, s::backward);
        assertEquals(SavedTensor.BACKWARD_TWICE, e.getMessage());
        // c = x.clone(); c.add_(w); s = c.sum(); s.backward(); s.backward()  -> runs: no node saved anything
        Tensor c = x.clone();
        c.add_(w);
        Tensor s2 = c.sum();
        s2.backward();
        s2.backward();
    }

    @Test
    void aNodeUnpacksEverySavedTensorEvenWhenNoInputNeedsItsGradient() {
        // autograd script 17053. x = tensor(1.5, requires_grad=True); with no_grad(): v = x.t()   (v has no gradient edge)
        Tensor x = Tensor.scalar(1.5).requiresGrad_();
        Tensor v;
        try (var g = GradMode.noGrad()) {
            v = x.t();
        }
        // y = v / 0.25 (DivBackward0 saves other, read by both formulas, not self); y.backward(); y.backward() -> freed
        Tensor y = v.div(0.25);
        y.backward();
        assertNull(x.grad());
        Exception e = assertThrows(RuntimeException.class, y::backward);
        assertEquals(SavedTensor.BACKWARD_TWICE, e.getMessage());
        // s = tensor(4.); y = v / s; s.add_(1); y.backward()  -> the version error for s
        Tensor s = Tensor.scalar(4.0);
        Tensor y2 = v.div(s);
        s.add_(1.0);
        e = assertThrows(RuntimeException.class, y2::backward);
        assertEquals("one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor []] is at "
                + "version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
                + "with torch.autograd.set_detect_anomaly(True).", e.getMessage());
        // y = v * s; s.add_(1); y.backward()  -> runs: MulBackward0 saves s only for v's gradient, which has no edge
        Tensor y3 = v.mul(s);
        s.add_(1.0);
        y3.backward();
        assertNull(x.grad());
    }

    @Test
    void aFirstGradientNothingElseHoldsIsKeptItselfAsAccumulateGradStealsIt() {
        // x = ones(2, requires_grad=True); (x * 2).sum().backward()  -> x.grad._version 0 (MulBackward0's result, kept)
        Tensor x = Tensor.ones(2).requiresGrad_();
        x.mul(2.0).sum().backward();
        assertEquals(0, x.grad().version());
        // (x * 2).sum().backward()  -> added in place: _version 1
        x.mul(2.0).sum().backward();
        assertEquals(1, x.grad().version());
        // x = ones(2, requires_grad=True); x.sum().backward()  -> 1: an expanded gradient breaks the layout contract, copied
        Tensor s = Tensor.ones(2).requiresGrad_();
        s.sum().backward();
        assertEquals(1, s.grad().version());
        // x = ones(2, requires_grad=True); g = tensor([1., 2.]); x.backward(g)  -> x.grad is not g, _version 1, g._version 0
        Tensor u = Tensor.ones(2).requiresGrad_();
        Tensor g = t(1, 2);
        u.backward(g);
        assertFalse(u.grad() == g);
        assertEquals(1, u.grad().version());
        assertEquals(0, g.version());
        // (x + 0).backward(g)  -> 1: AddBackward0 passes the caller's g on;  x.view(2).backward(g) -> 0: a new view of it
        Tensor v = Tensor.ones(2).requiresGrad_();
        v.add(0.0).backward(g);
        assertEquals(1, v.grad().version());
        Tensor vw = Tensor.ones(2).requiresGrad_();
        vw.view(2).backward(g);
        assertEquals(0, vw.grad().version());
        // a = ones(2, requires_grad=True); b = ones(2, requires_grad=True); (a + b).sum().backward()  -> 1 and 1: one tensor for both
        Tensor a = Tensor.ones(2).requiresGrad_(), b = Tensor.ones(2).requiresGrad_();
        a.add(b).sum().backward();
        assertEquals(1, a.grad().version());
        assertEquals(1, b.grad().version());
        // x = ones(2, requires_grad=True); (x * 2).sum().backward(create_graph=True)  -> 1 (copied); again -> 0 (out of place)
        Tensor c = Tensor.ones(2).requiresGrad_();
        c.mul(2.0).sum().backward(null, false, true);
        assertEquals(1, c.grad().version());
        c.mul(2.0).sum().backward(null, false, true);
        assertEquals(0, c.grad().version());
        // x = ones(2, 3, requires_grad=True); (x.t() * 2).sum().backward()  -> 1, strides (3, 1): a transposed gradient is copied
        Tensor m = Tensor.ones(2, 3).requiresGrad_();
        m.t().mul(2.0).sum().backward();
        assertEquals(1, m.grad().version());
        assertArrayEquals(new int[] {3, 1}, m.grad().strides());
    }
}
