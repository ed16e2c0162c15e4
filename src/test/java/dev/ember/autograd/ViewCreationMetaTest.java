package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * PyTorch 1.13's checks on writing views in place, by how the view was made (its CreationMeta), with the messages
 * its Python run printed (quoted above each assertion): a view returned by a multi-output op (split, chunk, unbind),
 * or one of its views, may not be written, and once its base or a sibling was written, reading its grad_fn (or any
 * recorded op on it) fails; an in-place op checks the view's current grad_fn field, as C++ is_leaf does, before its
 * own checks; and the names that gradient-shape errors give PyTorch's hand-written nodes.
 */
class ViewCreationMetaTest {

    static final String MULTI = " This view is the output of a function that returns multiple views. Such functions do not allow the output views to be "
            + "modified inplace. You should replace the inplace operation by an out-of-place one.";

    static Tensor leaf(double... v) { return Tensor.tensor(v, DType.FLOAT64).requiresGrad_(); }

    static Tensor longs(long... v) { return Tensor.tensor(v); }

    @Test
    void anInvalidGradientNamesTheNodeAsItsCppNameDoes() {
        // x = torch.tensor([[[1., 2.], [3., 4.], [5., 6.]]], requires_grad=True); y = x.clone(); v = y[:, 1:2]
        // v.scatter_add_(2, torch.zeros(1, 1, 2, dtype=torch.long), torch.ones(1, 2, 2, requires_grad=True))
        Tensor x = Tensor.tensor(new double[] {1, 2, 3, 4, 5, 6}, DType.FLOAT32).reshape(1, 3, 2).requiresGrad_();
        Tensor y = x.clone();
        Tensor v = y.narrow(1, 1, 1);
        Tensor index = Tensor.zeros(new int[] {1, 1, 2}, DType.INT64);
        v.scatterAdd_(2, index, Tensor.ones(1, 2, 2).requiresGrad_());
        // y.grad_fn.name() -> torch::autograd::CopySlices; type(y.grad_fn).__name__ -> CopySlices
        assertThat(y.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        assertThat(y.gradFn().typeName()).isEqualTo("CopySlices");
        assertThat(y.gradFn().nextFunctions().get(0).node().nextFunctions().get(0).node().name()).isEqualTo("torch::autograd::AccumulateGrad");
        // y.sum().backward()
        assertThatThrownBy(() -> y.sum().backward()).isInstanceOf(IllegalStateException.class)
                .hasMessage("Function torch::autograd::CopySlices returned an invalid gradient at index 1 - got [1, 1, 2] but expected shape compatible with [1, 2, 2]");
        // the same write into a non-view: y = torch.zeros(1, 1, 2, requires_grad=True).clone(); y.scatter_add_(...)
        Tensor z = Tensor.zeros(1, 1, 2).requiresGrad_().clone();
        z.scatterAdd_(2, index, Tensor.ones(1, 2, 2).requiresGrad_());
        assertThatThrownBy(() -> z.sum().backward())
                .hasMessage("Function ScatterAddBackward0 returned an invalid gradient at index 1 - got [1, 1, 2] but expected shape compatible with [1, 2, 2]");
    }

    @Test
    void aMultiOutputViewWhoseBaseWasWrittenCannotBeUsed() {
        String indirect = "Output 0 of SplitBackward0 is a view and its base or another view of its base has been modified inplace." + MULTI;
        // x = torch.tensor([1., 2., 3., 4.], requires_grad=True).clone(); a, b = x.split(2); x.mul_(2)
        Tensor x = leaf(1, 2, 3, 4).clone();
        List<Tensor> parts = x.split(2, 0);
        Tensor a = parts.get(0);
        x.mul_(2.0);
        // a.requires_grad -> True (it reads no grad_fn); a.gt(1) -> tensor([True, True]) (not recorded)
        assertThat(a.requiresGrad()).isTrue();
        assertThat(a.gt(1.0).toString()).isEqualTo("tensor([True, True])");
        // with torch.no_grad(): a.exp() -> tensor([ 7.3891, 54.5982]): nothing is recorded, so no grad_fn is read
        try (var ng = GradMode.noGrad()) {
            assertThat(a.exp().toString()).isEqualTo("tensor([ 7.3891, 54.5982], dtype=torch.float64)");
        }
        // a.grad_fn, a.is_leaf, a.exp(), max with indices: each raises
        assertThatThrownBy(a::gradFn).isInstanceOf(IllegalStateException.class).hasMessage(indirect);
        assertThatThrownBy(a::isLeaf).hasMessage(indirect);
        assertThatThrownBy(a::exp).hasMessage(indirect);
        assertThatThrownBy(() -> a.max(0, true)).hasMessage(indirect);
        // and so does backward through a loss built from it: (a * 2).sum() already reads a's grad_fn
        assertThatThrownBy(() -> a.mul(2.0).sum().backward()).hasMessage(indirect);
    }

    @Test
    void aMultiOutputViewAndItsViewsCannotBeWrittenInPlace() {
        // x = torch.tensor([1., 2., 3., 4.], requires_grad=True).clone(); a, b = x.unbind(0)[:2]; a.mul_(2)
        Tensor x = leaf(1, 2, 3, 4).clone();
        Tensor a = x.unbind(0).get(0);
        assertThatThrownBy(() -> a.mul_(2.0)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Output 0 of UnbindBackward0 is a view and is being modified inplace." + MULTI);
        // a, b = x.chunk(2); b[0].mul_(2): a view of an output inherits how it was made, and is named by its own node
        Tensor b = x.chunk(2, 0).get(1);
        assertThatThrownBy(() -> b.select(0, 0).mul_(2.0)).hasMessage("Output 0 of SelectBackward0 is a view and is being modified inplace." + MULTI);
        // b.view(2, 1).t().view(-1).copy_(torch.ones(2, requires_grad=True)) -> "Output 0 of ViewBackward0 ..."
        assertThatThrownBy(() -> b.view(2, 1).t().view(-1).copy_(leaf(1, 1))).hasMessage("Output 0 of ViewBackward0 is a view and is being modified inplace." + MULTI);
    }

    @Test
    void aMultiOutputViewOutsideTheGraphIsCheckedWhenTheWriteWouldBeRecorded() {
        // x = torch.tensor([1, 2, 3, 4], dtype=torch.int32); p = x.split(2)[1][0]
        // p.scatter_(0, torch.tensor(0), torch.tensor([2.5], requires_grad=True)): the view check comes before scatter's dtype check
        Tensor x = Tensor.tensor(new long[] {1, 2, 3, 4}).to(DType.INT32);
        Tensor p = x.split(2, 0).get(1).select(0, 0);
        assertThatThrownBy(() -> p.scatter_(0, longs(0).reshape(), leaf(2.5))).isInstanceOf(IllegalStateException.class)
                .hasMessage("A view was created in no_grad mode and is being modified inplace with grad mode enabled." + MULTI);
        // with a src that does not require grad, nothing would be recorded: scatter's own check
        assertThatThrownBy(() -> p.scatter_(0, longs(0).reshape(), Tensor.tensor(new double[] {2.5}, DType.FLOAT32)))
                .hasMessage("scatter(): Expected self.dtype to be equal to src.dtype");
    }

    @Test
    void anInPlaceOpSeesTheGradFnAViewHadNotARederivedOne() {
        String leafInPlace = "a leaf Variable that requires grad is being used in an in-place operation.";
        // a = torch.zeros(2, 2); v = a.t(); a.mul_(torch.tensor(3., requires_grad=True)); v.requires_grad -> True
        // v.add_(1) -> "a leaf Variable ...": v's grad_fn field is still empty, and check_inplace reads only that
        Tensor a = Tensor.zeros(2, 2);
        Tensor v = a.t();
        a.mul_(Tensor.scalar(3.0).requiresGrad_());
        assertThat(v.requiresGrad()).isTrue();
        assertThatThrownBy(() -> v.add_(1.0)).isInstanceOf(IllegalStateException.class).hasMessage(leafInPlace);
        // print(v.grad_fn) -> <AsStridedBackward0>; then v.add_(1) works
        assertThat(v.gradFn().toString()).isEqualTo("<AsStridedBackward0>");
        v.add_(1.0);
        assertThat(a.gradFn().toString()).isEqualTo("<CopySlices>");
        // x = torch.zeros(2, 2, requires_grad=True); x.scatter_add_(0, torch.zeros(1, 1, dtype=torch.long), torch.ones(1, 1))
        Tensor x = Tensor.zeros(2, 2).requiresGrad_();
        assertThatThrownBy(() -> x.scatterAdd_(0, Tensor.zeros(new int[] {1, 1}, DType.INT64), Tensor.ones(1, 1))).hasMessage(leafInPlace);
    }

    @Test
    void requiresGradOnAStaleNoGradViewReadsTheFieldAsCppIsLeafDoes() {
        // a = torch.ones(3, requires_grad=True).clone(); with torch.no_grad(): v = a[:2]; a.mul_(2)
        // v.requires_grad_(True).requires_grad -> True; v.requires_grad_(False) runs; v.is_leaf raises the no_grad view error
        Tensor a = Tensor.ones(3).requiresGrad_().clone();
        Tensor v;
        try (var g = GradMode.noGrad()) {
            v = a.narrow(0, 0, 2);
        }
        a.mul_(2.0);
        assertThat(v.requiresGrad_(true).requiresGrad()).isTrue();
        v.requiresGrad_(false);
        assertThatThrownBy(v::isLeaf).hasMessageStartingWith("A view was created in no_grad mode and its base or another view of its base has been modified inplace");
    }
}
