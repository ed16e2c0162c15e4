package dev.ember.tensor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** PyTorch's memory-overlap errors for ops that write into an existing tensor; expected text from PyTorch 1.13. */
class MemoryOverlapTest {
    private static final String INTERNAL = "unsupported operation: more than one element of the written-to tensor refers to a single memory location. "
            + "Please clone() the tensor before performing the operation.";
    private static final String PARTIAL = "unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. "
            + "Please clone() the tensor before performing the operation.";

    private static Tensor expanded() { return Tensor.of(1, 2).expand(3, 2); }

    @Test
    void writingThroughAnExpandedTensorFails() {
        // e = torch.tensor([1., 2.]).expand(3, 2); e.add_(1.) / e.relu_() / e.copy_(torch.ones(3, 2)) / e.scatter_(...) all raise
        assertThatThrownBy(() -> expanded().add_(1.0)).hasMessage(INTERNAL);
        assertThatThrownBy(() -> expanded().mul_(Tensor.ones(3, 2))).hasMessage(INTERNAL);
        assertThatThrownBy(() -> expanded().relu_()).hasMessage(INTERNAL);
        assertThatThrownBy(() -> expanded().clamp_(0.0, 1.0)).hasMessage(INTERNAL);
        assertThatThrownBy(() -> expanded().copy_(Tensor.ones(3, 2))).hasMessage(INTERNAL);
        assertThatThrownBy(() -> expanded().scatter_(0, Tensor.tensor(new long[][] {{0, 1}}), 5.0)).hasMessage(INTERNAL);
        // e.fill_(1.) and e.zero_() are allowed
        assertThat(expanded().fill_(1.0).toString()).isEqualTo("tensor([[1., 1.],\n        [1., 1.],\n        [1., 1.]])");
    }

    @Test
    void anInputPartlyOverlappingTheOutputFails() {
        // a = torch.arange(4.); a[1:].add_(a[:3]) / a[1:].copy_(a[:3]) / a[1:] = a[:3] raise
        Tensor a = Tensor.arange(0.0, 4.0);
        assertThatThrownBy(() -> a.index("1:").add_(a.index(":3"))).hasMessage(PARTIAL);
        assertThatThrownBy(() -> a.index("1:").copy_(a.index(":3"))).hasMessage(PARTIAL);
        assertThatThrownBy(() -> a.indexPut_(new Object[] {Idx.slice(1, null)}, a.index(":3"))).hasMessage(PARTIAL);
        assertThatThrownBy(() -> a.index("1:").lerp_(a.index(":3"), 0.5)).hasMessage(PARTIAL);
        assertThatThrownBy(() -> a.index("1:").addOut(a.index(":3"), a.index("1:"))).hasMessage(PARTIAL);
        // b = torch.arange(4.).view(2, 2); b.add_(b.t()): same memory, different order
        Tensor b = Tensor.arange(0.0, 4.0).view(2, 2);
        assertThatThrownBy(() -> b.add_(b.t())).hasMessage(PARTIAL);
        // with grad recording the check comes first too
        Tensor y = Tensor.arange(0.0, 4.0).requiresGrad_().mul(1.0);
        assertThatThrownBy(() -> y.index("1:").add_(y.index(":3"))).hasMessage(PARTIAL);
        assertThat(a.toString()).isEqualTo("tensor([0., 1., 2., 3.])");
    }

    @Test
    void fullOverlapDisjointAndInterleavedViewsAreAllowed() {
        // a.add_(a.view(4)) -> [0, 2, 4, 6]; a[:2].add_(a[2:]) -> [2, 4, 2, 3];
        // c = torch.arange(8.); c[::2].add_(c[1::2]) -> [1, 1, 5, 3, 9, 5, 13, 7] (PyTorch cannot tell, so allows it)
        Tensor a = Tensor.arange(0.0, 4.0);
        a.add_(a.view(4));
        assertThat(a.toFloatArray()).containsExactly(0, 2, 4, 6);
        Tensor d = Tensor.arange(0.0, 4.0);
        d.index(":2").add_(d.index("2:"));
        assertThat(d.toFloatArray()).containsExactly(2, 4, 2, 3);
        Tensor c = Tensor.arange(0.0, 8.0);
        c.index("::2").add_(c.index("1::2"));
        assertThat(c.toFloatArray()).containsExactly(1, 1, 5, 3, 9, 5, 13, 7);
        // a[1:].mul_(a[:3].clone()) -> [0, 0, 2, 6]
        Tensor e = Tensor.arange(0.0, 4.0);
        e.index("1:").mul_(e.index(":3").clone());
        assertThat(e.toFloatArray()).containsExactly(0, 0, 2, 6);
    }

    @Test
    void nonOverlappingAndDenseLayouts() {
        assertThat(Tensor.zeros(3, 4).layout().isNonOverlappingAndDense()).isTrue();
        assertThat(Tensor.zeros(3, 4).t().layout().isNonOverlappingAndDense()).isTrue();
        assertThat(Tensor.zeros(3, 4).permute(1, 0).unsqueeze(1).layout().isNonOverlappingAndDense()).isTrue();
        assertThat(Tensor.zeros(6).index("::2").layout().isNonOverlappingAndDense()).isFalse();
        assertThat(Tensor.zeros(3, 1).expand(3, 4).layout().isNonOverlappingAndDense()).isFalse();
        assertThat(Tensor.zeros(0, 4).layout().isNonOverlappingAndDense()).isTrue();
    }
}
