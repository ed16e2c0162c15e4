package dev.ember.tensor;

import dev.ember.autograd.GradMode;
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

/** In-place view ops and resize_ against PyTorch (tools/fixtures/fx_inplace_views.py), and what fixtures cannot show. */
class InPlaceViewsTest {

    private static Tensor twice(Tensor a) { return a.mul(2.0); }

    @TestFactory
    Stream<DynamicTest> recordedByPyTorch() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("t_", checkingLayout((x, k) -> twice(x[0]).t_())),
                entry("t_self", checkingLayout((x, k) -> x[0].t_())),
                entry("t_row", (x, k) -> x[0].select(0, 0).t_()),
                entry("transpose_", checkingLayout((x, k) -> twice(x[0]).transpose_(k.i("d0"), k.i("d1")))),
                entry("swapdims_", checkingLayout((x, k) -> twice(x[0]).swapdims_(k.i("d0"), k.i("d1")))),
                entry("swapaxes_", checkingLayout((x, k) -> twice(x[0]).swapaxes_(k.i("d0"), k.i("d1")))),
                entry("squeeze_", checkingLayout((x, k) -> twice(x[0]).squeeze_())),
                entry("squeeze_self", checkingLayout((x, k) -> x[0].squeeze_())),
                entry("squeeze_dim", checkingLayout((x, k) -> twice(x[0]).squeeze_(k.i("d")))),
                entry("unsqueeze_", checkingLayout((x, k) -> twice(x[0]).unsqueeze_(k.i("d")))),
                entry("unsqueeze_self", checkingLayout((x, k) -> x[0].unsqueeze_(k.i("d")))),
                entry("as_strided_", checkingLayout((x, k) -> twice(x[0]).asStrided_(k.ints("sz"), k.ints("st"), k.i("o")))),
                entry("as_strided_keep_offset", checkingLayout((x, k) -> x[0].asStrided_(k.ints("sz"), k.ints("st")))),
                entry("as_strided_default_offset", checkingLayout((x, k) -> x[0].asStrided(k.ints("sz"), k.ints("st")))),
                entry("view_before_t_", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]), w = y.view(-1);
                    y.t_();
                    return List.of(y, w);
                })),
                entry("unsqueeze_on_view", checkingLayout((x, k) -> {
                    Tensor c = twice(x[0]), v = c.select(0, 1);
                    v.unsqueeze_(0);
                    return List.of(v, c);
                })),
                entry("mul_after_t_", checkingLayout((x, k) -> twice(x[0]).t_().mul_(x[1]))),
                entry("view_after_transpose_", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]).transpose_(0, 2);
                    return List.of(y.select(0, 1), y);
                })),
                entry("double_t_", checkingLayout((x, k) -> twice(x[0]).t_().t_())),
                entry("write_old_view_after_t_", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]), w = y.select(0, 0);
                    y.t_();
                    w.mul_(3.0);
                    return List.of(y, w);
                })),
                entry("write_row_after_t_", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]).t_();
                    y.select(0, 1).mul_(3.0);
                    return y;
                })),
                entry("write_after_as_strided_on_view", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]), v = y.slice(0, 1, 3, 1);
                    v.asStrided_(new int[] {2, 2}, new int[] {1, 3}, 4);
                    v.mul_(3.0);
                    return List.of(y, v);
                })),
                entry("detached_t_", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]), d = y.detach();
                    d.t_();
                    return List.of(y.exp(), d);
                })),
                entry("t_on_view_under_no_grad", checkingLayout((x, k) -> {
                    Tensor y = twice(x[0]), v = y.slice(0, 1, 3, 1);
                    try (var g = GradMode.noGrad()) {
                        v.t_();
                    }
                    return List.of(v, y);
                })),
                entry("unbind_unsqueeze_", (x, k) -> twice(x[0]).unbind(0).getFirst().unsqueeze_(0)),
                entry("resize_", checkingLayout((x, k) -> x[0].resize_(k.ints("s")))),
                entry("resize_nonleaf", (x, k) -> twice(x[0]).resize_(k.ints("s"))),
                entry("resize_grown", checkingLayout((x, k) -> {
                    int old = x[0].numel();
                    return x[0].resize_(k.ints("s")).view(-1).slice(0, 0, old, 1);
                })),
                entry("resize_as_", checkingLayout((x, k) -> x[0].resizeAs_(x[1]))));
        return OpCases.run("inplace_views", ops);
    }

    @Test
    void theOpReturnsTheSameTensorAndMovesItsVersion() {
        // x = torch.zeros(2, 3); v = x.view(6); r = x.t_()
        // r is x -> True; x.shape, x.stride(), x._version -> (3, 2), (1, 3), 1; v.shape, v._version -> (6,), 1
        Tensor x = Tensor.zeros(2, 3), v = x.view(6);
        assertThat(x.t_()).isSameAs(x);
        assertThat(x.shape()).containsExactly(3, 2);
        assertThat(x.strides()).containsExactly(1, 3);
        assertThat(x.version()).isEqualTo(1);
        assertThat(v.shape()).containsExactly(6);
        assertThat(v.version()).isEqualTo(1);
        assertThat(x.unsqueeze_(0)).isSameAs(x);
        assertThat(x.version()).isEqualTo(2);
    }

    @Test
    void underNoGradALeafThatRequiresGradChangesWithoutHistory() {
        // a = torch.zeros(2, 3, requires_grad=True)
        // with torch.no_grad(): a.t_()  -> shape (3, 2), _version 1, grad_fn None, is_leaf True, requires_grad True
        Tensor a = Tensor.zeros(2, 3).requiresGrad_();
        try (var g = GradMode.noGrad()) {
            a.t_();
        }
        assertThat(a.shape()).containsExactly(3, 2);
        assertThat(a.version()).isEqualTo(1);
        assertThat(a.gradFn()).isNull();
        assertThat(a.requiresGrad()).isTrue();
    }

    @Test
    void aNonLeafChangedUnderNoGradKeepsItsNodeWhoseGradientNoLongerFits() {
        // x = torch.ones(2, 3, requires_grad=True); a = x * 1
        // with torch.no_grad(): a.t_()
        // a.grad_fn -> MulBackward0; (a * torch.arange(6.).reshape(3, 2)).sum().backward() ->
        // RuntimeError: Function MulBackward0 returned an invalid gradient at index 0 - got [3, 2] but expected shape compatible with [2, 3]
        Tensor x = Tensor.ones(2, 3).requiresGrad_(), a = x.mul(1.0);
        try (var g = GradMode.noGrad()) {
            a.t_();
        }
        assertThat(a.gradFn().name()).isEqualTo("MulBackward0");
        assertThatThrownBy(() -> a.mul(Tensor.arange(0.0, 6.0).reshape(3, 2)).sum().backward())
                .hasMessage("Function MulBackward0 returned an invalid gradient at index 0 - got [3, 2] but expected shape compatible with [2, 3]");
    }

    @Test
    void aRetainedGradStaysWithTheOldNode() {
        // a = x * 1; a.retain_grad(); a.t_(); (a * torch.arange(6.).reshape(3, 2)).sum().backward()
        // a.grad -> tensor([[0., 2., 4.], [1., 3., 5.]])  (shape [2, 3]: set_history leaves the hook on MulBackward0)
        Tensor x = Tensor.ones(2, 3).requiresGrad_(), a = x.mul(1.0);
        a.retainGrad();
        a.t_();
        a.mul(Tensor.arange(0.0, 6.0).reshape(3, 2)).sum().backward();
        assertThat(a.grad().shape()).containsExactly(2, 3);
        assertThat(a.grad().toDoubleArray()).containsExactly(0, 2, 4, 1, 3, 5);
    }

    @Test
    void aSavedOutputsVersionErrorNamesItsShapeWhenSaved() {
        // a = torch.randn(2, requires_grad=True); y = a.exp(); y.unsqueeze_(1); y.sum().backward() -> RuntimeError: one of the variables
        // needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], which is output 0 of
        // ExpBackward0, is at version 1; expected version 0 instead. Hint: ...
        Tensor a = Tensor.randn(2).requiresGrad_(), y = a.exp();
        y.unsqueeze_(1);
        assertThatThrownBy(() -> y.sum().backward()).hasMessageStartingWith("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.FloatTensor [2]], which is output 0 of ExpBackward0, is at version 1; expected version 0 instead.");
    }

    @Test
    void aViewMadeUnderNoGradMayNotBeRestridedWithGradOn() {
        // x = torch.ones(2, 3, requires_grad=True); a = x * 1
        // with torch.no_grad(): n = a[0]
        // n.t_() -> RuntimeError: A view was created in no_grad mode and is being modified inplace with grad mode enabled. ...
        Tensor x = Tensor.ones(2, 3).requiresGrad_(), a = x.mul(1.0);
        Tensor n;
        try (var g = GradMode.noGrad()) {
            n = a.select(0, 0);
        }
        assertThatThrownBy(n::t_).hasMessageStartingWith("A view was created in no_grad mode and is being modified inplace with grad mode enabled.");
        assertThat(n.version()).isZero();
    }

    @Test
    void resizeGrowsTheSharedStorageForEveryView() {
        // x = torch.arange(6.); v = x[1:]; v.resize_(2, 4)
        // v.shape, v.stride(), v.storage_offset() -> (2, 4), (4, 1), 1; len(x.storage()) -> 9; x._version, v._version -> 0, 0
        // w = x.view(2, 3); x.resize_(2) -> x (2,), w still [[0, 1, 2], [3, 4, 5]], len(x.storage()) == 9
        Tensor x = Tensor.arange(0.0, 6.0), v = x.slice(0, 1, 6, 1);
        assertThat(v.resize_(2, 4)).isSameAs(v);
        assertThat(v.shape()).containsExactly(2, 4);
        assertThat(v.strides()).containsExactly(4, 1);
        assertThat(v.storageOffset()).isEqualTo(1);
        assertThat(x.storage().size()).isEqualTo(9);
        assertThat(x.version()).isZero();
        assertThat(v.view(-1).slice(0, 0, 5, 1).toDoubleArray()).containsExactly(1, 2, 3, 4, 5);
        Tensor w = x.view(2, 3);
        x.resize_(2);
        assertThat(x.shape()).containsExactly(2);
        assertThat(w.toDoubleArray()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(x.storage().size()).isEqualTo(9);
    }

    @Test
    void aCallersArrayCannotGrowButMayShrink() {
        // a = torch.from_numpy(np.zeros(3, dtype=np.float32)); a.resize_(5) -> RuntimeError: Trying to resize storage that is not resizable
        // a.resize_(2) -> shape (2,)
        float[] data = new float[3];
        assertThatThrownBy(() -> Tensor.fromArray(data, 3).resize_(5)).hasMessage("Trying to resize storage that is not resizable");
        Tensor a = Tensor.fromArray(data, 3).resize_(2);
        assertThat(a.shape()).containsExactly(2);
        a.fill_(7.0);
        assertThat(data).containsExactly(7, 7, 0);
    }

    @Test
    void resultsThatOpsBuildInJavaArraysGrowLikeAnyOther() {
        // PyTorch 1.13: each result grows and keeps its elements, e.g. torch.bincount(torch.tensor([0, 1, 1, 3])).resize_(10)[:4] -> [1, 2, 0, 1]
        Tensor ints = Tensor.fromArray(new long[] {0, 1, 1, 3}, 4), floats = Tensor.fromArray(new float[] {0, 1, 1, 3}, 4);
        assertThat(ints.bincount(null, 0).resize_(10).narrow(0, 0, 4).toDoubleArray()).containsExactly(1, 2, 0, 1);
        assertThat(ints.bincount(floats, 0).resize_(10).narrow(0, 0, 4).toDoubleArray()).containsExactly(0, 2, 0, 3);
        assertThat(floats.histc(4, 0, 3).resize_(10).narrow(0, 0, 4).toDoubleArray()).containsExactly(1, 2, 0, 1);
        assertThat(floats.nonzero().resize_(10).narrow(0, 0, 3).toDoubleArray()).containsExactly(1, 2, 3);
        assertThat(floats.nonzeroTuple().get(0).resize_(10).narrow(0, 0, 3).toDoubleArray()).containsExactly(1, 2, 3);
        assertThat(Tensor.randperm(new Generator(1), 4).resize_(10).narrow(0, 0, 4).sort(0, false).values().toDoubleArray()).containsExactly(0, 1, 2, 3);
        assertThat(ints.repeatInterleave(2L, null).resize_(12).narrow(0, 0, 8).toDoubleArray()).containsExactly(0, 0, 1, 1, 1, 1, 3, 3);
        assertThat(ints.searchsorted(Tensor.fromArray(new long[] {1, 2}, 2), false, false).resize_(5).narrow(0, 0, 2).toDoubleArray()).containsExactly(1, 3);
        var u = floats.unique(true, true, true);
        assertThat(u.inverseIndices().resize_(8).narrow(0, 0, 4).toDoubleArray()).containsExactly(0, 1, 1, 2);
        assertThat(u.counts().resize_(8).narrow(0, 0, 3).toDoubleArray()).containsExactly(1, 2, 1);
    }

    @Test
    void resizeRefusesATensorThatRequiresGradEvenUnderNoGrad() {
        // with torch.no_grad(): torch.zeros(2, 3, requires_grad=True).resize_(3, 2) -> RuntimeError: cannot resize variables that require grad
        Tensor a = Tensor.zeros(2, 3).requiresGrad_();
        try (var g = GradMode.noGrad()) {
            assertThatThrownBy(() -> a.resize_(3, 2)).hasMessage("cannot resize variables that require grad");
        }
    }
}
