package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import org.junit.jupiter.api.Test;

import static dev.ember.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The index-string grammar, views versus copies, grad_fn names, and in-place index assignment on views with
 * autograd. Expected values come from PyTorch 1.13; the snippet that produced them is quoted above each check.
 */
class SubscriptTest {

    private static Tensor f(double[] v, int... shape) { return Tensor.fromArray(v, shape).to(DType.FLOAT32); }

    private static Tensor longs(long... v) { return Tensor.fromArray(v, v.length); }

    private static Tensor arange(int rows, int cols) { return Tensor.arange(0.0, rows * cols, 1.0).reshape(rows, cols); }

    /** torch.arange(12.).reshape(3, 4) - 5 */
    private static Tensor weights() { return arange(3, 4).sub(5.0); }

    @Test
    void parsesPythonIndexSyntax() {
        Object[] items = Idx.parse(" :, 1::2, None, ..., -1 ");
        assertThat(items).containsExactly(Idx.all(), Idx.slice(1, null, 2), Idx.none(), Idx.ellipsis(), -1L);
        assertThat(Idx.parse("3:, :-1, ::3, 0:2:1,")).containsExactly(Idx.slice(3, null), Idx.slice(null, -1), Idx.slice(null, null, 3), Idx.slice(0, 2, 1));
        assertThat(Idx.parse("")).isEmpty();
        Object[] lists = Idx.parse("[0, -2], [True, False], True, []");
        assertThat(((Tensor) lists[0]).dtype()).isEqualTo(DType.INT64);
        assertThat(((Tensor) lists[0]).toLongArray()).containsExactly(0, -2);
        assertThat(((Tensor) lists[1]).toBoolArray()).containsExactly(true, false);
        assertThat(lists[2]).isEqualTo(Boolean.TRUE);
        assertThat(((Tensor) lists[3]).shape()).containsExactly(0);
        assertThat(Idx.slice(1, null, 2)).hasToString("1::2");
    }

    @Test
    void rejectsMalformedIndexStrings() {
        assertThatThrownBy(() -> Idx.parse("1:2:3:4")).hasMessage("invalid index \"1:2:3:4\" at column 6: expected ','");
        assertThatThrownBy(() -> Idx.parse("[[0]]")).hasMessage("invalid index \"[[0]]\" at column 2: nested lists are not supported");
        assertThatThrownBy(() -> Idx.parse("[1, True]")).hasMessage("invalid index \"[1, True]\" at column 9: a list mixes integers and bools");
        assertThatThrownBy(() -> Idx.parse("x")).hasMessage("invalid index \"x\" at column 1: expected an index");
        assertThatThrownBy(() -> Idx.parse("1,,2")).hasMessage("invalid index \"1,,2\" at column 3: expected an index");
        assertThatThrownBy(() -> Idx.parse("99999999999999999999")).hasMessage("invalid index \"99999999999999999999\" at column 21: integer out of range");
        assertThatThrownBy(() -> arange(3, 4).index(1.5)).hasMessage("only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got Double)");
    }

    @Test
    void stringAndObjectFormsAgree() {
        Tensor x = Tensor.arange(0.0, 24, 1).reshape(2, 3, 4);
        assertClose(x.index("1, ::2, None, -1"), x.index(1, Idx.slice(null, null, 2), Idx.none(), -1));
        assertClose(x.index(":, [0, 2], 1:"), x.index(Idx.all(), longs(0, 2), Idx.slice(1, null)));
        assertClose(x.index("...", longs(1)), x.index(Idx.ellipsis(), longs(1)));
    }

    @Test
    void basicIndexingViewsAdvancedIndexingCopies() {
        Tensor x = arange(3, 4);
        Tensor row = x.index("1, 1:");
        assertThat(row.storage()).isSameAs(x.storage());
        assertThat(row.isView()).isTrue();
        row.fill_(-1);
        assertThat(x.index(1).toDoubleArray()).containsExactly(4, -1, -1, -1);
        Tensor picked = x.index(longs(1));
        assertThat(picked.storage()).isNotSameAs(x.storage());
        assertThat(picked.isView()).isFalse();
    }

