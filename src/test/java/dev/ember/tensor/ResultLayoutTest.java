package dev.ember.tensor;

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
 * The strides of new results: elementwise ops follow their inputs' memory order (TensorIterator), clone and the
 * *_like factories keep it (preserve_format), everything else is row-major; a leaf's .grad obeys the gradient
 * layout contract. Every expected stride is what PyTorch 1.13 prints for the same program.
 */
class ResultLayoutTest {
    /**
     * Layouts and dtype checks the program fuzzer found on strided, broadcast, zero-size and mixed-dtype inputs,
     * recorded by PyTorch (tools/fixtures/fx_result_layouts.py): values, gradients, errors and the result's strides.
     */
    @TestFactory
    Stream<DynamicTest> recordedByPyTorch() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("index", checkingLayout((x, k) -> x[0].index(IndexingTest.items(k.s("expr"), x)))),
                entry("div_mode", checkingLayout((x, k) -> x[0].div(x[1], k.s("mode")))),
                entry("rpow", checkingLayout((x, k) -> k.isInt("base") ? Tensor.pow(k.l("base"), x[0]) : Tensor.pow(k.d("base"), x[0]))),
                entry("sub", checkingLayout((x, k) -> x[0].sub(x[1]))),
                entry("mul", checkingLayout((x, k) -> x[0].mul(x[1]))),
                entry("where", checkingLayout((x, k) -> Tensor.where(x[0], x[1], x[2]))),
                entry("rsqrt", checkingLayout((x, k) -> x[0].rsqrt())),
                entry("pow_s", checkingLayout((x, k) -> k.isInt("e") ? x[0].pow(k.l("e")) : x[0].pow(k.d("e")))),
                entry("clamp", checkingLayout((x, k) -> k.isInt("lo") ? x[0].clamp(k.l("lo"), k.l("hi")) : x[0].clamp(k.d("lo"), k.d("hi")))),
                entry("clamp_t", checkingLayout((x, k) -> x[0].clamp(x[1], x[2]))),
                entry("add_alpha", checkingLayout((x, k) -> k.isInt("alpha") ? x[0].add(x[1], k.l("alpha")) : x[0].add(x[1], k.d("alpha")))),
                entry("isinf", checkingLayout((x, k) -> x[0].isinf())),
                entry("isfinite", checkingLayout((x, k) -> x[0].isfinite())),
                entry("isnan", checkingLayout((x, k) -> x[0].isnan())),
                entry("mean", checkingLayout((x, k) -> x[0].mean(new int[] {k.i("dim")}, k.b("keepdim")))),
                entry("round", checkingLayout((x, k) -> x[0].round())),
                entry("floor", checkingLayout((x, k) -> x[0].floor())),
                entry("ceil", checkingLayout((x, k) -> x[0].ceil())),
                entry("trunc", checkingLayout((x, k) -> x[0].trunc())),
                entry("addmm", checkingLayout((x, k) -> k.isInt("beta") ? Tensor.addmm(x[0], x[1], x[2], k.l("beta"), k.d("alpha")) : Tensor.addmm(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("addmv", checkingLayout((x, k) -> Tensor.addmv(x[0], x[1], x[2], 1, 1))),
                entry("baddbmm", checkingLayout((x, k) -> Tensor.baddbmm(x[0], x[1], x[2]))),
                entry("addbmm", checkingLayout((x, k) -> Tensor.addbmm(x[0], x[1], x[2], 1, 1))),
                entry("mm", checkingLayout((x, k) -> x[0].mm(x[1]))),
                entry("mv", checkingLayout((x, k) -> x[0].mv(x[1]))),
                entry("bmm", checkingLayout((x, k) -> x[0].bmm(x[1]))),
                entry("matmul", checkingLayout((x, k) -> x[0].matmul(x[1]))),
                entry("expand", checkingLayout((x, k) -> x[0].expand(k.ints("shape")))),
                entry("pow", checkingLayout((x, k) -> x[0].pow(x[1]))),
                entry("round_decimals", checkingLayout((x, k) -> x[0].round(k.i("decimals")))),
                entry("floor_divide", checkingLayout((x, k) -> x[0].floorDivide(x[1]))),
                entry("floor_divide_s", checkingLayout((x, k) -> x[0].floorDivide(k.l("s")))),
                entry("roll", checkingLayout((x, k) -> x[0].roll(k.i("shifts"), k.i("dim")))),
                entry("cat", checkingLayout((x, k) -> Tensor.cat(java.util.List.of(x), k.i("d")))),
                entry("split_with_sizes", (x, k) -> x[0].splitWithSizes(k.ints("sizes"), k.i("dim"))),
                entry("lerp", checkingLayout((x, k) -> x[0].lerp(x[1], k.d("weight")))),
                entry("addcmul", checkingLayout((x, k) -> x[0].addcmul(x[1], x[2], k.d("value")))),
                entry("addcdiv", checkingLayout((x, k) -> x[0].addcdiv(x[1], x[2], k.d("value")))),
                entry("nextafter", checkingLayout((x, k) -> x[0].nextafter(x[1]))),
                entry("addcdiv_expanded_", (x, k) -> x[0].expand(2, 3).addcdiv_(x[1], x[2], k.d("value"))),
                entry("pow_s_", (x, k) -> x[0].clone().pow_(k.l("e"))),
                entry("cumsum_dt", checkingLayout((x, k) -> x[0].cumsum(k.i("dim"), ProgramSteps.dtype(k.s("dtype"))))),
                entry("cumprod_dt", checkingLayout((x, k) -> x[0].cumprod(k.i("dim"), ProgramSteps.dtype(k.s("dtype"))))),
                entry("add_out", (x, k) -> x[2].addOut(x[0], x[1])),
                entry("matmul_out", (x, k) -> x[2].matmulOut(x[0], x[1])),
                entry("index_add_", (x, k) -> x[0].indexAdd_(k.i("dim"), x[1], x[2])));
        return OpCases.run("result_layouts", ops);
    }

    /** x = torch.arange(12.).view(3, 4); t = x.t() */
    private static Tensor x() { return Tensor.arange(0.0, 12.0).view(3, 4); }

    private static Tensor t() { return x().t(); }

    /** z = torch.arange(24.).view(2, 3, 4).permute(2, 0, 1) */
    private static Tensor z() { return Tensor.arange(0.0, 24.0).view(2, 3, 4).permute(2, 0, 1); }

    @Test
    void elementwiseResultsFollowTheirInputsMemoryOrder() {
        Tensor y = Tensor.arange(0.0, 12.0).view(4, 3);
        assertThat(t().add(1.0).strides()).containsExactly(1, 4);
        assertThat(t().exp().strides()).containsExactly(1, 4);
        assertThat(t().mul(y).strides()).containsExactly(1, 4);        // the first input decides
        assertThat(y.mul(t()).strides()).containsExactly(3, 1);
        assertThat(t().add(Tensor.arange(0.0, 3.0)).strides()).containsExactly(1, 4);
        assertThat(Tensor.arange(0.0, 4.0).view(4, 1).add(t()).strides()).containsExactly(1, 4); // a broadcast dim has no say
        assertThat(Tensor.arange(0.0, 3.0).add(Tensor.arange(0.0, 4.0).view(4, 1)).strides()).containsExactly(3, 1);
        assertThat(z().add(1.0).strides()).containsExactly(1, 12, 4);
        assertThat(z().sigmoid().strides()).containsExactly(1, 12, 4);
        assertThat(z().mul(z().contiguous()).strides()).containsExactly(1, 12, 4);
        assertThat(t().where(t().gt(5.0), t().neg()).strides()).containsExactly(1, 4);
        assertThat(t().clamp(0.0, 1.0).strides()).containsExactly(1, 4);
        assertThat(t().eq(3.0).strides()).containsExactly(1, 4);
        assertThat(Tensor.arange(12).view(3, 4).t().mul(2L).strides()).containsExactly(1, 4);
        assertThat(t().narrow(0, 1, 2).add(1.0).strides()).containsExactly(1, 2);
        assertThat(z().index(Idx.slice(null, null, 2)).add(1.0).strides()).containsExactly(1, 6, 2);
        assertThat(x().index("1:").mul(2.0).strides()).containsExactly(4, 1);
        assertThat(x().index(":, ::2").add(1.0).strides()).containsExactly(2, 1);
        assertThat(Tensor.arange(0.0, 6.0).view(1, 2, 3).expand(4, 2, 3).add(1.0).strides()).containsExactly(6, 3, 1);
        assertThat(Tensor.zeros(0, 3).t().add(1.0).strides()).containsExactly(1, 3);
    }

    @Test
    void aResultInAnotherMemoryOrderHoldsTheSameValues() {
        assertThat(z().add(1.0).toString()).isEqualTo(z().contiguous().add(1.0).toString());
        assertThat(z().mul(z().contiguous()).sub(z()).toString()).isEqualTo(z().contiguous().mul(z()).sub(z().contiguous()).toString());
        assertThat(t().exp().tolist()).isEqualTo(t().contiguous().exp().tolist());
        assertThat(t().to(DType.FLOAT64).tolist()).isEqualTo(t().contiguous().to(DType.FLOAT64).tolist());
    }

    @Test
    void aTransposedResultIsNotContiguousSoViewRefusesIt() {
        Tensor r = t().add(1.0);
        assertThat(r.isContiguous()).isFalse();
        assertThatThrownBy(() -> r.view(-1)).hasMessage("view size is not compatible with input tensor's size and stride (at least one dimension spans "
                + "across two contiguous subspaces). Use .reshape(...) instead.");
        assertThat(r.reshape(-1).tolist()).isEqualTo(t().contiguous().add(1.0).reshape(-1).tolist());
    }

    @Test
    void cloneCastAndTheLikeFactoriesKeepTheMemoryOrder() {
        assertThat(t().clone().strides()).containsExactly(1, 4);
        assertThat(t().index(":, ::2").clone().strides()).containsExactly(1, 4);  // not dense: dense in the same order
        assertThat(t().unsqueeze(0).clone().strides()).containsExactly(4, 1, 4);  // dense: the very strides
        assertThat(Tensor.zeros(0, 3).t().clone().strides()).containsExactly(1, 3);
        assertThat(t().to(DType.FLOAT64).strides()).containsExactly(1, 4);
        assertThat(Tensor.zerosLike(t()).strides()).containsExactly(1, 4);
        assertThat(Tensor.onesLike(z()).strides()).containsExactly(1, 12, 4);
        assertThat(Tensor.fullLike(t(), 2.0).strides()).containsExactly(1, 4);
        assertThat(Tensor.randnLike(t()).strides()).containsExactly(1, 4);
        assertThat(Tensor.onesLike(t()).tolist()).isEqualTo(Tensor.ones(4, 3).tolist());
    }

    @Test
    void sortFlipAndIntegerRoundingKeepTheMemoryOrder() {
        Tensor stepped = t().index(":, ::2");
        assertThat(stepped.sort(1, false).values().strides()).containsExactly(1, 4);
        assertThat(stepped.sort(1, false).indices().strides()).containsExactly(1, 4);
        assertThat(t().unsqueeze(0).sort(2, false).values().strides()).containsExactly(4, 1, 4);
        assertThat(stepped.argsort(1, false).strides()).containsExactly(1, 4);
        assertThat(t().sort(0, false).values().tolist()).isEqualTo(t().contiguous().sort(0, false).values().tolist());
        assertThat(stepped.flip(0).strides()).containsExactly(1, 4);
        assertThat(t().unsqueeze(0).flip(0).strides()).containsExactly(4, 1, 4);
        assertThat(t().flip(1).tolist()).isEqualTo(t().contiguous().flip(1).tolist());
        Tensor ti = Tensor.arange(12).view(3, 4).t();
        assertThat(ti.round().strides()).containsExactly(1, 4);
        assertThat(ti.unsqueeze(0).floor().strides()).containsExactly(4, 1, 4);
        assertThat(t().unsqueeze(0).floor().strides()).containsExactly(4, 1, 4);
    }

    @Test
    void contiguousReductionsSoftmaxAndCatAreRowMajor() {
        assertThat(t().contiguous().strides()).containsExactly(3, 1);
        assertThat(t().softmax(1).strides()).containsExactly(3, 1);
        assertThat(t().sum(1).strides()).containsExactly(1);
        assertThat(Tensor.cat(java.util.List.of(t(), t()), 0).strides()).containsExactly(3, 1);
        Tensor leaf = t().detach().requiresGrad_();
        assertThat(leaf.contiguous().gradFn().name()).isEqualTo("CloneBackward0");
        assertThat(leaf.clone().gradFn().name()).isEqualTo("CloneBackward0");
    }

    @Test
    void aLeafsGradFollowsTheGradientLayoutContract() {
        // l = torch.randn(4, 3).t().detach().requires_grad_(); (l * 2).sum().backward(); l.grad.stride() -> (1, 3)
        Tensor l = Tensor.arange(0.0, 12.0).view(4, 3).t().detach().requiresGrad_();
        l.mul(2.0).sum().backward();
        assertThat(l.grad().strides()).containsExactly(1, 3);
        l.sum().backward(); // accumulation keeps it
        assertThat(l.grad().strides()).containsExactly(1, 3);
        assertThat(l.grad().tolist()).isEqualTo(Tensor.full(new int[] {3, 4}, 3.0, DType.FLOAT32).tolist());
        // a leaf that is not dense gets a row-major .grad
        Tensor s = Tensor.arange(0.0, 24.0).view(4, 6).index(":, ::2").detach().requiresGrad_();
        s.mul(2.0).sum().backward();
        assertThat(s.grad().strides()).containsExactly(3, 1);
        Tensor e = Tensor.arange(0.0, 3.0).view(3, 1).expand(3, 4).detach().requiresGrad_();
        e.mul(2.0).sum().backward();
        assertThat(e.grad().strides()).containsExactly(4, 1);
        Tensor u = Tensor.arange(0.0, 12.0).view(4, 3).t().unsqueeze(1).detach().requiresGrad_();
        u.mul(2.0).sum().backward();
        assertThat(u.grad().strides()).containsExactly(1, 12, 3);
    }

    @Test
    void theFirstGradOfAGraphBuildingBackwardIsACopy() {
        // x = torch.randn(3, requires_grad=True); (x ** 2).sum().backward(create_graph=True); x.grad.grad_fn -> CopyBackwards
        Tensor x = Tensor.of(1, 2, 3).requiresGrad_();
        x.pow(2.0).sum().backward(null, false, true);
        assertThat(x.grad().gradFn().name()).isEqualTo("torch::autograd::CopyBackwards");
        assertThat(x.grad().requiresGrad()).isTrue();
        assertThat(x.grad().tolist()).isEqualTo(java.util.List.of(2.0, 4.0, 6.0));
    }

    @Test
    void emptyStridedTakesAnyNonNegativeStrides() {
        Tensor a = Tensor.emptyStrided(new int[] {2, 3}, new int[] {1, 2}, DType.FLOAT32);
        assertThat(a.strides()).containsExactly(1, 2);
        assertThat(a.storage().size()).isEqualTo(6);
        assertThat(Tensor.emptyStrided(new int[] {2, 2}, new int[] {0, 0}, DType.FLOAT32).storage().size()).isEqualTo(1);
        assertThat(Tensor.zeros(2, 3).newEmptyStrided(new int[] {3, 2}, new int[] {1, 3}).strides()).containsExactly(1, 3);
        assertThatThrownBy(() -> Tensor.emptyStrided(new int[] {2, 3}, new int[] {3}, DType.FLOAT32))
                .hasMessage("dimensionality of sizes (2) must match dimensionality of strides (1)");
        assertThatThrownBy(() -> Tensor.emptyStrided(new int[] {2, -1}, new int[] {1, 1}, DType.FLOAT32))
                .hasMessage("Trying to create tensor with negative dimension -1: [2, -1]");
        assertThatThrownBy(() -> Tensor.emptyStrided(new int[] {2, 3}, new int[] {-1, 1}, DType.FLOAT32))
                .hasMessage("Storage size calculation overflowed with sizes=[2, 3] and strides=[-1, 1]");
    }

    @Test
    void expandAndEmptySlicesGiveTheStridesAndOffsetsPyTorchShows() {
        Tensor x = Tensor.arange(0.0, 6.0).view(2, 3);
        // x.expand(1, 1, 2, 3).stride() -> (6, 6, 3, 1): a new size-1 dim strides over what lies to its right
        assertThat(x.expand(1, 1, 2, 3).strides()).containsExactly(6, 6, 3, 1);
        // torch.arange(3.).view(3, 1).expand(1, 3, 5).stride() -> (3, 1, 0); torch.tensor(1.).expand(1, 1).stride() -> (0, 0)
        assertThat(Tensor.arange(0.0, 3.0).view(3, 1).expand(1, 3, 5).strides()).containsExactly(3, 1, 0);
        assertThat(Tensor.full(new int[0], 1.0).expand(1, 1).strides()).containsExactly(0, 0);
        // x.narrow(1, 3, 0).storage_offset() -> 3; x[:, 5:1].storage_offset() -> 3; x[1:, 2:][:, :0].storage_offset() -> 5
        assertThat(x.narrow(1, 3, 0).storageOffset()).isEqualTo(3);
        assertThat(x.index(":, 5:1").storageOffset()).isEqualTo(3);
        assertThat(x.index("1:, 2:").index(":, :0").storageOffset()).isEqualTo(5);
        // x[:, :0].view(2, 0).stride() -> (3, 1): an empty tensor viewed as its own shape keeps its strides
        assertThat(x.index(":, :0").view(2, 0).strides()).containsExactly(3, 1);
        assertThat(x.index(":, :0").view(0, 2).strides()).containsExactly(2, 1);
    }

    @Test
    void unaryOpsTakeTensorIteratorsFastPathsThatBinaryOpsWithANumberDoNot() {
        // y = torch.arange(12.).as_strided([1, 4, 3, 1], [1, 1, 4, 1]): channels-last once size-1 dims are ignored
        Tensor y = Tensor.arange(0.0, 12.0).asStrided(new int[] {1, 4, 3, 1}, new int[] {1, 1, 4, 1}, 0);
        assertThat(y.exp().strides()).containsExactly(12, 1, 4, 4);          // y.exp().stride()
        assertThat(y.clamp(0.0, 1.0).strides()).containsExactly(12, 1, 4, 4); // y.clamp(0, 1).stride()
        assertThat(y.add(1.0).strides()).containsExactly(1, 1, 4, 1);         // (y + 1).stride(): the number is an operand
        // w = torch.arange(12.).as_strided([3, 1, 4], [4, 12, 1]): contiguous once its size-1 dim is ignored
        Tensor w = Tensor.arange(0.0, 12.0).asStrided(new int[] {3, 1, 4}, new int[] {4, 12, 1}, 0);
        assertThat(w.clamp(0.0, 1.0).strides()).containsExactly(4, 4, 1);    // w.clamp(0., 1.).stride()
        assertThat(w.clamp(0L, 1L).strides()).containsExactly(4, 4, 1);
        assertThat(w.pow(2L).strides()).containsExactly(4, 4, 1);            // (w ** 2).stride()
        assertThat(w.add(2.0).strides()).containsExactly(4, 12, 1);          // (w + 2).stride()
    }

    @Test
    void aLeafsGradKeepsTheIncomingGradientsStridesOnSize1Dims() {
        // a = torch.zeros(2, 1, requires_grad=True); (a.t() * 2).sum().backward(); a.grad.stride() -> (1, 2)
        Tensor a = Tensor.zeros(2, 1).requiresGrad_();
        a.t().mul(2.0).sum().backward();
        assertThat(a.grad().strides()).containsExactly(1, 2);
        // a = torch.zeros(2, 1, requires_grad=True); (a * 2).sum().backward(); a.grad.stride() -> (1, 1)
        Tensor b = Tensor.zeros(2, 1).requiresGrad_();
        b.mul(2.0).sum().backward();
        assertThat(b.grad().strides()).containsExactly(1, 1);
    }
}
