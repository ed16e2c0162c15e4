package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tensors PyTorch 1.13 saves for backward even where the gradient does not read their values (index tensors, the
 * operands of a rounding division, the indices of a 0-dim min): its generated nodes unpack every saved tensor, so an
 * in-place write to one before backward fails with the version error. Messages from the Python run quoted above each.
 */
class SavedTensorVersionsTest {

    static final String HINT = " Hint: enable anomaly detection to find the operation that failed to compute its gradient, with "
            + "torch.autograd.set_detect_anomaly(True).";

    static String changed(String tensor) {
        return "one of the variables needed for gradient computation has been modified by an inplace operation: [" + tensor + "] is at version 1; "
                + "expected version 0 instead." + HINT;
    }

    static Tensor leaf(double... v) { return Tensor.tensor(v, DType.FLOAT32).requiresGrad_(); }

    static Tensor longs(long... v) { return Tensor.tensor(v); }

    @Test
    void indexTensorsAreSavedAndVersionChecked() {
        String changed = changed("torch.LongTensor [2]");
        // x = torch.tensor([1., 2., 3.], requires_grad=True); i = torch.tensor([0, 2]); y = x[i]; i.add_(1); y.sum().backward()
        Tensor x = leaf(1, 2, 3);
        Tensor i = longs(0, 2);
        Tensor y = x.index(i);
        i.add_(1L);
        assertThatThrownBy(() -> y.sum().backward()).isInstanceOf(IllegalStateException.class).hasMessage(changed);
        // z = x.clone(); j = torch.tensor([0, 2]); z[j] = torch.tensor([5., 6.], requires_grad=True); j.add_(1); z.sum().backward()
        Tensor z = x.clone();
        Tensor j = longs(0, 2);
        z.indexPut_(new Object[] {j}, leaf(5, 6));
        j.add_(1L);
        assertThatThrownBy(() -> z.sum().backward()).hasMessage(changed);
    }

