package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Custom functions ({@code torch.autograd.Function}) against PyTorch 1.13: each test mirrors a Python run whose
 * printed results are quoted above the assertions (the Function classes below carry the Python classes' names, which
 * the grad_fn names come from).
 */
class CustomFunctionTest {

    static final String CUSTOM = " This view was created inside a custom Function (or because an input was returned as-is) and the autograd logic "
            + "to handle view+inplace would override the custom backward associated with the custom Function, leading to incorrect gradients. "
            + "This behavior is forbidden. You can fix this by cloning the output of the custom Function.";
    static final String MULTI = " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be "
            + "modified inplace. You should replace the inplace operation by an out-of-place one.";

    static Tensor leaf(double... v) { return values(v).requiresGrad_(); }

    static Tensor values(double... v) { return Tensor.tensor(v, DType.FLOAT32); }

    static Tensor[] of(Tensor... ts) { return ts; }

    /** What the Python functions print from inside forward and backward. */
    static final List<String> LOG = new ArrayList<>();

    static final class MyExp extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.put("forward grad", GradMode.isEnabled());
            Tensor r = in[0].exp();
            ctx.saveForBackward(r);
            return of(r);
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            LOG.add("backward grad " + GradMode.isEnabled() + " needs " + ctx.needsInputGrad(0) + " forward grad " + ctx.get("forward grad"));
            return of(g[0].mul(ctx.savedTensors()[0]));
        }
    }

    @Test
    void aCallRecordsANodeNamedAfterTheClassAndRunsForwardAndBackwardWithoutGrad() {
        LOG.clear();
        // x = leaf(1., 2.); y = MyExp.apply(x) -> tensor([2.7183, 7.3891], grad_fn=<MyExpBackward>) MyExpBackward False 0
        Tensor x = leaf(1, 2);
        Tensor y = new MyExp().apply(x)[0];
        assertThat(y.toString()).isEqualTo("tensor([2.7183, 7.3891], grad_fn=<MyExpBackward>)");
        assertThat(y.gradFn().name()).isEqualTo("MyExpBackward");
        assertThat(y.isLeaf()).isFalse();
        assertThat(y.version()).isZero();
        assertThat(y.gradFn().nextFunctions().get(0).node().name()).isEqualTo("torch::autograd::AccumulateGrad");
        // y.sum().backward() prints "backward grad enabled False (True,) forward grad False"; x.grad -> tensor([2.7183, 7.3891])
        y.sum().backward();
        assertThat(LOG).containsExactly("backward grad false needs true forward grad false");
        assertThat(x.grad().toString()).isEqualTo("tensor([2.7183, 7.3891])");
        // y.sum().backward() again: its saved tensors are gone
        assertThatThrownBy(() -> y.sum().backward()).hasMessage(SavedTensor.BACKWARD_TWICE);
        // y = MyExp.apply(leaf(1., 2.)); y.mul_(2); y.sum().backward()
        Tensor z = new MyExp().apply(leaf(1, 2))[0];
        z.mul_(2.0);
        assertThatThrownBy(() -> z.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.FloatTensor [2]], which is output 0 of MyExpBackward, is at version 1; expected version 0 instead. "
                + "Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        // MyExp.apply(torch.tensor([1.])).requires_grad -> False
        assertThat(new MyExp().apply(values(1))[0].requiresGrad()).isFalse();
        try (var g = GradMode.noGrad()) {
            assertThat(new MyExp().apply(x)[0].gradFn()).isNull();
        }
    }

    static final class Ident extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0]); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].mul(2.0)); }
    }

    @Test
    void anInputReturnedAsIsComesBackAsAViewThatMayNotBeWrittenInPlace() {
        // x = leaf(1., 2.); y = Ident.apply(x): y is x, y._base is x, name, is_leaf, requires_grad -> False True IdentBackward False True
        Tensor x = leaf(1, 2);
        Tensor y = new Ident().apply(x)[0];
        assertThat(y).isNotSameAs(x);
        assertThat(y.meta().base()).isSameAs(x);
        assertThat(y.gradFn().name()).isEqualTo("IdentBackward");
        assertThat(y.isLeaf()).isFalse();
        assertThat(y.requiresGrad()).isTrue();
        // y.sum().backward(); x.grad -> tensor([2., 2.])
        y.sum().backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([2., 2.])");
        // Ident.apply(x).add_(1)
        assertThatThrownBy(() -> new Ident().apply(x)[0].add_(1.0))
                .hasMessage("Output 0 of IdentBackward is a view and is being modified inplace." + CUSTOM);
        // w = x * 1; y = Ident.apply(w); w.mul_(2); y.grad_fn
        Tensor w = x.mul(1.0);
        Tensor yw = new Ident().apply(w)[0];
        w.mul_(2.0);
        assertThatThrownBy(yw::gradFn)
                .hasMessage("Output 0 of IdentBackward is a view and its base or another view of its base has been modified inplace." + CUSTOM);
        // p = torch.tensor([1., 2.]); y = Ident.apply(p); y._base is p, y.requires_grad -> True False; y.add_(1); p -> tensor([2., 3.])
        Tensor p = values(1, 2);
        Tensor yp = new Ident().apply(p)[0];
        assertThat(yp.meta().base()).isSameAs(p);
        assertThat(yp.requiresGrad()).isFalse();
        yp.add_(1.0);
        assertThat(p.toString()).isEqualTo("tensor([2., 3.])");
        // with torch.no_grad(): y = Ident.apply(x) -> not a view, no grad; y.add_(1); x -> tensor([2., 3.], requires_grad=True)
        try (var g = GradMode.noGrad()) {
            Tensor yn = new Ident().apply(x)[0];
            assertThat(yn.isView()).isFalse();
            assertThat(yn.requiresGrad()).isFalse();
            assertThat(yn.gradFn()).isNull();
            yn.add_(1.0);
        }
        assertThat(x.toString()).isEqualTo("tensor([2., 3.], requires_grad=True)");
    }

    static final class Dirty extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            in[0].mul_(2.0);
            ctx.markDirty(in[0]);
            ctx.saveForBackward(in[0]);
            return of(in[0]);
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].mul(ctx.savedTensors()[0])); }
    }

    static final class MarkOnly extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.markDirty(in[0]);
            return of(in[0]);
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }
    }

    static final class DirtyNotRet extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            in[0].mul_(2.0);
            ctx.markDirty(in[0]);
            return of(in[0].mul(1.0));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }
    }

    static final class DirtyTwo extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            in[0].mul_(2.0);
            ctx.markDirty(in[0]);
            return of(in[0], in[0].mul(1.0));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0]); }
    }

    static final class DirtyView extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            in[0].mul_(2.0);
            ctx.markDirty(in[0]);
            return of(in[0]);
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].mul(2.0)); }
    }

    @Test
    void anInputWrittenInPlaceIsMarkedDirtyAndTakesTheCallAsItsHistory() {
        // x = leaf(1., 2.); Dirty.apply(x) -> error; x -> tensor([2., 4.], requires_grad=True), x._version -> 2
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> new Dirty().apply(x)).hasMessage("a leaf Variable that requires grad has been used in an in-place operation.");
        assertThat(x.toString()).isEqualTo("tensor([2., 4.], requires_grad=True)");
        assertThat(x.version()).isEqualTo(2);
        // x = leaf(1., 2.); w = x * 1; d = Dirty.apply(w): d is w, w.grad_fn.name(), w._version, w -> True DirtyBackward 2 tensor([2., 4.], grad_fn=<DirtyBackward>)
        Tensor x2 = leaf(1, 2);
        Tensor w = x2.mul(1.0);
        Tensor d = new Dirty().apply(w)[0];
        assertThat(d).isSameAs(w);
        assertThat(w.gradFn().name()).isEqualTo("DirtyBackward");
        assertThat(w.version()).isEqualTo(2);
        assertThat(w.toString()).isEqualTo("tensor([2., 4.], grad_fn=<DirtyBackward>)");
        // d.sum().backward(); x.grad -> tensor([2., 4.])
        d.sum().backward();
        assertThat(x2.grad().toString()).isEqualTo("tensor([2., 4.])");
        // with torch.no_grad(): d = Dirty.apply(x) -> d is x False, requires_grad False, x._version 2, x tensor([2., 4.], requires_grad=True)
        Tensor x3 = leaf(1, 2);
        try (var g = GradMode.noGrad()) {
            Tensor dn = new Dirty().apply(x3)[0];
            assertThat(dn).isNotSameAs(x3);
            assertThat(dn.requiresGrad()).isFalse();
        }
        assertThat(x3.version()).isEqualTo(2);
        assertThat(x3.toString()).isEqualTo("tensor([2., 4.], requires_grad=True)");
        // w = leaf(1., 2.) * 1; MarkOnly.apply(w); w._version -> 1
        Tensor w2 = leaf(1, 2).mul(1.0);
        new MarkOnly().apply(w2);
        assertThat(w2.version()).isEqualTo(1);
        // DirtyNotRet.apply(leaf(1., 2.) * 1)
        assertThatThrownBy(() -> new DirtyNotRet().apply(leaf(1, 2).mul(1.0))).hasMessage("Some elements marked as dirty during the forward method "
                + "were not returned as output. The inputs that are modified inplace must all be outputs of the Function.");
        // DirtyTwo.apply((leaf(1., 2.) * 1)[0:1])
        assertThatThrownBy(() -> new DirtyTwo().apply(leaf(1, 2).mul(1.0).narrow(0, 0, 1))).hasMessage("If your Function modifies inplace an "
                + "input that is a view of another Tensor, your Function cannot return more than one Tensor. This is not supported by the current "
                + "autograd engine. You should either make sure the input is not a view (using .clone() for example) or make your Function only "
                + "return one Tensor (potentially splitting it into two Functions: one doing the inplace that returns a single Tensor and a second "
                + "one that does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do this change.");
    }

    @Test
    void markDirtyBumpsTheTensorsVersionCounterNotTheStorage() {
        // a = torch.tensor([1., 2.]); d = a.data; Dirty.apply(d); a._version, d._version -> 0 2
        Tensor a = values(1, 2);
        Tensor d = a.data();
        new Dirty().apply(d);
        assertThat(a.version()).isEqualTo(0);
        assertThat(d.version()).isEqualTo(2);
        // v = a[0:1]; Dirty.apply(v); a._version, d._version, v._version -> 2 2 2 (a view shares its base's counter)
        Tensor v = a.narrow(0, 0, 1);
        new Dirty().apply(v);
        assertThat(a.version()).isEqualTo(2);
        assertThat(d.version()).isEqualTo(2);
        assertThat(v.version()).isEqualTo(2);
        // b = leaf(1., 2.); c = b * 1; y = c.sin(); MarkOnly.apply(c.data); y.sum().backward() -> runs (c's counter is untouched)
        Tensor c = leaf(1, 2).mul(1.0);
        Tensor y = c.sin();
        new MarkOnly().apply(c.data());
        y.sum().backward();
        assertThat(c.version()).isEqualTo(0);
        // with torch.inference_mode(): i = torch.rand(3)
        // MarkOnly.apply(i) -> RuntimeError: Inplace update to inference tensor outside InferenceMode is not allowed.You can make ...
        Tensor i;
        try (var g = InferenceMode.enable()) {
            i = values(1, 2);
        }
        assertThatThrownBy(() -> new MarkOnly().apply(i)).hasMessageStartingWith("Inplace update to inference tensor outside InferenceMode is not allowed.");
    }

    @Test
    void aDirtyViewRebasesItsBaseOntoCopySlices() {
        // x = leaf(1., 2.); base = x * 1; v = base[0:1]; r = DirtyView.apply(v)
        // r is v, v.grad_fn.name(), base.grad_fn.name(), base -> True AsStridedBackward0 torch::autograd::CopySlices tensor([2., 2.], grad_fn=<CopySlices>)
        Tensor x = leaf(1, 2);
        Tensor base = x.mul(1.0);
        Tensor v = base.narrow(0, 0, 1);
        Tensor r = new DirtyView().apply(v)[0];
        assertThat(r).isSameAs(v);
        assertThat(v.gradFn().name()).isEqualTo("AsStridedBackward0");
        assertThat(base.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        assertThat(base.toString()).isEqualTo("tensor([2., 2.], grad_fn=<CopySlices>)");
        // base.sum().backward(); x.grad -> tensor([2., 1.])
        base.sum().backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([2., 1.])");
        // v.add_(1) -> tensor([3.], grad_fn=<AsStridedBackward0>)
        assertThat(v.add_(1.0).toString()).isEqualTo("tensor([3.], grad_fn=<AsStridedBackward0>)");
    }

    static final class NonDiff extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor m = in[0].argmax();
            Tensor s = in[0].mul(2.0);
            ctx.markNonDifferentiable(m);
            return of(s, m, in[0].round());
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            LOG.add("grads " + g[0] + " " + g[1] + " " + g[2]);
            return of(g[0].mul(2.0).add(g[2]));
        }
    }

    static final class IntOut extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].to(DType.INT64), in[0].mul(1.0)); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            LOG.add("int grads " + g[0] + " " + g[1]);
            return of(g[1]);
        }
    }

    @Test
    void nonDifferentiableAndIntegerOutputsGetNoHistoryAndZeroGradients() {
        LOG.clear();
        // x = leaf(1., 3.); s, m, r = NonDiff.apply(x) -> NonDiffBackward False None NonDiffBackward
        Tensor x = leaf(1, 3);
        Tensor[] out = new NonDiff().apply(x);
        assertThat(out[0].gradFn().name()).isEqualTo("NonDiffBackward");
        assertThat(out[1].requiresGrad()).isFalse();
        assertThat(out[1].gradFn()).isNull();
        assertThat(out[2].gradFn()).isSameAs(out[0].gradFn());
        // s.sum().backward() prints "grads tensor([1., 1.]) tensor(0) tensor([0., 0.])"; x.grad -> tensor([2., 2.])
        out[0].sum().backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([2., 2.])");
        // x = leaf(1.5, 3.); l, f = IntOut.apply(x) -> False None; f.sum().backward() prints "int grads tensor([0, 0]) tensor([1., 1.])"
        Tensor x2 = leaf(1.5, 3);
        Tensor[] lf = new IntOut().apply(x2);
        assertThat(lf[0].requiresGrad()).isFalse();
        assertThat(lf[0].gradFn()).isNull();
        lf[1].sum().backward();
        assertThat(LOG).containsExactly("grads tensor([1., 1.]) tensor(0) tensor([0., 0.])", "int grads tensor([0, 0]) tensor([1., 1.])");
        assertThat(x2.grad().toString()).isEqualTo("tensor([1., 1.])");
    }

    /** Python's Scale takes k as a third argument; a Java Function takes it as a field. */
    static final class Scale extends Function {
        final double k;

        Scale(double k) { this.k = k; }

        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0], in[1]);
            return of(in[0].mul(in[1]).mul(k));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            Tensor[] ab = ctx.savedTensors();
            LOG.add("needs " + ctx.needsInputGrad(0) + " " + ctx.needsInputGrad(1));
            return of(g[0].mul(ab[1]).mul(k), g[0].mul(ab[0]).mul(k));
        }
    }

    @Test
    void needsInputGradAndSavedInputs() {
        LOG.clear();
        // a = leaf(1., 2.); b = torch.tensor([3., 4.]); y = Scale.apply(a, b, 2.0) -> tensor([ 6., 16.], grad_fn=<ScaleBackward>)
        Tensor a = leaf(1, 2), b = values(3, 4);
        Tensor y = new Scale(2.0).apply(a, b)[0];
        assertThat(y.toString()).isEqualTo("tensor([ 6., 16.], grad_fn=<ScaleBackward>)");
        // y.sum().backward() prints "needs (True, False, False)"; a.grad, b.grad -> tensor([6., 8.]) None
        y.sum().backward();
        assertThat(LOG).containsExactly("needs true false");
        assertThat(a.grad().toString()).isEqualTo("tensor([6., 8.])");
        assertThat(b.grad()).isNull();
    }

    static Function returning(java.util.function.Function<Tensor, Tensor[]> backward) {
        return new Function() {
            protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].mul(1.0)); }

            protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return backward.apply(g[0]); }
        };
    }

    static final class Plus extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].add(in[1])); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0]); }
    }

    static final class Both extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].mul(in[1])); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0], g[0].mul(10.0)); }
    }

    @Test
    void backwardReturnsOneGradientPerInputWhichTheEngineConforms() {
        // Plus.apply(leaf(1., 2.), leaf(1., 1.)).sum().backward()
        assertThatThrownBy(() -> new Plus().apply(leaf(1, 2), leaf(1, 1))[0].sum().backward())
                .hasMessage("function PlusBackward returned an incorrect number of gradients (expected 2, got 1)");
        // TooMany: return g, g
        Function tooMany = returning(g -> of(g, g));
        assertThatThrownBy(() -> tooMany.apply(leaf(1, 2))[0].sum().backward())
                .hasMessage("function CustomFunctionTest$1Backward returned an incorrect number of gradients (expected 1, got 2)");
        // TooManyNone: return g, None -> a.grad tensor([1., 1.])
        Tensor a = leaf(1, 2);
        returning(g -> of(g, null)).apply(a)[0].sum().backward();
        assertThat(a.grad().toString()).isEqualTo("tensor([1., 1.])");
        // BadShape: return torch.ones(3)
        assertThatThrownBy(() -> returning(g -> of(Tensor.ones(3))).apply(leaf(1, 2))[0].sum().backward())
                .hasMessage("Function CustomFunctionTest$1Backward returned an invalid gradient at index 0 - got [3] but expected shape compatible with [2]");
        // Bcast: return torch.ones(3, 2, dtype=torch.float64) -> a.grad tensor([3., 3.]) (float32)
        Tensor b = leaf(1, 2);
        returning(g -> of(Tensor.ones(new int[] {3, 2}, DType.FLOAT64))).apply(b)[0].sum().backward();
        assertThat(b.grad().toString()).isEqualTo("tensor([3., 3.])");
        // IntGrad: return torch.ones(2, dtype=torch.int64) -> tensor([1., 1.])
        Tensor c = leaf(1, 2);
        returning(g -> of(Tensor.ones(new int[] {2}, DType.INT64))).apply(c)[0].sum().backward();
        assertThat(c.grad().toString()).isEqualTo("tensor([1., 1.])");
        // NoneGrad: return None -> a.grad None
        Tensor d = leaf(1, 2);
        returning(g -> of((Tensor) null)).apply(d)[0].sum().backward();
        assertThat(d.grad()).isNull();
        // Both.apply(a, torch.ones(2)): the gradient for the input that needs none is dropped -> tensor([1., 1.])
        Tensor e = leaf(1, 2);
        new Both().apply(e, Tensor.ones(2))[0].sum().backward();
        assertThat(e.grad().toString()).isEqualTo("tensor([1., 1.])");
        // Both.apply(a, a) -> tensor([11., 11.])
        Tensor f = leaf(1, 2);
        new Both().apply(f, f)[0].sum().backward();
        assertThat(f.grad().toString()).isEqualTo("tensor([11., 11.])");
    }

    static final class Multi extends Function {
        final boolean materialize;

        Multi(boolean materialize) { this.materialize = materialize; }

        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.setMaterializeGrads(materialize);
            return of(in[0].mul(2.0), in[0].mul(3.0));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            LOG.add("grads " + g[0] + " " + g[1]);
            return of(g[0] == null ? g[1] : g[0].add(g[1]));
        }
    }

    @Test
    void anOutputWithoutGradientReadsAsZerosUnlessMaterializingIsOff() {
        LOG.clear();
        // p, q = Multi.apply(a); q.sum().backward() prints "grads tensor([0., 0.]) tensor([1., 1.])"; a.grad -> tensor([1., 1.])
        Tensor a = leaf(1, 2);
        new Multi(true).apply(a)[1].sum().backward();
        // MultiNoMat: prints "grads None tensor([1., 1.])"
        Tensor b = leaf(1, 2);
        new Multi(false).apply(b)[1].sum().backward();
        assertThat(LOG).containsExactly("grads tensor([0., 0.]) tensor([1., 1.])", "grads null tensor([1., 1.])");
        assertThat(a.grad().toString()).isEqualTo("tensor([1., 1.])");
        assertThat(b.grad().toString()).isEqualTo("tensor([1., 1.])");
    }

    static final class Cube extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            ctx.saveForBackward(in[0]);
            return of(in[0].pow(3.0));
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].mul(3.0).mul(ctx.savedTensors()[0].pow(2.0))); }
    }

    @Test
    void aBackwardWrittenInTensorOpsCanBeDifferentiatedAgain() {
        // a = leaf(1., 2.); y = Cube.apply(a); g, = torch.autograd.grad(y.sum(), a, create_graph=True)
        // g, g.grad_fn.name(), g.grad_fn.next_functions -> tensor([ 3., 12.], grad_fn=<MulBackward0>) MulBackward0 ((None, 0), (<PowBackward0>, 0))
        Tensor a = leaf(1, 2);
        Tensor y = new Cube().apply(a)[0];
        Tensor g = Autograd.grad(new Tensor[] {y.sum()}, new Tensor[] {a}, null, true, true)[0];
        assertThat(g.toString()).isEqualTo("tensor([ 3., 12.], grad_fn=<MulBackward0>)");
        assertThat(g.gradFn().nextFunctions().get(0)).isNull();
        assertThat(g.gradFn().nextFunctions().get(1).node().name()).isEqualTo("PowBackward0");
        // g2, = torch.autograd.grad(g.sum(), a) -> tensor([ 6., 12.])
        assertThat(Autograd.grad(g.sum(), a)[0].toString()).isEqualTo("tensor([ 6., 12.])");
        // a2 = a * 1; y = Cube.apply(a2); a2.add_(1); y.sum().backward(): a saved input names its current grad_fn
        Tensor a2 = leaf(1, 2).mul(1.0);
        Tensor y2 = new Cube().apply(a2)[0];
        a2.add_(1.0);
        assertThatThrownBy(() -> y2.sum().backward()).hasMessageContaining("[torch.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.");
        // y = Cube.apply(a); s = y.sum(); s.backward(retain_graph=True); s.backward(); a.grad -> tensor([ 6., 24.])
        Tensor b = leaf(1, 2);
        Tensor s = new Cube().apply(b)[0].sum();
        s.backward(null, true);
        s.backward();
        assertThat(b.grad().toString()).isEqualTo("tensor([ 6., 24.])");
        // y = Cube.apply(a); y.retain_grad(); (y * 2).sum().backward(); y.grad -> tensor([2., 2.])
        Tensor yc = new Cube().apply(leaf(1, 2))[0].retainGrad();
        yc.mul(2.0).sum().backward();
        assertThat(yc.grad().toString()).isEqualTo("tensor([2., 2.])");
    }

    static final class Twice extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0], in[0]); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0].add(g[1])); }
    }

    static final class TwoViews extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].narrow(0, 0, 1), in[0].mul(2.0)); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[1]); }
    }

    static final class ViewAndInt extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].narrow(0, 0, 1), in[0].to(DType.INT64)); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return of(g[0]); }
    }

    static final class NonDiffView extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) {
            Tensor v = in[0].view(-1);
            ctx.markNonDifferentiable(v);
            return of(v);
        }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }
    }

    @Test
    void outputViewsFollowPyTorchsRulesForWritingThemInPlace() {
        // a = leaf(1., 2.); p, q = Twice.apply(a): p is q, p._base is a, q._base is a, same grad_fn -> False True True True
        Tensor a = leaf(1, 2);
        Tensor[] pq = new Twice().apply(a);
        assertThat(pq[0]).isNotSameAs(pq[1]);
        assertThat(pq[0].meta().base()).isSameAs(a);
        assertThat(pq[1].meta().base()).isSameAs(a);
        assertThat(pq[0].gradFn()).isSameAs(pq[1].gradFn());
        // (p.sum() + 2 * q.sum()).backward(); a.grad -> tensor([3., 3.])
        pq[0].sum().add(pq[1].sum().mul(2.0)).backward();
        assertThat(a.grad().toString()).isEqualTo("tensor([3., 3.])");
        // p.add_(1)
        assertThatThrownBy(() -> pq[0].add_(1.0)).hasMessage("Output 0 of TwiceBackward is a view and is being modified inplace." + MULTI);
        // p, q = TwoViews.apply(leaf(1., 2.) * 1); p.add_(1)
        Tensor tv = new TwoViews().apply(leaf(1, 2).mul(1.0))[0];
        assertThatThrownBy(() -> tv.add_(1.0)).hasMessage("Output 0 of TwoViewsBackward is a view and is being modified inplace." + MULTI);
        // p, q = ViewAndInt.apply(leaf(1., 2.) * 1); p.add_(1): one differentiable output
        Tensor vi = new ViewAndInt().apply(leaf(1, 2).mul(1.0))[0];
        assertThatThrownBy(() -> vi.add_(1.0)).hasMessage("Output 0 of ViewAndIntBackward is a view and is being modified inplace." + CUSTOM);
        // lv = torch.ones(2, 2, requires_grad=True); o = NonDiffView.apply(lv) -> True None True; o.add_(1)
        Tensor o = new NonDiffView().apply(Tensor.ones(2, 2).requiresGrad_())[0];
        assertThat(o.requiresGrad()).isTrue();
        assertThat(o.gradFn()).isNull();
        assertThat(o.isView()).isTrue();
        assertThatThrownBy(() -> o.add_(1.0))
                .hasMessage("A view was created in no_grad mode and is being modified inplace with grad mode enabled." + CUSTOM);
    }

    static final class WithNone extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].mul(2.0), null); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            LOG.add("none grad " + g[1]);
            return of(g[0]);
        }
    }

    static final class Cast extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { return of(in[0].to(DType.FLOAT64)); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) {
            LOG.add("cast " + g[0].dtype());
            return g;
        }
    }

    static final class Boom extends Function {
        protected Tensor[] forward(FunctionCtx ctx, Tensor... in) { throw new IllegalArgumentException("boom"); }

        protected Tensor[] backward(FunctionCtx ctx, Tensor... g) { return g; }
    }

    @Test
    void nullOutputsOtherDtypesAndFailingForwards() {
        LOG.clear();
        // o, n = WithNone.apply(a) -> tensor([2., 4.], grad_fn=<WithNoneBackward>) None; o.sum().backward() prints "none grad None"
        Tensor a = leaf(1, 2);
        Tensor[] on = new WithNone().apply(a);
        assertThat(on[0].toString()).isEqualTo("tensor([2., 4.], grad_fn=<WithNoneBackward>)");
        assertThat(on[1]).isNull();
        on[0].sum().backward();
        assertThat(a.grad().toString()).isEqualTo("tensor([1., 1.])");
        // c = Cast.apply(a) -> torch.float64; c.sum().backward() prints "cast torch.float64" (a DType prints as torch does); a.grad -> torch.float32 tensor([1., 1.])
        Tensor b = leaf(1, 2);
        Tensor c = new Cast().apply(b)[0];
        assertThat(c.dtype()).isEqualTo(DType.FLOAT64);
        c.sum().backward();
        assertThat(LOG).containsExactly("none grad null", "cast torch.float64");
        assertThat(b.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(b.grad().toString()).isEqualTo("tensor([1., 1.])");
        // Boom.apply(leaf(1.)) raises its own error; torch.is_grad_enabled() -> True
        assertThatThrownBy(() -> new Boom().apply(leaf(1))).hasMessage("boom");
        assertThat(GradMode.isEnabled()).isTrue();
    }
}