    @Test
    void gradFnNamesMatchPyTorch() {
        Tensor x = arange(3, 4).requiresGrad_();
        Tensor idx = longs(2, 0);
        assertThat(x.index(":").gradFn().name()).isEqualTo("SliceBackward0");
        assertThat(x.index("0:3").gradFn().name()).isEqualTo("SliceBackward0");
        assertThat(x.index("0:3, 0:4").gradFn().name()).isEqualTo("AliasBackward0");
        assertThat(x.index("...").gradFn().name()).isEqualTo("AliasBackward0");
        assertThat(x.index(1).gradFn().name()).isEqualTo("SelectBackward0");
        assertThat(x.index(Idx.none()).gradFn().name()).isEqualTo("UnsqueezeBackward0");
        assertThat(x.index(idx).gradFn().name()).isEqualTo("IndexBackward0");
        assertThat(x.index(true).gradFn().name()).isEqualTo("IndexBackward0");
        assertThat(x.gather(1, Tensor.fromArray(new long[] {0, 1, 1}, 3, 1)).gradFn().name()).isEqualTo("GatherBackward0");
        Tensor i2 = Tensor.fromArray(new long[] {0, 1}, 1, 2);
        assertThat(x.scatter(1, i2, Tensor.ones(1, 2)).gradFn().name()).isEqualTo("ScatterBackward0");
        assertThat(x.scatter(1, i2, 2.0).gradFn().name()).isEqualTo("ScatterBackward1");
        assertThat(x.scatterAdd(1, i2, Tensor.ones(1, 2)).gradFn().name()).isEqualTo("ScatterAddBackward0");
        assertThat(x.take(idx).gradFn().name()).isEqualTo("TakeBackward0");
        assertThat(x.maskedSelect(x.gt(3.0)).gradFn().name()).isEqualTo("MaskedSelectBackward0");
        assertThat(x.maskedFill(x.gt(3.0), 1.0).gradFn().name()).isEqualTo("MaskedFillBackward0");
        assertThat(x.maskedFill(x.gt(3.0), Tensor.scalar(1.0)).gradFn().name()).isEqualTo("MaskedFillBackward1");
        assertThat(x.indexSelect(0, idx).gradFn().name()).isEqualTo("IndexSelectBackward0");
        assertThat(x.indexAdd(0, idx, Tensor.ones(2, 4)).gradFn().name()).isEqualTo("IndexAddBackward0");

        Tensor y = x.mul(1.0);
        assertThat(y.indexPut_(new Object[] {idx}, 1.0).gradFn().name()).isEqualTo("IndexPutBackward0");
        assertThat(y.indexPut_(new Object[] {0}, 1.0).gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        assertThat(x.mul(1.0).indexPut_(new Object[] {Idx.ellipsis()}, Tensor.ones(4)).gradFn().name()).isEqualTo("torch::autograd::CopyBackwards");
        assertThat(x.mul(1.0).indexPut_(new Object[] {":, [0]"}, 1.0).gradFn().name()).isEqualTo("torch::autograd::CopySlices");
    }

    /**
     * <pre>
     * x = torch.arange(12.).reshape(3, 4).requires_grad_(); v = torch.tensor([10., 20.], requires_grad=True)
     * y = x * 2; w = y[:, 1:]
     * w[torch.tensor([0, 2]), torch.tensor([1, 0])] = v
     * (y * (torch.arange(12.).reshape(3, 4) - 5)).sum().backward()
     * </pre>
     */
    @Test
    void advancedAssignmentIntoAViewFlowsThroughCopySlices() {
        Tensor x = arange(3, 4).requiresGrad_();
        Tensor v = Tensor.of(10, 20).requiresGrad_();
        Tensor y = x.mul(2.0);
        Tensor w = y.index(":, 1:");
        w.indexPut_(new Object[] {longs(0, 2), longs(1, 0)}, v);
        assertClose(y, f(new double[] {0, 2, 10, 6, 8, 10, 12, 14, 16, 20, 20, 22}, 3, 4));
        assertThat(y.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        assertThat(w.gradFn().name()).isEqualTo("AsStridedBackward0");
        assertThat(y.version()).isEqualTo(1);
        y.mul(weights()).sum().backward();
        assertClose(x.grad(), f(new double[] {-10, -8, 0, -4, -2, 0, 2, 4, 6, 0, 10, 12}, 3, 4));
        assertClose(v.grad(), f(new double[] {-3, 4}, 2));
    }

    /**
     * <pre>
     * x = torch.arange(12.).reshape(3, 4).requires_grad_(); v = torch.arange(1., 10.).reshape(3, 3).requires_grad_()
     * y = x * 1.5; w = y[1:, :3]
     * w.index_put_((torch.tensor([1, 0, 1]),), v, accumulate=True)
     * (y * (torch.arange(12.).reshape(3, 4) - 5)).sum().backward()
     * </pre>
     */
    @Test
    void accumulatingIntoAViewAddsDuplicates() {
        Tensor x = arange(3, 4).requiresGrad_();
        Tensor v = Tensor.arange(1.0, 10, 1).reshape(3, 3).requiresGrad_();
        Tensor y = x.mul(1.5);
        y.index("1:, :3").indexPut_(new Object[] {longs(1, 0, 1)}, v, true);
        assertClose(y, f(new double[] {0, 1.5, 3, 4.5, 10, 12.5, 15, 10.5, 20, 23.5, 27, 16.5}, 3, 4));
        assertThat(y.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        y.mul(weights()).sum().backward();
        assertClose(x.grad(), f(new double[] {-7.5, -6, -4.5, -3, -1.5, 0, 1.5, 3, 4.5, 6, 7.5, 9}, 3, 4));
        assertClose(v.grad(), f(new double[] {3, 4, 5, -1, 0, 1, 3, 4, 5}, 3, 3));
    }

    /**
     * <pre>
     * x = torch.arange(6.).reshape(2, 3).requires_grad_(); s = torch.tensor(4., requires_grad=True)
     * y = x.sin(); y[1][0] = s * 3
     * (y * torch.tensor([[1., 2., 3.], [4., 5., 6.]])).sum().backward()
     * </pre>
     */
    @Test
    void basicAssignmentThroughAViewOfAView() {
        Tensor x = arange(2, 3).requiresGrad_();
        Tensor s = Tensor.scalar(4).requiresGrad_();
        Tensor y = x.sin();
        y.index(1).indexPut_(new Object[] {0}, s.mul(3.0));
        assertClose(y, f(new double[] {0, 0.8414709568023682, 0.9092974066734314, 12, -0.756802499294281, -0.9589242935180664}, 2, 3));
        y.mul(f(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertClose(x.grad(), f(new double[] {1, 1.0806046724319458, -1.2484405040740967, 0, -3.2682180404663086, 1.7019731998443604}, 2, 3));
        assertThat(s.grad().item()).isEqualTo(12.0);
    }

    /** {@code y = x.exp(); y[1][0] = 1.}: exp saved its output, so backward must refuse, as PyTorch does. */
    @Test
    void assignmentIntoASavedTensorIsCaughtByTheVersionCounter() {
        Tensor x = arange(2, 3).requiresGrad_();
        Tensor y = x.exp();
        y.indexPut_(new Object[] {1, 0}, 1.0);
        assertThatThrownBy(() -> y.sum().backward())
                .hasMessageStartingWith("one of the variables needed for gradient computation has been modified by an inplace operation");
    }

    /**
     * <pre>
     * x = torch.arange(6.).reshape(2, 3).requires_grad_(); v = torch.tensor(7., requires_grad=True)
     * y = x + 0; y[torch.tensor([[True, False, True], [False, True, False]])] = v
     * (y * torch.tensor([[1., 2., 3.], [4., 5., 6.]])).sum().backward()
     * </pre>
     */
    @Test
    void maskAssignmentWithADifferentiableValue() {
        Tensor x = arange(2, 3).requiresGrad_();
        Tensor v = Tensor.scalar(7).requiresGrad_();
        Tensor y = x.add(0.0);
        y.indexPut_(new Object[] {Tensor.tensor(new boolean[][] {{true, false, true}, {false, true, false}})}, v);
        assertClose(y, f(new double[] {7, 1, 7, 3, 7, 5}, 2, 3));
        assertThat(y.gradFn().name()).isEqualTo("IndexPutBackward0");
        y.mul(f(new double[] {1, 2, 3, 4, 5, 6}, 2, 3)).sum().backward();
        assertClose(x.grad(), f(new double[] {0, 2, 0, 4, 0, 6}, 2, 3));
        assertThat(v.grad().item()).isEqualTo(9.0);
    }

    /**
     * <pre>
     * x = torch.tensor([1., 2., 3., 4.], requires_grad=True)
     * y = (x[torch.tensor([0, 2, 2, -1])] ** 3).sum()
     * g, = torch.autograd.grad(y, x, create_graph=True)                                  # [3, 0, 54, 48]
     * gg, = torch.autograd.grad((g * torch.tensor([1., -1., 2., 0.5])).sum(), x)        # [6, 0, 72, 12]
     * </pre>
     */
    @Test
    void doubleBackwardThroughAdvancedIndexing() {
        Tensor x = Tensor.of(1, 2, 3, 4).requiresGrad_();
        Tensor y = x.index(longs(0, 2, 2, -1)).pow(3.0).sum();
        Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x}, null, true, true)[0];
        assertClose(g, Tensor.of(3, 0, 54, 48));
        Tensor gg = Autograd.grad(g.mul(Tensor.of(1, -1, 2, 0.5f)).sum(), x)[0];
        assertClose(gg, Tensor.of(6, 0, 72, 12));
    }

    @Test
    void anEmptyViewPastTheEndOfItsStorageReadsAsEmpty() {
        // PyTorch 1.13: torch.zeros(0, 3)[..., None, 1] has size (0, 1), stride (3, 3), offset 1, and tolist() == []
        Tensor r = Tensor.zeros(0, 3).index("..., None, 1");
        assertThat(r.shape()).containsExactly(0, 1);
        assertThat(r.storageOffset()).isEqualTo(1);
        assertThat(r.toDoubleArray()).isEmpty();
        assertThat(r.toString()).isEqualTo("tensor([], size=(0, 1))");
    }

    @Test
    void theMostNegativeIntegerIsOutOfRange() {
        // PyTorch 1.13: torch.zeros(3, 4)[-2**63] raises this (its negation must not wrap round to a valid index)
        Tensor x = Tensor.zeros(3, 4);
        assertThatThrownBy(() -> x.index(Long.MIN_VALUE)).hasMessage("index -9223372036854775808 is out of bounds for dimension 0 with size 3");
        assertThatThrownBy(() -> x.indexPut_(new Object[] {Long.MIN_VALUE}, 1.0))
                .hasMessage("index -9223372036854775808 is out of bounds for dimension 0 with size 3");
    }

    @Test
    void outOfRangeIndicesWriteNothing() {
        Tensor x = Tensor.zeros(3, 4);
        assertThatThrownBy(() -> x.indexPut_(new Object[] {longs(0, 5)}, Tensor.ones(4)))
                .hasMessage("index 5 is out of bounds for dimension 0 with size 3");
        assertThatThrownBy(() -> x.indexPut_(new Object[] {longs(1, -4)}, Tensor.ones(4), true))
                .hasMessage("index -4 is out of bounds for dimension 0 with size 3");
        Tensor bad = Tensor.fromArray(new long[] {0, 1, 2, 9}, 1, 4);
        assertThatThrownBy(() -> x.scatter_(0, bad, 1.0)).hasMessage("index 9 is out of bounds for dimension 0 with size 3");
        assertThatThrownBy(() -> x.scatterAdd_(0, bad, Tensor.ones(1, 4))).hasMessage("index 9 is out of bounds for dimension 0 with size 3");
        assertThatThrownBy(() -> x.indexAdd_(0, longs(0, 3), Tensor.ones(2, 4))).hasMessage("index out of range in self");
        assertThat(x.toDoubleArray()).containsOnly(0.0);
        assertThat(x.version()).isZero();
    }

    /** PyTorch 1.13 silently mis-handles non-bool masks in masked_fill; Ember refuses them, as PyTorch 2.x does. */
    @Test
    void maskedFillRefusesNonBooleanMasks() {
        assertThatThrownBy(() -> Tensor.zeros(3).maskedFill(longs(1, 0, 1), 1.0))
                .hasMessage("masked_fill_ only supports boolean masks, but got mask with dtype int64");
    }

    @Test
    void inPlaceMaskedFillBroadcastsSelfFirstRecordedOrNot() {
        // torch.zeros(3, 2).masked_fill_(torch.ones(3, 3, dtype=torch.bool), 3) and the same on a tensor with history
        // (torch.zeros(3, 1, requires_grad=True).expand(3, 2).cumsum(1)) -> "The size of tensor a (2) must match ...";
        // out of place the mask comes first: torch.zeros(3, 2).masked_fill(mask, 3) -> "... a (3) must match ... b (2) ..."
        Tensor mask = Tensor.ones(new int[] {3, 3}, DType.BOOL);
        String selfFirst = "The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 1";
        assertThatThrownBy(() -> Tensor.zeros(3, 2).maskedFill_(mask, 3.0)).hasMessage(selfFirst);
        Tensor y = Tensor.zeros(3, 1).requiresGrad_().expand(3, 2).cumsum(1);
        assertThatThrownBy(() -> y.maskedFill_(mask, 3.0)).hasMessage(selfFirst);
        assertThatThrownBy(() -> Tensor.zeros(3, 2).maskedFill(mask, 3.0))
                .hasMessage("The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    }

    @Test
    void aNumberOrZeroDimValueFillsAnExpandedTensorWhileATensorCopyRefusesIt() {
        String overlap = "unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
                + "Please clone() the tensor before performing the operation.";
        // x = torch.tensor([1, 2, 3]).expand(2, 3); x[()] = -2 -> [[-2, -2, -2], [-2, -2, -2]]: setitem fills from a 0-dim
        // value (copy_to's fill_), and fill_ does not check self for overlapping elements; so do x[0] = -2 and fill_
        Tensor x = longs(1, 2, 3).expand(2, 3);
        x.indexPut_(new Object[] {}, -2L);
        assertThat(x.toLongArray()).containsExactly(-2, -2, -2, -2, -2, -2);
        Tensor y = longs(1, 2, 3).expand(2, 3);
        y.indexPut_(new Object[] {0}, -2L);
        assertThat(y.toLongArray()).containsExactly(-2, -2, -2, -2, -2, -2);
        // x[...] = torch.tensor(7) -> all 7; x.fill_(torch.tensor(4)) -> all 4
        Tensor z = longs(1, 2, 3).expand(2, 3);
        z.indexPut_(new Object[] {Idx.ellipsis()}, Tensor.tensor(7L));
        assertThat(z.toLongArray()).containsExactly(7, 7, 7, 7, 7, 7);
        z.fill_(Tensor.tensor(4L));
        assertThat(z.toLongArray()).containsExactly(4, 4, 4, 4, 4, 4);
        // x[...] = torch.tensor([7, 8, 9]) and x.copy_(torch.tensor(4)) copy, which refuses the overlapping elements
        assertThatThrownBy(() -> z.indexPut_(new Object[] {Idx.ellipsis()}, longs(7, 8, 9))).hasMessage(overlap);
        assertThatThrownBy(() -> z.copy_(Tensor.tensor(4L))).hasMessage(overlap);
    }
}
