package dev.ember.tensor;

import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * put, masked_scatter, the view scatters, narrow_copy, cdist, matrix_power, multi_dot/chain_matmul and linalg
 * det/slogdet/logdet/inv/solve against PyTorch fixtures (tools/fixtures/fx_more_indexing.py, with float64
 * finite-difference checks of every differentiable case), and their grad_fn names, strides and in-place rules.
 */
class MoreIndexingTest {

    @TestFactory
    Stream<DynamicTest> moreIndexing() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("put", (x, k) -> x[0].put(x[1], x[2], k.b("accumulate"))),
                entry("put_", (x, k) -> x[0].clone().put_(x[1], x[2], k.b("accumulate"))),
                entry("masked_scatter", (x, k) -> x[0].maskedScatter(x[1], x[2])),
                entry("masked_scatter_", (x, k) -> x[0].clone().maskedScatter_(x[1], x[2])),
                entry("masked_scatter_view_", (x, k) -> x[0].maskedScatter_(x[1], x[2])),
                entry("select_scatter", (x, k) -> x[0].selectScatter(x[1], k.i("dim"), k.i("index"))),
                entry("slice_scatter", (x, k) -> x[0].sliceScatter(x[1], k.i("dim"), k.has("start") ? k.i("start") : null, k.has("end") ? k.i("end") : null, k.i("step"))),
                entry("diagonal_scatter", (x, k) -> x[0].diagonalScatter(x[1], k.i("offset"), k.i("dim1"), k.i("dim2"))),
                entry("narrow_copy", (x, k) -> x[0].narrowCopy(k.i("dim"), k.i("start"), k.i("length"))),
                entry("cdist", (x, k) -> Tensor.cdist(x[0], x[1], p(k))),
                entry("cdist_mode", (x, k) -> Tensor.cdist(x[0], x[1], p(k), k.s("mode"))),
                entry("cdist_p1_of_cdist", (x, k) -> Tensor.cdist(Tensor.cdist(x[0], x[1], 1.5), x[2], 1.0)),
                entry("cdist_mul_grad", (x, k) -> Arrays.asList(dev.ember.autograd.Autograd.grad(
                        new Tensor[] {Tensor.cdist(x[0], x[1], p(k)).mul_(2.0).sum()}, new Tensor[] {x[0]}, null, false, false))),
                entry("matrix_power", (x, k) -> x[0].matrixPower(k.i("n"))),
                entry("multi_dot", (x, k) -> Tensor.multiDot(Arrays.asList(x))),
                entry("chain_matmul", (x, k) -> Tensor.chainMatmul(x)),
                entry("det", (x, k) -> x[0].det()),
                entry("slogdet", (x, k) -> List.of(x[0].slogdet().sign(), x[0].slogdet().logabsdet())),
                entry("logdet", (x, k) -> x[0].logdet()),
                entry("inv", (x, k) -> x[0].inverse()),
                entry("solve", (x, k) -> x[0].solve(x[1])),
                entry("solve_grad", (x, k) -> Arrays.asList(dev.ember.autograd.Autograd.grad(new Tensor[] {x[0].solve(x[1]).sum()}, new Tensor[] {x[0], x[1]}, null, false, false))));
        return OpCases.run("more_indexing", ops);
    }

    /** cdist's p; infinity comes as the string "inf". */
    private static double p(dev.ember.testing.Kw k) { return k.s("p").equals("inf") ? Double.POSITIVE_INFINITY : k.d("p"); }

    @Test
    void gradFnNamesAndStrides() {
        Tensor x = Tensor.randn(3, 4).to(DType.FLOAT64).requiresGrad_();
        Tensor sq = Tensor.randn(3, 3).to(DType.FLOAT64).add(Tensor.eye(3, 3, DType.FLOAT64).mul(3.0)).requiresGrad_();
        Tensor idx = Tensor.tensor(new long[] {0, 5});
        assertThat(x.put(idx, Tensor.zeros(new int[] {2}, DType.FLOAT64)).gradFn().typeName()).isEqualTo("PutBackward0");
        assertThat(x.maskedScatter(Tensor.tensor(new boolean[] {true, false, true, false}), Tensor.zeros(new int[] {12}, DType.FLOAT64)).gradFn().typeName())
                .isEqualTo("MaskedScatterBackward0");
        assertThat(x.selectScatter(Tensor.zeros(new int[] {4}, DType.FLOAT64), 0, 1).gradFn().typeName()).isEqualTo("SelectScatterBackward0");
        assertThat(x.sliceScatter(Tensor.zeros(new int[] {3, 2}, DType.FLOAT64), 1, 0, 4, 2).gradFn().typeName()).isEqualTo("SliceScatterBackward0");
        assertThat(x.diagonalScatter(Tensor.zeros(new int[] {3}, DType.FLOAT64), 1).gradFn().typeName()).isEqualTo("DiagonalScatterBackward0");
        assertThat(x.narrowCopy(1, 1, 2).gradFn().typeName()).isEqualTo("NotImplemented");
        assertThat(Tensor.cdist(x, x).gradFn().typeName()).isEqualTo("CdistBackward0");
        assertThat(Tensor.cdist(x, x, 2, "use_mm_for_euclid_dist").gradFn().typeName()).isEqualTo("ViewBackward0");
        assertThat(sq.matrixPower(0).gradFn().typeName()).isEqualTo("CopyBackwards");
        assertThat(sq.matrixPower(1).gradFn().typeName()).isEqualTo("CloneBackward0");
        assertThat(sq.matrixPower(2).gradFn().typeName()).isEqualTo("MmBackward0");
        assertThat(sq.matrixPower(-1).gradFn().typeName()).isEqualTo("LinalgInvExBackward0");
        assertThat(Tensor.multiDot(List.of(x, x.t(), x)).gradFn().typeName()).isEqualTo("ViewBackward0");
        assertThat(sq.det().gradFn().typeName()).isEqualTo("LinalgDetBackward0");
        assertThat(sq.slogdet().logabsdet().gradFn().typeName()).isEqualTo("LinalgSlogdetBackward0");
        assertThat(sq.logdet().gradFn().typeName()).isEqualTo("WhereBackward0");
        Tensor inv = sq.inverse();
        assertThat(inv.gradFn().typeName()).isEqualTo("LinalgInvExBackward0");
        assertThat(inv.strides()).containsExactly(1, 3);
        Tensor batch = sq.unsqueeze(0).expand(2, 3, 3);
        assertThat(batch.inverse().strides()).containsExactly(9, 1, 3);
        Tensor solved = batch.solve(Tensor.ones(new int[] {3}, DType.FLOAT64));
        assertThat(solved.gradFn().typeName()).isEqualTo("LinalgSolveExBackward0");
        assertThat(solved.strides()).containsExactly(1, 2);
        assertThat(batch.solve(Tensor.ones(new int[] {3, 2}, DType.FLOAT64)).strides()).containsExactly(6, 1, 3);
    }

    @Test
    void inPlaceFormsFollowTheInPlaceRules() {
        Tensor leaf = Tensor.zeros(new int[] {4}, DType.FLOAT64).requiresGrad_();
        assertThatThrownBy(() -> leaf.put_(Tensor.tensor(new long[] {1}), Tensor.ones(new int[] {1}, DType.FLOAT64)))
                .hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        assertThatThrownBy(() -> leaf.maskedScatter_(Tensor.tensor(new boolean[] {true, false, false, false}), Tensor.ones(new int[] {1}, DType.FLOAT64)))
                .hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        Tensor t = Tensor.zeros(new int[] {4}, DType.FLOAT64);
        int before = t.version();
        t.put_(Tensor.tensor(new long[] {1, -1}), Tensor.ones(new int[] {2}, DType.FLOAT64), true);
        t.maskedScatter_(Tensor.tensor(new boolean[] {true, false, false, false}), Tensor.full(new int[] {1}, 5.0, DType.FLOAT64));
        assertThat(t.version()).isEqualTo(before + 2);
        assertThat(t.toDoubleArray()).containsExactly(5, 1, 0, 1);
        // through a non-leaf the gradient flows as PyTorch's PutBackward0 sends it
        Tensor src = Tensor.ones(new int[] {2}, DType.FLOAT64).requiresGrad_();
        Tensor y = leaf.mul(2.0);
        y.put_(Tensor.tensor(new long[] {0, 0}), src, false);
        assertThat(y.gradFn().typeName()).isEqualTo("PutBackward0");
        y.sum().backward();
        assertThat(leaf.grad().toDoubleArray()).containsExactly(0, 2, 2, 2);
        assertThat(src.grad().toDoubleArray()).containsExactly(1, 1);
    }

    @Test
    void putAndSlogdetSaveWhatPyTorchSaves() {
        // x.put(idx, s); s.add_(1) fails backward in PyTorch 1.13, as does writing to slogdet's sign
        Tensor x = Tensor.zeros(new int[] {4}).requiresGrad_(), s0 = Tensor.ones(new int[] {2}).requiresGrad_();
        Tensor s = s0.mul(1.0);
        Tensor y = x.put(Tensor.tensor(new long[] {0, 1}), s);
        s.add_(1.0);
        assertThatThrownBy(() -> y.sum().backward()).hasMessageStartingWith("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.FloatTensor [2]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead.");
        Tensor a = Tensor.eye(2, 2, DType.FLOAT32).mul(2.0).requiresGrad_();
        Tensor.SignLogAbsDet r = a.slogdet();
        r.sign().mul_(1.0);
        assertThatThrownBy(() -> r.logabsdet().backward()).hasMessageStartingWith("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.FloatTensor []], which is output 0 of LinalgSlogdetBackward0, is at version 1; expected version 0 instead.");
    }

    @Test
    void narrowCopyHasNoDerivative() {
        Tensor x = Tensor.randn(3, 4).requiresGrad_();
        assertThatThrownBy(() -> x.narrowCopy(1, 1, 2).sum().backward()).hasMessage("derivative for aten::narrow_copy is not implemented");
    }
}
