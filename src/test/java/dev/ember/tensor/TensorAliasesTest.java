package dev.ember.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * In-place comparisons, in-place scans and products, fmax/fmin, predicates and PyTorch's aliases, each against
 * what PyTorch 1.13 printed (quoted above the assertions).
 */
class TensorAliasesTest {

    static Tensor x() { return Tensor.tensor(new double[][] {{1, -2}, {3, 0.5}}, DType.FLOAT32).requiresGrad_(); }

    static final Tensor Y = Tensor.tensor(new double[] {1, 3}, DType.FLOAT32);

    @Test
    void inPlaceComparisonsWriteOnesAndZerosInSelfsDtype() {
        // x = [[1., -2.], [3., 0.5]] (requires grad); z = x * 1; z.eq_(y) etc. with y = [1., 3.]
        String[][] cases = {
                {"eq", "tensor([[1., 0.],\n        [0., 0.]], grad_fn=<EqBackward1>)"},
                {"ne", "tensor([[0., 1.],\n        [1., 1.]], grad_fn=<NeBackward1>)"},
                {"lt", "tensor([[0., 1.],\n        [0., 1.]], grad_fn=<LtBackward1>)"},
                {"le", "tensor([[1., 1.],\n        [0., 1.]], grad_fn=<LeBackward1>)"},
                {"gt", "tensor([[0., 0.],\n        [1., 0.]], grad_fn=<GtBackward1>)"},
                {"ge", "tensor([[1., 0.],\n        [1., 0.]], grad_fn=<GeBackward1>)"}};
        for (String[] c : cases) {
            Tensor z = x().mul(1.0);
            Tensor r = switch (c[0]) {
                case "eq" -> z.eq_(Y);
                case "ne" -> z.ne_(Y);
                case "lt" -> z.lt_(Y);
                case "le" -> z.le_(Y);
                case "gt" -> z.gt_(Y);
                default -> z.ge_(Y);
            };
            assertThat(r).isSameAs(z);
            assertThat(r.toString()).as(c[0]).isEqualTo(c[1]);
        }
        // z.eq_(1.0).grad_fn -> EqBackward0; the gradient through it is zero
        Tensor x = x();
        Tensor z = x.mul(1.0).eq_(1.0);
        assertThat(z.gradFn().name()).isEqualTo("EqBackward0");
        z.sum().backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([[0., 0.],\n        [0., 0.]])");
        // torch.tensor([1, 2]).eq_(torch.tensor([1.5, 2.])) -> tensor([0, 1]); torch.tensor([1, 2]).lt_(1.5) -> tensor([1, 0])
        assertThat(Tensor.tensor(new long[] {1, 2}).eq_(Tensor.tensor(new double[] {1.5, 2}, DType.FLOAT32)).toString()).isEqualTo("tensor([0, 1])");
        assertThat(Tensor.tensor(new long[] {1, 2}).lt_(1.5).toString()).isEqualTo("tensor([1, 0])");
        assertThatThrownBy(() -> x.eq_(Y)).hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    @Test
    void inPlaceScansAndProducts() {
        // z = x * 1; z.cumsum_(0) -> tensor([[ 1.0000, -1.0000], [ 4.0000,  2.5000]], grad_fn=<CumsumBackward0>); cumprod_ -> CumprodBackward0
        Tensor z = x().mul(1.0);
        assertThat(z.cumsum_(0).toString()).isEqualTo("tensor([[ 1.0000, -2.0000],\n        [ 4.0000, -1.5000]], grad_fn=<CumsumBackward0>)");
        assertThat(x().mul(1.0).cumprod_(1).gradFn().name()).isEqualTo("CumprodBackward0");
        // torch.tensor([1, 2]).cumsum_(0) keeps int64
        assertThat(Tensor.tensor(new long[] {1, 2}).cumsum_(0).toString()).isEqualTo("tensor([1, 3])");
        // z = x * 1; z.addmm_(x, x); z.grad_fn.name() -> AddmmBackward0, values z + x @ x
        Tensor x = x();
        Tensor w = x.mul(1.0);
        w.addmm_(x, x);
        assertThat(w.gradFn().name()).isEqualTo("AddmmBackward0");
        assertThat(w.toString()).isEqualTo("tensor([[-4.0000, -5.0000],\n        [ 7.5000, -5.2500]], grad_fn=<AddmmBackward0>)");
    }

    @Test
    void fmaxAndFminIgnoreANanOnOneSide() {
        // a = [1., nan, 3.], b = [nan, nan, 2.] (both requiring grad); torch.fmax(a, b) -> tensor([1., nan, 3.], grad_fn=<FmaxBackward0>)
        Tensor a = Tensor.tensor(new double[] {1, Double.NaN, 3}, DType.FLOAT32).requiresGrad_();
        Tensor b = Tensor.tensor(new double[] {Double.NaN, Double.NaN, 2}, DType.FLOAT32).requiresGrad_();
        Tensor f = a.fmax(b);
        assertThat(f.toString()).isEqualTo("tensor([1., nan, 3.], grad_fn=<FmaxBackward0>)");
        assertThat(a.fmin(b).toString()).isEqualTo("tensor([1., nan, 2.], grad_fn=<FminBackward0>)");
        // f.sum().backward(); a.grad, b.grad -> tensor([1., 1., 1.]) tensor([0., 0., 0.])
        f.sum().backward();
        assertThat(a.grad().toString()).isEqualTo("tensor([1., 1., 1.])");
        assertThat(b.grad().toString()).isEqualTo("tensor([0., 0., 0.])");
        // torch.fmax(torch.tensor([1, 5]), torch.tensor([3., 2.])) -> tensor([3., 5.])
        assertThat(Tensor.tensor(new long[] {1, 5}).fmax(Tensor.tensor(new double[] {3, 2}, DType.FLOAT32)).toString()).isEqualTo("tensor([3., 5.])");
    }

    @Test
    void predicatesAndShapes() {
        Tensor x = x();
        // torch.tensor([[3, 1], [0, 2]]).msort(), x.ravel().grad_fn, x.ndim, x.ndimension(), x.nelement(), x.is_signed(),
        // uint8 .is_signed(), torch.tensor([2.]).is_nonzero(), x.is_same_size(y)
        assertThat(Tensor.tensor(new long[][] {{3, 1}, {0, 2}}).msort().toString()).isEqualTo("tensor([[0, 1],\n        [3, 2]])");
        assertThat(x.ravel().gradFn().name()).isEqualTo("ViewBackward0");
        assertThat(new int[] {x.ndim(), x.ndimension(), x.nelement()}).containsExactly(2, 2, 4);
        assertThat(x.isSigned()).isTrue();
        assertThat(Tensor.tensor(new long[] {1}).to(DType.UINT8).isSigned()).isFalse();
        assertThat(Tensor.tensor(new double[] {2}, DType.FLOAT32).isNonzero()).isTrue();
        assertThat(x.isSameSize(Y)).isFalse();
        assertThatThrownBy(() -> Tensor.tensor(new double[] {1, 2}, DType.FLOAT32).isNonzero()).hasMessage("Boolean value of Tensor with more than one value is ambiguous");
        assertThatThrownBy(() -> Tensor.zeros(0).isNonzero()).hasMessage("Boolean value of Tensor with no values is ambiguous");
        // t = [-inf, inf, 1., nan]; t.isneginf(), t.isposinf(), t.isreal()
        Tensor t = Tensor.tensor(new double[] {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1, Double.NaN}, DType.FLOAT32);
        assertThat(t.isneginf().toString()).isEqualTo("tensor([ True, False, False, False])");
        assertThat(t.isposinf().toString()).isEqualTo("tensor([False,  True, False, False])");
        assertThat(t.isreal().toString()).isEqualTo("tensor([True, True, True, True])");
        // x.sum_to_size(1, 2) -> tensor([[ 4.0000, -1.5000]], grad_fn=<SumBackward1>); x.sum_to_size(3)
        assertThat(x.sumToSize(1, 2).toString()).isEqualTo("tensor([[ 4.0000, -1.5000]], grad_fn=<SumBackward1>)");
        assertThat(x.sumToSize(2, 1).gradFn().name()).isEqualTo("SumBackward1");
        assertThatThrownBy(() -> x.sumToSize(3)).hasMessage("size {[3]} is not expandable to size {[2, 2]}.");
        // aliases record the nodes of the ops they name: AbsBackward0 AcosBackward0 Atan2Backward0 DivBackward0 MulBackward0 SubBackward0 NegBackward0 torch.bool
        assertThat(x.absolute().gradFn().name()).isEqualTo("AbsBackward0");
        assertThat(x.arccos().gradFn().name()).isEqualTo("AcosBackward0");
        assertThat(x.arctan2(Y).gradFn().name()).isEqualTo("Atan2Backward0");
        assertThat(x.divide(Y).gradFn().name()).isEqualTo("DivBackward0");
        assertThat(x.multiply(Y).gradFn().name()).isEqualTo("MulBackward0");
        assertThat(x.subtract(Y).gradFn().name()).isEqualTo("SubBackward0");
        assertThat(x.negative().gradFn().name()).isEqualTo("NegBackward0");
        assertThat(x.greater(Y).dtype()).isEqualTo(DType.BOOL);
        // x.t().ravel().grad_fn -> ViewBackward0 after CloneBackward0; torch.ger(x[0], y) -> outer, MulBackward0's values
        Tensor r = x.t().ravel();
        assertThat(r.gradFn().name()).isEqualTo("ViewBackward0");
        assertThat(r.gradFn().nextFunctions().get(0).node().name()).isEqualTo("CloneBackward0");
        assertThat(Y.ger(Y).toString()).isEqualTo("tensor([[1., 3.],\n        [3., 9.]])");
    }

    @Test
    void fillDiagonalWritesThroughAStridedView() {
        // torch.zeros(3, 3).fill_diagonal_(2.0); torch.zeros(4, 2).fill_diagonal_(1, wrap=True); torch.zeros(7, 3).fill_diagonal_(5, wrap=True)
        assertThat(Tensor.zeros(3, 3).fillDiagonal_(2.0).toString()).isEqualTo("tensor([[2., 0., 0.],\n        [0., 2., 0.],\n        [0., 0., 2.]])");
        assertThat(Tensor.zeros(4, 2).fillDiagonal_(1, true).toString()).isEqualTo("tensor([[1., 0.],\n        [0., 1.],\n        [0., 0.],\n        [1., 0.]])");
        assertThat(Tensor.zeros(4, 2).fillDiagonal_(1, false).toString()).isEqualTo("tensor([[1., 0.],\n        [0., 1.],\n        [0., 0.],\n        [0., 0.]])");
        assertThat(Tensor.zeros(7, 3).fillDiagonal_(5, true).toString()).isEqualTo("tensor([[5., 0., 0.],\n        [0., 5., 0.],\n        [0., 0., 5.],\n"
                + "        [0., 0., 0.],\n        [5., 0., 0.],\n        [0., 5., 0.],\n        [0., 0., 5.]])");
        // torch.zeros(2, 2, 2).fill_diagonal_(3): [[[3, 0], [0, 0]], [[0, 0], [0, 3]]]
        assertThat(Tensor.zeros(2, 2, 2).fillDiagonal_(3).toDoubleArray()).containsExactly(3, 0, 0, 0, 0, 0, 0, 3);
        // t = torch.zeros(3, 4).t(); t.fill_diagonal_(1) -> ones at (0,0), (1,1), (2,2); an int64 tensor keeps its dtype
        assertThat(Tensor.zeros(3, 4).t().fillDiagonal_(1).toString())
                .isEqualTo("tensor([[1., 0., 0.],\n        [0., 1., 0.],\n        [0., 0., 1.],\n        [0., 0., 0.]])");
        assertThat(Tensor.zeros(new int[] {2, 3}, DType.INT64).fillDiagonal_(7).toString()).isEqualTo("tensor([[7, 0, 0],\n        [0, 7, 0]])");
        assertThat(Tensor.zeros(0, 0).fillDiagonal_(1).toString()).isEqualTo("tensor([], size=(0, 0))");
        assertThatThrownBy(() -> Tensor.zeros(3).fillDiagonal_(1)).hasMessage("dimensions must larger than 1");
        assertThatThrownBy(() -> Tensor.zeros(2, 3, 4).fillDiagonal_(1)).hasMessage("all dimensions of input must be of equal length");
        // x = torch.zeros(3, 4, requires_grad=True): x.fill_diagonal_(1) refused; y = x * 1; y.fill_diagonal_(2.5): CopySlices, x.grad 0 on the diagonal
        Tensor x = Tensor.zeros(3, 4).requiresGrad_();
        assertThatThrownBy(() -> x.fillDiagonal_(1)).hasMessage("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        Tensor y = x.mul(1.0).fillDiagonal_(2.5);
        assertThat(y.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        y.sum().backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([[0., 1., 1., 1.],\n        [1., 0., 1., 1.],\n        [1., 1., 0., 1.]])");
    }
}
