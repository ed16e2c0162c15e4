package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Idx;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Autograd semantics against PyTorch 1.13: accumulation, retain_graph, retain_grad, detach, no-grad,
 * autograd.grad with higher order, and PyTorch's errors with PyTorch's text (the Python that produced each
 * expected value or message is quoted above the assertion).
 */
class AutogradTest {

    static Tensor leaf(float... v) { return Tensor.of(v).requiresGrad_(); }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        // x = tensor([1.,2.,3.], requires_grad=True); y = (x+1).sum(); y.backward(); y.backward(); x.grad -> [2., 2., 2.]
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.add(1.0).sum();
        y.backward();
        y.backward();
        assertThat(x.grad().toFloatArray()).containsExactly(2, 2, 2);
    }

    @Test
    void backwardTwiceThroughSavedTensorsFails() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x).sum();
        y.backward();
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class).hasMessage(SavedTensor.BACKWARD_TWICE);
    }

    @Test
    void retainGraphAllowsASecondBackward() {
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.mul(x).sum();
        y.backward(null, true);
        y.backward();
        assertThat(x.grad().toFloatArray()).containsExactly(4, 8, 12);
    }

    @Test
    void inPlaceOnALeafThatRequiresGradFails() {
        Tensor x = leaf(1, 2, 3);
        assertThatThrownBy(() -> x.add_(1.0)).hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
        assertThatThrownBy(() -> x.select(0, 0).add_(1.0))
                .hasMessage("a view of a leaf Variable that requires grad is being used in an in-place operation.");
        try (var g = GradMode.noGrad()) {
            x.add_(1.0); // allowed under no_grad, as optimizers do
        }
        assertThat(x.toFloatArray()).containsExactly(2, 3, 4);
    }

    @Test
    void modifyingATensorSavedForBackwardFails() {
        // a = x*2; b = a*a; a.mul_(2); b.sum().backward()
        Tensor x = leaf(1, 2, 3);
        Tensor a = x.mul(2.0);
        Tensor b = a.mul(a);
        a.mul_(2.0);
        assertThatThrownBy(() -> b.sum().backward()).hasMessage(
                "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], "
                        + "which is output 0 of MulBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
                        + "the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        // e = x.detach(); c = x*e; e.add_(1): a saved leaf-side tensor has no producer in the message
        Tensor e = x.detach();
        Tensor c = x.mul(e);
        e.add_(1.0);
        assertThatThrownBy(() -> c.sum().backward()).hasMessage(
                "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]] "
                        + "is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to "
                        + "compute its gradient, with torch.autograd.set_detect_anomaly(True).");
    }

    @Test
    void modifyingASavedOutputNamesTheNodeThatSavedIt() {
        // y = x.sigmoid(); y.mul_(2); y.sum().backward(): SigmoidBackward0 saved its own output, so PyTorch names it,
        // not the MulBackward0 that y's grad_fn has become
        Tensor x = leaf(1, 2, 3);
        Tensor y = x.sigmoid();
        y.mul_(2.0);
        assertThatThrownBy(() -> y.sum().backward()).hasMessage(
                "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [3]], "
                        + "which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead. Hint: enable anomaly detection to find "
                        + "the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        // a saved input names its current grad_fn: w = x+1; z = w.pow(2); w.mul_(2) -> "output 0 of MulBackward0"
        Tensor w = x.add(1.0);
        Tensor z = w.pow(2L);
        w.mul_(2.0);
        assertThatThrownBy(() -> z.sum().backward()).hasMessageContaining("which is output 0 of MulBackward0, is at version 1");
    }

    @Test
    void inPlaceOpsOnNonLeavesAreDifferentiated() {
        // x = tensor([1.,2.,3.], requires_grad=True); z = x*1; z.mul_(2); z.add_(x); z.sum().backward(); x.grad -> [3., 3., 3.]
        Tensor x = leaf(1, 2, 3);
        Tensor z = x.mul(1.0);
        z.mul_(2.0);
        z.add_(x);
        assertThat(z.gradFn().name()).isEqualTo("AddBackward0");
        z.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(3, 3, 3);
    }

    @Test
    void inPlaceOnAViewRewritesTheBaseHistory() {
        // x = tensor([[1.,2.],[3.,4.]], requires_grad=True); y = x*1; v = y[0]; v.mul_(3); (y*y).sum().backward()
        // y = [[3,6],[3,4]]; dL/dy = 2y; dL/dx = [[2*3*3, 2*6*3], [6, 8]] = [[18, 36], [6, 8]]
        Tensor x = Tensor.tensor(new float[][] {{1, 2}, {3, 4}}).requiresGrad_();
        Tensor y = x.mul(1.0);
        Tensor v = y.select(0, 0);
        v.mul_(3.0);
        assertThat(y.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
        assertThat(v.gradFn().name()).isEqualTo("AsStridedBackward0");
        y.mul(y).sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(18, 36, 6, 8);
    }

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = leaf(1, 2, 3);
        assertThatThrownBy(() -> x.mul(2.0).backward()).hasMessage("grad can be implicitly created only for scalar outputs");
        Tensor y = x.mul(2.0);
        y.backward(Tensor.of(1, 0.5f, 2));
        assertThat(x.grad().toFloatArray()).containsExactly(2, 1, 4);
        assertThatThrownBy(() -> x.mul(2.0).backward(Tensor.ones(2))).hasMessage(
                "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] has a shape of torch.Size([3]).");
    }

    @Test
    void backwardOnATensorWithoutGradFails() {
        assertThatThrownBy(() -> Tensor.of(1, 2).sum().backward()).hasMessage("element 0 of tensors does not require grad and does not have a grad_fn");
    }

    @Test
    void requiresGradRules() {
        assertThatThrownBy(() -> Tensor.arange(3).requiresGrad_()).hasMessage("only Tensors of floating point dtype can require gradients");
        Tensor x = leaf(1, 2);
        assertThatThrownBy(() -> x.mul(2.0).requiresGrad_(false)).hasMessage(
                "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't "
                        + "require differentiation use var_no_grad = var.detach().");
        assertThat(x.mul(2.0).detach().requiresGrad()).isFalse();
        assertThat(x.detach().isLeaf()).isTrue();
    }

    @Test
    void noGradRecordsNothing() {
        Tensor x = leaf(1, 2);
        Tensor q;
        try (var g = GradMode.noGrad()) {
            q = x.mul(2.0);
            assertThat(GradMode.isEnabled()).isFalse();
            try (var e = GradMode.enableGrad()) {
                assertThat(x.mul(2.0).requiresGrad()).isTrue();
            }
        }
        assertThat(GradMode.isEnabled()).isTrue();
        assertThat(q.requiresGrad()).isFalse();
        assertThat(q.gradFn()).isNull();
    }

    @Test
    void retainGradKeepsNonLeafGradients() {
        Tensor x = leaf(1, 2, 3);
        Tensor z = x.mul(2.0).retainGrad();
        Tensor y = z.mul(z).sum();
        y.backward();
        assertThat(z.grad().toFloatArray()).containsExactly(4, 8, 12);
        assertThat(x.mul(2.0).grad()).isNull();
        assertThatThrownBy(() -> Tensor.ones(2).retainGrad()).hasMessage("can't retain_grad on Tensor that has requires_grad=False");
    }

    @Test
    void gradWithCreateGraphGivesSecondOrderDerivatives() {
        // w = tensor(2., requires_grad=True); y = w**3; g = grad(y, w, create_graph=True) -> 12 (MulBackward0); grad(g, w) -> 12
        Tensor w = Tensor.scalar(2.0).requiresGrad_();
        Tensor y = w.pow(3.0);
        Tensor g = Autograd.grad(new Tensor[] {y}, new Tensor[] {w}, null, false, true)[0];
        assertThat(g.item()).isEqualTo(12.0);
        assertThat(g.gradFn()).isNotNull();
        Tensor g2 = Autograd.grad(g, w)[0];
        assertThat(g2.item()).isEqualTo(12.0);
        assertThat(w.grad()).as("autograd.grad does not accumulate into .grad").isNull();
    }

    @Test
    void thirdOrderThroughTranscendentalOps() {
        // f(x) = sin(x) * exp(x): f''' = 2 e^x (cos x - sin x) ... computed in float64 and compared with the closed form
        Tensor x = Tensor.scalar(0.7, DType.FLOAT64).requiresGrad_();
        Tensor f = x.sin().mul(x.exp());
        Tensor d1 = Autograd.grad(new Tensor[] {f}, new Tensor[] {x}, null, true, true)[0];
        Tensor d2 = Autograd.grad(new Tensor[] {d1}, new Tensor[] {x}, null, true, true)[0];
        Tensor d3 = Autograd.grad(d2, x)[0];
        double e = Math.exp(0.7), s = Math.sin(0.7), c = Math.cos(0.7);
        assertThat(d1.item()).isCloseTo(e * (s + c), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d2.item()).isCloseTo(2 * e * c, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(d3.item()).isCloseTo(2 * e * (c - s), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void gradErrors() {
        Tensor x = leaf(1, 2, 3);
        assertThatThrownBy(() -> Autograd.grad(x.mul(2.0).sum(), Tensor.ones(2).requiresGrad_())).hasMessage(
                "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
        assertThatThrownBy(() -> Autograd.grad(x.mul(2.0).sum(), Tensor.ones(2))).hasMessage("One of the differentiated Tensors does not require grad");
        Tensor[] got = Autograd.grad(new Tensor[] {x.mul(2.0).sum()}, new Tensor[] {x, Tensor.ones(2).requiresGrad_()}, null, false, false, true);
        assertThat(got[0].toFloatArray()).containsExactly(2, 2, 2);
        assertThat(got[1]).isNull();
    }

    @Test
    void backwardWithInputsAccumulatesOnlyThere() {
        Tensor a = leaf(1, 2), b = leaf(3, 4);
        Tensor y = a.mul(b).sum();
        Autograd.backward(new Tensor[] {y}, null, false, false, new Tensor[] {a});
        assertThat(a.grad().toFloatArray()).containsExactly(3, 4);
        assertThat(b.grad()).isNull();
    }

    @Test
    void broadcastGradientsAreSummedToTheInputShape() {
        Tensor a = Tensor.ones(2, 3).requiresGrad_();
        Tensor b = leaf(1, 2, 3);
        a.mul(b).sum().backward();
        assertThat(b.grad().toFloatArray()).containsExactly(2, 2, 2);
        assertThat(a.grad().toFloatArray()).containsExactly(1, 2, 3, 1, 2, 3);
    }

    @Test
    void deepChainsBackpropagateWithoutStackOverflow() {
        // 100,000 ops in a row: the engine must not recurse
        Tensor x = Tensor.scalar(1.0, DType.FLOAT64).requiresGrad_();
        Tensor y = x;
        for (int i = 0; i < 100_000; i++) y = y.mul(1.0).add(0.0);
        y.backward();
        assertThat(x.grad().item()).isEqualTo(1.0);
    }

    @Test
    void zeroOnANonLeafIsRecordedAsZeroBackward() {
        // y = x * 2; y.zero_(); y.grad_fn -> <ZeroBackward0>
        Tensor y = leaf(1, 2).mul(2.0);
        y.zero_();
        assertThat(y.gradFn().name()).isEqualTo("ZeroBackward0");
    }

    @Test
    void gradFnNamesAndNextFunctions() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(2.0).add(x);
        assertThat(y.gradFn().name()).isEqualTo("AddBackward0");
        assertThat(y.gradFn().nextFunctions().get(0).node().name()).isEqualTo("MulBackward0");
        assertThat(y.gradFn().nextFunctions().get(1).node().name()).isEqualTo("torch::autograd::AccumulateGrad");
        assertThat(y.toString()).isEqualTo("tensor([3., 6.], grad_fn=<AddBackward0>)");
    }

    @Test
    void anInPlaceWriteThroughOneViewReachesTheOtherViewsOfTheBase() {
        // x = torch.arange(6.).requires_grad_(); y = (x * 1.).view(2, 3); y[:, 1].mul_(2.); y.sum().backward()
        // x.grad -> tensor([1., 2., 1., 1., 2., 1.]); y.grad_fn -> <AsStridedBackward0>
        Tensor x = Tensor.arange(6.0).requiresGrad_();
        Tensor y = x.mul(1.0).view(2, 3);
        y.index(Idx.all(), 1L).mul_(2.0);
        assertThat(y.gradFn().name()).isEqualTo("AsStridedBackward0");
        y.sum().backward();
        assertThat(x.grad().toFloatArray()).containsExactly(1, 2, 1, 1, 2, 1);
    }

    @Test
    void aViewOfABufferWrittenWithAGradientRequiresGrad() {
        // b = torch.zeros(2, 3); v0 = b[0]; b[1].copy_(x * 2.) -> v0.requires_grad True, v0.grad_fn <AsStridedBackward0>
        Tensor x = leaf(1, 2, 3);
        Tensor b = Tensor.zeros(2, 3);
        Tensor v0 = b.select(0, 0);
        b.select(0, 1).copy_(x.mul(2.0));
        assertThat(v0.requiresGrad()).isTrue();
        assertThat(v0.gradFn().name()).isEqualTo("AsStridedBackward0");
        assertThat(b.gradFn().name()).isEqualTo("torch::autograd::CopySlices");
    }

    @Test
    void aSavedViewModifiedInPlaceNamesItsRegeneratedNode() {
        // r = y.select(1, 1); r.mul_(r) saves r, then modifies it
        Tensor y = Tensor.arange(6.0).requiresGrad_().mul(1.0).view(2, 3);
        Tensor r = y.select(1, 1);
        r.mul_(r);
        assertThatThrownBy(() -> y.sum().backward()).hasMessageStartingWith(
                "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], "
                        + "which is output 0 of AsStridedBackward0, is at version 1; expected version 0 instead.");
        // a saved base whose history became CopySlices is named as PyTorch's C++ prints it
        Tensor x = Tensor.arange(4.0).requiresGrad_();
        Tensor z = x.mul(1.0);
        Tensor s = z.sin();
        z.view(2, 2).select(0, 1).add_(1.0);
        assertThatThrownBy(() -> s.sum().backward()).hasMessageContaining("which is output 0 of torch::autograd::CopySlices, is at version 1;");
    }

    @Test
    void theViewsOfSplitAndUnbindMayNotBeWrittenInPlace() {
        // x.split(2)[1].mul_(2) -> RuntimeError: Output 1 of SplitBackward0 is a view and is being modified inplace. ...
        Tensor x = leaf(0, 1, 2, 3);
        assertThatThrownBy(() -> x.split(2).get(1).mul_(2.0)).hasMessage("Output 1 of SplitBackward0 is a view and is being modified inplace. "
                + "This view is the output of a function that returns multiple views. Such functions do not allow the output views to be modified inplace. "
                + "You should replace the inplace operation by an out-of-place one.");
        assertThatThrownBy(() -> x.mul(1.0).unbind(0).get(0).zero_()).hasMessageStartingWith("Output 0 of UnbindBackward0 is a view and is being modified inplace.");
        Tensor y = x.detach().unbind(0).get(2); // no history: an ordinary in-place write
        y.add_(1.0);
        assertThat(x.toFloatArray()).containsExactly(0, 1, 3, 3);
    }

    @Test
    void aRetainedViewKeepsItsGradWhenItsBaseIsWrittenInPlace() {
        // y = x * 2; v = y[1:]; v.retain_grad(); y.mul_(3); (v * v).sum().backward(); v.grad -> tensor([12., 24., 36.])
        Tensor x = leaf(0, 1, 2, 3);
        Tensor y = x.mul(2.0);
        Tensor v = y.index(Idx.slice(1, null));
        v.retainGrad();
        y.mul_(3.0);
        v.mul(v).sum().backward();
        assertThat(v.grad().toFloatArray()).containsExactly(12, 24, 36);
        assertThat(x.grad().toFloatArray()).containsExactly(0, 72, 144, 216);
    }

    @Test
    void gradChecksTheOutputsBeforeTheInputs() {
        // a = torch.arange(3.); torch.autograd.grad((a * 2).sum(), [a]) -> element 0 of tensors does not require grad ...
        Tensor a = Tensor.arange(3.0);
        assertThatThrownBy(() -> Autograd.grad(a.mul(2.0).sum(), a))
                .hasMessage("element 0 of tensors does not require grad and does not have a grad_fn");
    }

    @Test
    void anAssignedGradMustHaveTheTensorsDtype() {
        // a.grad = torch.ones(3, dtype=torch.float64) on a float32 a
        Tensor a = leaf(0, 1, 2);
        assertThatThrownBy(() -> a.setGrad(Tensor.ones(new int[] {3}, DType.FLOAT64))).hasMessage("assigned grad has data of a different type");
        // PyTorch 1.13 checks the tensor itself first, then the dtype, then the size
        assertThatThrownBy(() -> a.setGrad(a)).hasMessage("can't assign Variable as its own grad");
        assertThatThrownBy(() -> a.setGrad(Tensor.ones(new int[] {2}, DType.FLOAT64))).hasMessage("assigned grad has data of a different type");
        assertThatThrownBy(() -> a.setGrad(Tensor.ones(2))).hasMessage("assigned grad has data of a different size");
    }

    @Test
    void aViewCannotBeDetachedInPlace() {
        // torch.arange(4.).view(2, 2).detach_() -> PyTorch's full text, DDP hint included
        assertThatThrownBy(() -> Tensor.arange(4.0).view(2, 2).detach_()).hasMessage("Can't detach views in-place. Use detach() instead. "
                + "If you are using DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, "
                + "and hence detach_() cannot be called on these gradients. To fix this error, please refer to the Optimizer.zero_grad() function in "
                + "torch/optim/optimizer.py as the solution.");
    }

    @Test
    void aRetainedGradFollowsAnInPlaceOp() {
        // y = x * 2; y.retain_grad(); y.mul_(2); (y * y).sum().backward(); y.grad -> tensor([ 0.,  8., 16., 24.])
        Tensor x = leaf(0, 1, 2, 3);
        Tensor y = x.mul(2.0);
        y.retainGrad();
        y.mul_(2.0);
        y.mul(y).sum().backward();
        assertThat(y.grad().toFloatArray()).containsExactly(0, 8, 16, 24);
        assertThat(x.grad().toFloatArray()).containsExactly(0, 32, 64, 96);
        // written through a view, the base keeps its hook on the old node: y[0] = 5 -> y.grad tensor([ 0.,  4.,  8., 12.])
        Tensor z = leaf(0, 1, 2, 3).mul(2.0);
        z.retainGrad();
        z.indexPut_(new Object[] {0L}, 5.0);
        z.mul(z).sum().backward();
        assertThat(z.grad().toFloatArray()).containsExactly(0, 4, 8, 12);
    }

    @Test
    void aViewMadeUnderNoGradRequiresGradButHasNoHistory() {
        // PyTorch 1.13: with torch.no_grad(): v = x.view(4)  ->  v.requires_grad True, v.is_leaf True, grad_fn None;
        // (v * 2).sum().backward() runs but fills neither v.grad nor x.grad
        Tensor x = leaf(0, 1, 2, 3).view(2, 2).detach().requiresGrad_();
        Tensor v, sel, copy;
        try (var g = GradMode.noGrad()) {
            v = x.view(4);
            sel = x.select(0, 1);
            copy = x.t().reshape(4);
        }
        assertThat(v.requiresGrad()).isTrue();
        assertThat(v.isLeaf()).isTrue();
        assertThat(sel.requiresGrad()).isTrue();
        assertThat(copy.requiresGrad()).isFalse();
        Tensor y = v.mul(2.0).sum();
        assertThat(y.gradFn().name()).isEqualTo("SumBackward0");
        y.backward();
        assertThat(v.grad()).isNull();
        assertThat(x.grad()).isNull();
        assertThat(v.view(2, 2).gradFn().name()).isEqualTo("ViewBackward0");
        // written in place with grad mode on, directly or through a view of it: PyTorch's error
        String msg = "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given that this use case is ambiguous "
                + "and error-prone, it is forbidden. You can clarify your code by moving both the view and the inplace either both inside the no_grad "
                + "block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";
        assertThatThrownBy(() -> v.mul_(2.0)).hasMessage(msg);
        Tensor nonLeaf = x.mul(1.0), w;
        try (var g = GradMode.noGrad()) {
            w = nonLeaf.view(4);
        }
        assertThatThrownBy(() -> w.add_(1.0)).hasMessage(msg);
        // inside no_grad the write is allowed and untracked
        try (var g = GradMode.noGrad()) {
            sel.mul_(2.0);
        }
        assertThat(x.toFloatArray()).containsExactly(0, 1, 4, 6);
        // a view of a tensor that only later requires grad requires grad too
        Tensor base = Tensor.zeros(4);
        Tensor late = base.view(2, 2);
        base.requiresGrad_();
        assertThat(late.requiresGrad()).isTrue();
        assertThat(late.isLeaf()).isTrue();
    }

    @Test
    void theGradientOfASelectOrSliceCarriesPyTorchsBackwardNodeName() {
        // PyTorch 1.13: torch.autograd.grad((x[0] ** 2).sum(), x, create_graph=True)[0].grad_fn -> SelectBackwardBackward0,
        // and for (x[1:] ** 2).sum() -> SliceBackwardBackward0
        Tensor x = Tensor.of(1, 2, 3, 4).view(2, 2).detach().requiresGrad_();
        Tensor gs = Autograd.grad(new Tensor[] {x.select(0, 0).pow(2L).sum()}, new Tensor[] {x}, null, true, true)[0];
        assertThat(gs.gradFn().name()).isEqualTo("SelectBackwardBackward0");
        Tensor gl = Autograd.grad(new Tensor[] {x.slice(0, 1, 2).pow(2L).sum()}, new Tensor[] {x}, null, true, true)[0];
        assertThat(gl.gradFn().name()).isEqualTo("SliceBackwardBackward0");
    }

    @Test
    void buildingAGraphTheFirstGradientIsANewTensor() {
        // PyTorch 1.13: (x + w).sum().backward(create_graph=True) -> x.grad is not w.grad; x.backward(g, create_graph=True)
        // -> x.grad is not g; (x * x).sum().backward(create_graph=True) -> x.grad.grad_fn is CopyBackwards
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        x.add(w).sum().backward(null, false, true);
        assertThat(x.grad()).isNotSameAs(w.grad());
        assertThat(x.grad().storage()).isNotSameAs(w.grad().storage());
        assertThat(x.grad().gradFn()).isNull();
        Tensor g = Tensor.of(5, 6), v = leaf(1, 2);
        v.backward(g, false, true);
        assertThat(v.grad().storage()).isNotSameAs(g.storage());
        Tensor u = leaf(1, 2);
        u.mul(u).sum().backward(null, false, true);
        assertThat(u.grad().gradFn().name()).isEqualTo("torch::autograd::CopyBackwards");
        // a retained gradient is cloned: y.retain_grad(); (y * y).sum().backward(create_graph=True) -> CloneBackward0
        Tensor y = leaf(1, 2).mul(2.0);
        y.retainGrad();
        y.mul(y).sum().backward(null, false, true);
        assertThat(y.grad().gradFn().name()).isEqualTo("CloneBackward0");
    }

    @Test
    void anIntegerResultNeverRequiresGrad() {
        // x.sum(dtype=torch.int64) of a float x that requires grad: not differentiable, like x.long() in PyTorch 1.13
        // (whose own sum with an integer dtype trips an internal assert instead)
        Tensor x = leaf(1.5f, 2.5f);
        Tensor s = x.sum(null, false, DType.INT64);
        assertThat(s.requiresGrad()).isFalse();
        assertThat(s.gradFn()).isNull();
        assertThat(x.to(DType.INT64).requiresGrad()).isFalse();
    }

    @Test
    void reluPassesTheGradientThroughNaN() {
        // x = torch.tensor([nan, -1., 0., 2.], dtype=torch.float64, requires_grad=True); x.relu().sum().backward()
        // x.grad -> tensor([1., 0., 0., 1.]): threshold_backward zeroes only where the result is <= 0
        Tensor x = Tensor.tensor(new double[] {Double.NaN, -1, 0, 2}).requiresGrad_();
        x.relu().sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(1, 0, 0, 1);
    }

    @Test
    void nodeNamesFollowTheOverloadPyTorchCalls() {
        Tensor x = Tensor.arange(0.0, 6.0).view(2, 3).requiresGrad_();
        // x.mul(1).sort(dim=1, stable=True)[0].grad_fn -> SortBackward1; x.mul(1).sort(1)[0].grad_fn -> SortBackward0
        assertThat(x.mul(1.0).sort(1, false, true).values().gradFn().name()).isEqualTo("SortBackward1");
        assertThat(x.mul(1.0).sort(1, false).values().gradFn().name()).isEqualTo("SortBackward0");
        // x[:, :0].chunk(2, 1)[0].grad_fn -> SplitWithSizesBackward0 (an empty dim keeps its chunk count that way)
        assertThat(x.index(":, :0").chunk(2, 1).getFirst().gradFn().name()).isEqualTo("SplitWithSizesBackward0");
        // y = x.mul(1); y[()] = 2.5; y.grad_fn -> FillBackward3 (setitem fills from a 0-dim value)
        Tensor y = x.mul(1.0);
        y.indexPut_(new Object[0], 2.5);
        assertThat(y.gradFn().name()).isEqualTo("FillBackward3");
        // v = torch.tensor(2., requires_grad=True); x.mul(1).fill_(v).sum().backward(); v.grad -> 6.
        Tensor v = Tensor.full(new int[0], 2.0).requiresGrad_();
        x.mul(1.0).fill_(v).sum().backward();
        assertThat(v.grad().item()).isEqualTo(6.0);
        // y = x.t().reshape(-1): a copy (_unsafe_view), no view, so y.add_(1).grad_fn -> AddBackward0, not a CopySlices view
        Tensor r = x.t().reshape(-1);
        assertThat(r.gradFn().name()).isEqualTo("UnsafeViewBackward0");
        assertThat(r.isView()).isFalse();
        assertThat(r.add_(1.0).gradFn().name()).isEqualTo("AddBackward0");
    }

    @Test
    void aModifiedSavedTensorWithoutHistoryIsNamedWithoutANode() {
        // vals, idx = x.mul(1).sort(0); out = vals * 1; idx.add_(1); out.sum().backward()
        Tensor x = leaf(0, 1, 2);
        Tensor.ValuesIndices s = x.mul(1.0).sort(0, false);
        Tensor out = s.values().mul(1.0);
        s.indices().add_(1L);
        assertThatThrownBy(() -> out.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.LongTensor [3]] is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation "
                + "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        // m = tensor([True, False, True]); o = torch.where(m, x, x * 2); m.logical_not_(): PyTorch prints a bool tensor's type as CPUBoolType
        Tensor m = Tensor.tensor(new boolean[] {true, false, true});
        Tensor o = Tensor.where(m, x, x.mul(2.0));
        m.fill_(0L);
        assertThatThrownBy(() -> o.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [CPUBoolType [3]] is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation "
                + "that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
    }

    @Test
    void inPlaceOpsSaveTheTensorTheyWroteAndViewsOfAnyRootLayoutWork() {
        String hint = " Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).";
        // y = x.mul(1); y.sigmoid_(); z = y * 1; y.zero_(); z.sum().backward(): sigmoid_ saved y itself
        Tensor x = Tensor.zeros(2).requiresGrad_();
        Tensor y = x.mul(1.0);
        y.sigmoid_();
        Tensor z = y.mul(1.0);
        y.zero_();
        assertThatThrownBy(() -> z.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at version 2; expected version 1 instead." + hint);
        // v, i = torch.zeros(2, 3, requires_grad=True).max(1); i.add_(1); v.sum().backward(): the returned indices are saved
        Tensor.ValuesIndices m = Tensor.zeros(2, 3).requiresGrad_().max(1);
        m.indices().add_(1L);
        assertThatThrownBy(() -> m.values().sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an "
                + "inplace operation: [torch.LongTensor [2]] is at version 1; expected version 0 instead." + hint);
        // c = torch.zeros(2).mul(1); c.copy_(x); w = c.pow(2); c.detach().zero_(); w.sum().backward()
        Tensor c = Tensor.zeros(2).mul(1.0);
        c.copy_(x);
        Tensor w = c.pow(2L);
        c.detach().zero_();
        assertThatThrownBy(() -> w.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [2]], which is output 0 of torch::autograd::CopyBackwards, is at version 2; expected version 1 instead." + hint);
        // a = torch.arange(6.).view(2, 3).requires_grad_(); b = a.t().mul(2) (strides (1, 3)); b[0].mul_(3)
        // (b * torch.arange(6.).view(3, 2)).sum().backward(); a.grad -> [[0, 4, 8], [6, 6, 10]]
        Tensor a = Tensor.arange(0.0, 6.0).view(2, 3).requiresGrad_();
        Tensor b = a.t().mul(2.0);
        Tensor row = b.select(0, 0);
        row.mul_(3.0);
        assertThat(row.gradFn().name()).isEqualTo("AsStridedBackward0");
        b.mul(Tensor.arange(0.0, 6.0).view(3, 2)).sum().backward();
        assertThat(a.grad().toDoubleArray()).containsExactly(0, 4, 8, 6, 6, 10);
        // torch.zeros(3, requires_grad=True)[torch.tensor([0.5])] = 1.0: the leaf check comes before the index dtype check
        Tensor leafX = Tensor.zeros(3).requiresGrad_();
        assertThatThrownBy(() -> leafX.indexPut_(new Object[] {Tensor.tensor(new double[] {0.5})}, 1.0))
                .hasMessage("a leaf Variable that requires grad is being used in an in-place operation.");
    }

    @Test
    void savedResultsAreCheckedEvenWhereTheFormulaDoesNotReadThem() {
        String hint = " Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).";
        // y = torch.tensor([1., 2., 3.], requires_grad=True).prod(0, keepdim=True); y.add_(2); y.sum().backward()
        Tensor y = leaf(1, 2, 3).prod(0, true);
        y.add_(2.0);
        assertThatThrownBy(() -> y.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [1]], which is output 0 of ProdBackward1, is at version 1; expected version 0 instead." + hint);
        // x = torch.tensor(2., requires_grad=True); y = torch.pow(2., x); y.mul_(1); y.backward()
        Tensor p = Tensor.pow(2.0, Tensor.full(new int[0], 2.0).requiresGrad_());
        p.mul_(1.0);
        assertThatThrownBy(p::backward).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor []], which is output 0 of PowBackward2, is at version 1; expected version 0 instead." + hint);
    }
}
