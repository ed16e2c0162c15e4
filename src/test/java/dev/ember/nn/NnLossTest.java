package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every loss, reduction and option against PyTorch (tools/fixtures/fx_nn_loss.py). */
class NnLossTest {

    @TestFactory
    Stream<DynamicTest> nnLoss() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("mse_loss", (x, k) -> F.mseLoss(x[0], x[1], k.s("r"))),
                entry("l1_loss", (x, k) -> F.l1Loss(x[0], x[1], k.s("r"))),
                entry("smooth_l1_loss", (x, k) -> F.smoothL1Loss(x[0], x[1], k.s("r"), k.d("beta"))),
                entry("huber_loss", (x, k) -> F.huberLoss(x[0], x[1], k.s("r"), k.d("delta"))),
                entry("soft_margin_loss", (x, k) -> F.softMarginLoss(x[0], x[1], k.s("r"))),
                entry("kl_div", (x, k) -> F.klDiv(x[0], x[1], k.s("r"), k.b("lt"))),
                entry("poisson_nll_loss", (x, k) -> F.poissonNllLoss(x[0], x[1], k.b("li"), k.b("full"), 1e-8, k.s("r"))),
                entry("margin_ranking_loss", (x, k) -> F.marginRankingLoss(x[0], x[1], x[2], k.d("m"), k.s("r"))),
                entry("hinge_embedding_loss", (x, k) -> F.hingeEmbeddingLoss(x[0], x[1], k.d("m"), k.s("r"))),
                entry("cross_entropy", (x, k) -> F.crossEntropy(x[0], x[1], null, -100, k.s("r"), 0.0)),
                entry("cross_entropy_full", (x, k) -> F.crossEntropy(x[0], x[1], x[2], k.i("ii"), k.s("r"), k.d("ls"))),
                entry("cross_entropy_smooth", (x, k) -> F.crossEntropy(x[0], x[1], null, k.i("ii"), k.s("r"), k.d("ls"))),
                entry("cross_entropy_probs", (x, k) -> F.crossEntropy(x[0], x[1], null, -100, k.s("r"), k.d("ls"))),
                entry("cross_entropy_probs_w", (x, k) -> F.crossEntropy(x[0], x[1], x[2], -100, k.s("r"), k.d("ls"))),
                entry("nll_loss", (x, k) -> F.nllLoss(x[0], x[1], null, -100, k.s("r"))),
                entry("nll_loss_full", (x, k) -> F.nllLoss(x[0], x[1], x[2], k.i("ii"), k.s("r"))),
                entry("binary_cross_entropy", (x, k) -> F.binaryCrossEntropy(x[0], x[1], null, k.s("r"))),
                entry("binary_cross_entropy_w", (x, k) -> F.binaryCrossEntropy(x[0], x[1], x[2], k.s("r"))),
                entry("binary_cross_entropy_with_logits", (x, k) -> F.binaryCrossEntropyWithLogits(x[0], x[1], null, null, k.s("r"))),
                entry("binary_cross_entropy_with_logits_full", (x, k) -> F.binaryCrossEntropyWithLogits(x[0], x[1], x[2], x[3], k.s("r"))),
                entry("multilabel_margin_loss", (x, k) -> F.multilabelMarginLoss(x[0], x[1], k.s("r"))),
                entry("multi_margin_loss", (x, k) -> F.multiMarginLoss(x[0], x[1], k.i("p"), k.d("m"), null, k.s("r"))),
                entry("multi_margin_loss_full", (x, k) -> F.multiMarginLoss(x[0], x[1], k.i("p"), k.d("m"), x[2], k.s("r"))),
                entry("multilabel_soft_margin_loss", (x, k) -> F.multilabelSoftMarginLoss(x[0], x[1], null, k.s("r"))),
                entry("multilabel_soft_margin_loss_w", (x, k) -> F.multilabelSoftMarginLoss(x[0], x[1], x[2], k.s("r"))),
                entry("cosine_embedding_loss", (x, k) -> F.cosineEmbeddingLoss(x[0], x[1], x[2], k.d("m"), k.s("r"))),
                entry("triplet_margin_loss", (x, k) -> F.tripletMarginLoss(x[0], x[1], x[2], k.d("m"), k.d("pn"), 1e-6, k.b("swap"), k.s("r"))),
                entry("ctc_loss", (x, k) -> F.ctcLoss(x[0], x[1], x[2], x[3], k.i("blank"), k.s("r"), k.b("zi")))
        );
        return OpCases.run("nn_loss", ops);
    }

    @Test
    void mseAndHuberRefuseAnotherTargetDtypeInBackward() {
        // PyTorch 1.13: the forward promotes, the backward's TensorIterator refuses mixed dtypes (the blitz's int64 target)
        Tensor x = Tensor.ones(2, 3).requiresGrad_();
        Tensor mse = F.mseLoss(x, Tensor.arange(6).view(2, 3));
        assertThat(mse.dtype()).isEqualTo(DType.FLOAT32);
        assertThatThrownBy(mse::backward).hasMessage("Found dtype Long but expected Float");
        Tensor huber = F.huberLoss(x, Tensor.zeros(new int[] {2, 3}, DType.FLOAT64), "mean", 1.0);
        assertThatThrownBy(huber::backward).hasMessage("Found dtype Double but expected Float");
        // smooth_l1_loss's and l1_loss's backward promote
        F.smoothL1Loss(x, Tensor.arange(6).view(2, 3), "mean", 1.0).backward();
        F.l1Loss(x, Tensor.arange(6).view(2, 3), "mean").backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([[ 0.3333,  0.0000, -0.3333],\n        [-0.3333, -0.3333, -0.3333]])");
    }

    @Test
    void aSameShapedInputIsNotExpanded() {
        // broadcast_tensors hands back a tensor that has the shape already: MseLossBackward0 -> MulBackward0 directly;
        // a target that broadcasts is expanded, and does not show in the input's chain
        Tensor x = Tensor.ones(3, 5).requiresGrad_().mul(1L);
        assertThat(F.mseLoss(x, Tensor.zeros(3, 5)).gradFn().nextFunctions().get(0).node().name()).isEqualTo("MulBackward0");
        assertThat(F.mseLoss(x, Tensor.zeros(5)).gradFn().nextFunctions().get(0).node().name()).isEqualTo("MulBackward0");
        assertThat(F.l1Loss(x, Tensor.zeros(3, 5)).gradFn().nextFunctions().get(0).node().nextFunctions().get(0).node().name())
                .isEqualTo("SubBackward0");
    }
    @Test
    void smoothL1WithBetaZeroIsItsOwnNode() {
        // PyTorch 1.13: smooth_l1_loss(x, t, beta=0.) keeps SmoothL1LossBackward0, and x == t gets slope -1 (not l1's 0)
        Tensor x = Tensor.ones(2, 3).requiresGrad_();
        Tensor l = F.smoothL1Loss(x, Tensor.arange(6).view(2, 3), "mean", 0.0);
        assertThat(l.toString()).isEqualTo("tensor(1.8333, grad_fn=<SmoothL1LossBackward0>)");
        l.backward();
        assertThat(x.grad().toString()).isEqualTo("tensor([[ 0.1667, -0.1667, -0.1667],\n        [-0.1667, -0.1667, -0.1667]])");
    }
}