    @Test
    void anUnpackedOutputKeepsTheGradFnItWasUnpackedWith() {
        // x = torch.tensor([0.5, -1.], requires_grad=True); y = x.sigmoid(); g, = torch.autograd.grad(y.sum(), x, create_graph=True)
        // y.mul_(-0.5); g.sum().backward() -> SigmoidBackwardBackward0 saved the output SigmoidBackward0 unpacked, a new
        // tensor whose grad_fn stays SigmoidBackward0 although y's own is MulBackward0 now (found by the autograd script fuzzer, 10120)
        Tensor x = leaf(0.5, -1);
        Tensor y = x.sigmoid();
        Tensor g = Autograd.grad(new Tensor[] {y.sum()}, new Tensor[] {x}, null, false, true)[0];
        y.mul_(-0.5);
        assertThat(y.gradFn().name()).isEqualTo("MulBackward0");
        assertThatThrownBy(() -> g.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2]], which is output 0 of SigmoidBackward0, is at version 1; expected version 0 instead." + HINT);
    }

    @Test
    void mulUnpacksSelfFirst() {
        // x = torch.ones(2, 3, requires_grad=True); a = x * 1; v = a[0]; c = a * v; v.add_(1); c.sum().backward()
        // -> names self, a, whose grad_fn is CopySlices now (found by the autograd script fuzzer, 9304 and 9313)
        Tensor x = Tensor.ones(2, 3).requiresGrad_();
        Tensor a = x.mul(1.0), v = a.select(0, 0);
        Tensor c = a.mul(v);
        v.add_(1.0);
        assertThatThrownBy(() -> c.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2, 3]], which is output 0 of torch::autograd::CopySlices, is at version 1; expected version 0 instead." + HINT);
    }

    @Test
    void aRoundingDivisionSavesItsOperands() {
        // s = torch.tensor(3.); o = torch.tensor([1.5, 2.], requires_grad=True); r = torch.div(s, o, rounding_mode='trunc')
        // s.mul_(0.5); r.sum().backward(): self is saved because other's gradient is wanted
        Tensor s = Tensor.scalar(3.0), o = leaf(1.5, 2);
        Tensor r = s.div(o, "trunc");
        s.mul_(0.5);
        assertThatThrownBy(() -> r.sum().backward()).isInstanceOf(IllegalStateException.class).hasMessage(changed("torch.FloatTensor []"));
        // r = torch.div(o, s, rounding_mode='floor'); s.mul_(0.5) -> the same: other is always saved
        Tensor s2 = Tensor.scalar(3.0);
        Tensor r2 = o.div(s2, "floor");
        s2.mul_(0.5);
        assertThatThrownBy(() -> r2.sum().backward()).hasMessage(changed("torch.FloatTensor []"));
        // r = torch.div(s, o, rounding_mode='floor'); with torch.no_grad(): o.mul_(2) -> "[torch.FloatTensor [2]] ..."
        Tensor o3 = leaf(1.5, 2);
        Tensor r3 = Tensor.scalar(3.0).div(o3, "floor");
        try (var ng = GradMode.noGrad()) {
            o3.mul_(2.0);
        }
        assertThatThrownBy(() -> r3.sum().backward()).hasMessage(changed("torch.FloatTensor [2]"));
        // untouched, the gradients are zeros: o.grad -> tensor([0., 0.])
        Tensor o4 = leaf(1.5, 2);
        Tensor.scalar(3.0).div(o4, "trunc").sum().backward();
        assertThat(o4.grad().toDoubleArray()).containsExactly(0, 0);
    }

    @Test
    void theIndicesOfAZeroDimMinAreSaved() {
        // x = torch.tensor(2., requires_grad=True); v, i = x.min(0); i.add_(1); v.backward()
        Tensor x = Tensor.scalar(2.0).requiresGrad_();
        var vi = x.min(0);
        vi.indices().add_(1L);
        assertThatThrownBy(() -> vi.values().backward()).hasMessage(changed("torch.LongTensor []"));
    }

    /** take's index, masked_select's mask and sgn's result are unpacked by PyTorch's nodes even though the rules do not read them. */
    @Test
    void savedTensorsTheRuleDoesNotReadAreStillChecked() {
        // a = torch.tensor([1., 2, 3], requires_grad=True); i = torch.tensor([2, 0]); y = a.take(i); i.add_(0); y.sum().backward()
        Tensor a = Tensor.fromArray(new float[] {1, 2, 3}, 3).requiresGrad_(true);
        Tensor i = Tensor.fromArray(new long[] {2, 0}, 2);
        Tensor taken = a.take(i);
        i.add_(0L);
        assertThatThrownBy(() -> taken.sum().backward()).hasMessage(changed("torch.LongTensor [2]"));
        // m = torch.tensor([True, False, True]); y = a.masked_select(m); m.logical_not_(), here as bitwise_not_
        Tensor m = Tensor.tensor(new boolean[] {true, false, true});
        Tensor selected = a.maskedSelect(m);
        m.bitwiseNot_();
        assertThatThrownBy(() -> selected.sum().backward()).hasMessage(changed("CPUBoolType [3]"));
        // s = (a * 1).sgn(); s.mul_(2); s.sum().backward()
        Tensor s = a.mul(1.0).sgn();
        s.mul_(2.0);
        assertThatThrownBy(() -> s.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [3]], which is output 0 of SgnBackward0, is at version 1; expected version 0 instead." + HINT);
    }

    @Test
    void aViewWrittenInPlaceIsNamedByItsRebasedGradFnWhileSomethingHoldsIt() {
        // autograd script 10996. x = tensor([[2., -1.25], [1., 0.25], [1.25, -1.]], requires_grad=True)
        // y = x.clone(); v = y.select(0, 2); v.relu_()  -> v.grad_fn AsStridedBackward0, which ReluBackward0 saved with v
        String relu = "one of the variables needed for gradient computation has been modified by an inplace operation: [torch.FloatTensor [2]], "
                + "which is output 0 of ReluBackward0, is at version 2; expected version 1 instead." + HINT;
        String asStrided = relu.replace("ReluBackward0", "AsStridedBackward0");
        // v.mul_(2.); y.sum().backward(retain_graph=True)  -> the mul's node, wrapped by a live CopySlices, holds it
        Tensor[] r = reluOnView();
        r[1].mul_(2.0);
        assertThatThrownBy(() -> r[0].sum().backward(null, true, false)).hasMessage(asStrided);
        // v.mul_(2.); y.sum().backward()  -> that CopySlices was released before ReluBackward0 ran: nothing holds it
        Tensor[] f = reluOnView();
        f[1].mul_(2.0);
        assertThatThrownBy(() -> f[0].sum().backward()).hasMessage(relu);
    }

    private static Tensor[] reluOnView() {
        Tensor x = Tensor.tensor(new float[][] {{2, -1.25f}, {1, 0.25f}, {1.25f, -1}}).requiresGrad_();
        Tensor y = x.clone();
        Tensor v = y.select(0, 2);
        v.relu_();
        assertThat(v.gradFn().name()).isEqualTo("AsStridedBackward0");
        return new Tensor[] {y, v};
    }

    /**
     * Checked in PyTorch 1.13: x = randn(3, 3, requires_grad=True); w = randn(3, 3); h = x * 2; y = op(h, w);
     * h.add_(1); y.sum().backward() runs for each op below, because h is only read by w's formula, which no one
     * needs. A node that checked every tensor it saved would refuse them.
     */
    @Test
    void anOperandOnlyTheOtherInputsFormulaReadsMayChange() {
        java.util.Map<String, java.util.function.BinaryOperator<Tensor>> ops = new java.util.LinkedHashMap<>();
        ops.put("mm", Tensor::mm);
        ops.put("mm, h second", (h, w) -> w.mm(h));
        ops.put("matmul", Tensor::matmul);
        ops.put("addmm", (h, w) -> Tensor.addmm(w, h, w));
        ops.put("baddbmm", (h, w) -> Tensor.baddbmm(w.unsqueeze(0), h.unsqueeze(0), w.unsqueeze(0)));
        ops.put("mv", (h, w) -> w.mv(h.select(0, 0)));
        ops.put("dot", (h, w) -> h.select(0, 0).dot(w.select(0, 0)));
        ops.put("mul", Tensor::mul);
        ops.put("div", Tensor::div);
        ops.put("addcmul", (h, w) -> w.addcmul(h, w, 1L));
        ops.put("einsum", (h, w) -> Tensor.einsum("ij,jk->ik", h, w));
        ops.put("linear", (h, w) -> dev.ember.nn.functional.F.linear(h, w, null));
        ops.put("cross", (h, w) -> h.cross(w, 1));
        for (var op : ops.entrySet()) {
            Tensor x = Tensor.randn(new dev.ember.tensor.Generator(3), 3, 3).requiresGrad_();
            Tensor w = Tensor.randn(new dev.ember.tensor.Generator(4), 3, 3);
            Tensor h = x.mul(2.0);
            Tensor y = op.getValue().apply(h, w);
            h.add_(1.0);
            y.sum().backward();
            assertThat(x.grad()).as(op.getKey()).isNotNull();
        }
    }

    @Test
    void lerpWithAWeightTensorSavesTheWeightAlwaysAndItsEndsForTheWeightsGradient() {
        // a = torch.rand(3, requires_grad=True); b = torch.rand(3); w = torch.rand(3); y = torch.lerp(a, b, w); w.add_(1)
        // y.sum().backward() -> the version error (the weight is saved for self's gradient)
        Tensor a = leaf(0.25, 0.5, 0.75), w = Tensor.tensor(new double[] {0.5, 0.25, 1}, DType.FLOAT32);
        Tensor y = a.lerp(Tensor.ones(3), w);
        w.add_(1.0);
        assertThatThrownBy(() -> y.sum().backward()).hasMessage(changed("torch.FloatTensor [3]"));
        // w = torch.rand(3, requires_grad=True); w2 = w * 1; y = torch.lerp(torch.rand(3), torch.rand(3), w2); w2.add_(1)
        // y.sum().backward() -> the version error, though the weight's own formula reads only self and end
        Tensor w2 = leaf(0.5, 0.25, 1).mul(1.0);
        Tensor y2 = Tensor.zeros(3).lerp(Tensor.ones(3), w2);
        w2.add_(1.0);
        assertThatThrownBy(() -> y2.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead." + HINT);
        // b = torch.rand(3); y = torch.lerp(a, b, torch.rand(3)); b.add_(1); y.sum().backward() -> runs: end is saved only
        // for the weight's gradient
        Tensor b = Tensor.ones(3);
        Tensor y3 = a.lerp(b, Tensor.full(new int[] {3}, 0.5));
        b.add_(1.0);
        y3.sum().backward();
        assertThat(a.grad().tolist()).isEqualTo(java.util.List.of(0.5, 0.5, 0.5));
        // a = torch.rand(2, 3, requires_grad=True) * 1; b = torch.rand(1, 1, 3, requires_grad=True) * 1; w = torch.rand(3, requires_grad=True)
        // y = torch.lerp(a, b, w); a.add_(1); b.add_(1); y.sum().backward() -> names self (the weight, self, end order)
        Tensor s = Tensor.ones(2, 3).requiresGrad_().mul(1.0), e = Tensor.ones(1, 1, 3).requiresGrad_().mul(1.0);
        Tensor y4 = s.lerp(e, leaf(0.5, 0.25, 1));
        s.add_(1.0);
        e.add_(1.0);
        assertThatThrownBy(() -> y4.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [2, 3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead." + HINT);
    }

    @Test
    void preluSavesItsInputAndWeight() {
        // x = torch.rand(3, 4, requires_grad=True); w = torch.rand(4); y = torch.prelu(x, w); w.add_(1); y.sum().backward()
        Tensor x = Tensor.ones(3, 4).requiresGrad_(), w = Tensor.full(new int[] {4}, 0.25);
        Tensor y = dev.ember.nn.functional.F.prelu(x, w);
        w.add_(1.0);
        assertThatThrownBy(() -> y.sum().backward()).hasMessage(changed("torch.FloatTensor [4]"));
        // xx = torch.rand(3, 4, requires_grad=True); x3 = xx * 1; y = torch.prelu(x3.t(), torch.rand(3)); x3.add_(1)
        // y.sum().backward() -> the version error on the transposed view (PyTorch saves the view, not a row-major copy)
        Tensor x3 = Tensor.ones(3, 4).requiresGrad_().mul(1.0);
        Tensor y2 = dev.ember.nn.functional.F.prelu(x3.t(), Tensor.full(new int[] {3}, 0.25));
        assertThat(y2.gradFn().name()).isEqualTo("PreluBackward0");
        x3.add_(1.0);
        assertThatThrownBy(() -> y2.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [4, 3]], which is output 0 of AsStridedBackward0, is at version 1; expected version 0 instead." + HINT);
    }

    @Test
    void addcdivSavesTensor2AlwaysAndPutSavesSourceForItsOwnGradientOnly() {
        // a = torch.tensor([1., 2.], requires_grad=True); t1 = torch.tensor([1., 1.]); t2 = torch.tensor([2., 4.])
        // y = a.addcdiv(t1, t2, value=0.5); t2.mul_(2); y.sum().backward() -> the version error: both tensor1's and
        // tensor2's formulas read tensor2, so it is saved though only self requires grad (program seeds 305751, 318140)
        Tensor a = leaf(1, 2), t1 = Tensor.tensor(new double[] {1, 1}, DType.FLOAT32), t2 = Tensor.tensor(new double[] {2, 4}, DType.FLOAT32);
        Tensor y = a.addcdiv(t1, t2, 0.5);
        t2.mul_(2.0);
        assertThatThrownBy(() -> y.sum().backward()).hasMessage(changed("torch.FloatTensor [2]"));
        // y = a.addcdiv(t1, t2, value=0.5); t1.mul_(2); y.sum().backward() -> runs, a.grad [1., 1.]: tensor1 is saved for
        // tensor2's gradient only; y = a.addcmul(t1, t2); t1.mul_(2); t2.mul_(2) -> runs too
        Tensor y2 = a.addcdiv(t1, t2, 0.5), y3 = a.addcmul(t1, t2, 1L);
        t1.mul_(2.0);
        y2.sum().backward();
        t2.mul_(2.0);
        y3.sum().backward();
        assertThat(a.grad().tolist()).isEqualTo(java.util.List.of(2.0, 2.0));
        // x = torch.tensor([1., 2., 3.], requires_grad=True); s = torch.tensor([5., 6.]); y = x.put(torch.tensor([0, 2]), s)
        // s.mul_(2); y.sum().backward() -> runs, x.grad [0., 1., 0.]: self's formula needs only source's shape (seeds 319282,
        // 320922, 321215)
        Tensor x = leaf(1, 2, 3), s = Tensor.tensor(new double[] {5, 6}, DType.FLOAT32);
        Tensor z = x.put(longs(0, 2), s);
        s.mul_(2.0);
        z.sum().backward();
        assertThat(x.grad().tolist()).isEqualTo(java.util.List.of(0.0, 1.0, 0.0));
        // s = torch.tensor([5., 6.], requires_grad=True); s2 = s * 1; y = torch.zeros(3).put(torch.tensor([0, 2]), s2, accumulate=True)
        // s2.mul_(2); y.sum().backward() -> the version error: source is saved for its own gradient
        Tensor s2 = leaf(5, 6).mul(1.0);
        Tensor z2 = Tensor.zeros(3).put(longs(0, 2), s2, true);
        s2.mul_(2.0);
        assertThatThrownBy(() -> z2.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace "
                + "operation: [torch.FloatTensor [2]], which is output 0 of MulBackward0, is at version 1; expected version 0 instead." + HINT);
    }

    @Test
    void compositeResultsAreAtVersionZero() {
        // x = torch.tensor([2., 0.5], requires_grad=True); torch.mvlgamma(x, 2)._version, x.logit()._version,
        // x.logit(0.25)._version, x.diagflat()._version, torch.diag(x, 1)._version -> all 0: ATen's in-place steps
        // (mvlgamma's add_ of the constant) run below autograd, so a tensor a later op saves from the result is at
        // version 0 in its version error (program seed 327453)
        Tensor x = leaf(2, 0.5);
        for (Tensor y : new Tensor[] {x.mvlgamma(2), x.logit(), x.logit(0.25), x.diagflat(), x.diag(1)})
            assertThat(y.version()).isZero();
    }
}
