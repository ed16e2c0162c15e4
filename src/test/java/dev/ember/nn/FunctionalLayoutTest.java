package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The strides of torch.nn.functional results on a transposed input: PyTorch's elementwise activations follow the
 * input's memory order, its normalizations, log_sigmoid, prelu and masked_fill are row-major. An exported graph
 * may {@code view} any of them, so a result that is not row-major where PyTorch's is would break it. Expected
 * strides are PyTorch 1.13's.
 */
class FunctionalLayoutTest {
    /** t = ((torch.arange(12.).view(3, 4).t() - 5.5) / 3) */
    private static Tensor t() { return Tensor.arange(0.0, 12.0).view(3, 4).t().sub(5.5).div(3.0); }

    @Test
    void elementwiseActivationsFollowTheInput() {
        assertThat(F.gelu(t()).strides()).containsExactly(1, 4);
        assertThat(F.gelu(t(), "tanh").strides()).containsExactly(1, 4);
        assertThat(F.silu(t()).strides()).containsExactly(1, 4);
        assertThat(F.elu(t()).strides()).containsExactly(1, 4);
        assertThat(F.leakyRelu(t()).strides()).containsExactly(1, 4);
        assertThat(F.hardswish(t()).strides()).containsExactly(1, 4);
        assertThat(F.mish(t()).strides()).containsExactly(1, 4);
        assertThat(F.dropout(t(), 0.5, true).strides()).containsExactly(1, 4);
        assertThat(F.gelu(t()).tolist()).isEqualTo(F.gelu(t().contiguous()).tolist());
    }

    @Test
    void kernelsWithRowMajorResultsStayRowMajor() {
        assertThat(F.logsigmoid(t()).strides()).containsExactly(3, 1);
        assertThat(F.prelu(t(), Tensor.of(0.25f)).strides()).containsExactly(3, 1);
        assertThat(F.softmin(t(), 1).strides()).containsExactly(3, 1);
        assertThat(F.pad(t(), 1, 1).strides()).containsExactly(5, 1);
        assertThat(t().maskedFill(t().gt(0.0), 1.0).strides()).containsExactly(3, 1);
        assertThat(F.layerNorm(Tensor.arange(0.0, 24.0).view(2, 3, 4).permute(2, 0, 1), 3).strides()).containsExactly(6, 3, 1);
        assertThat(F.logsigmoid(t()).tolist()).isEqualTo(F.logsigmoid(t().contiguous()).tolist());
    }
}
