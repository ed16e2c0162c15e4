package dev.ember.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.autograd.Autograd;
import dev.ember.nn.functional.F;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.GradFnChain;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.ember.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The losses, linear, convolution, layer_norm, batch_norm, pooling and embedding differentiated twice, against {@code tools/fixtures/fx_nn_double_backward.py}: each
 * first-order gradient built with createGraph carries PyTorch 1.13's grad_fn graph (MseLossBackwardBackward0,
 * NllLossBackwardBackward0, NativeLayerNormBackwardBackward0, NativeBatchNormBackwardBackward0, MaxPool2DWithIndicesBackwardBackward0, EmbeddingDenseBackwardBackward0, ConvolutionBackwardBackward0, linear's TBackward0 pair, ...), and the gradient of
 * {@code sum(g_k * probe_k)} over those gradients has PyTorch's values. Finite differences check the same second
 * derivatives in {@link SecondOrderTest}.
 */
class NnDoubleBackwardTest {

    static final Tensor TARGET = Tensor.fromArray(new long[] {2, 0, 1, 2}, 4);
    static final Tensor W3 = Tensor.tensor(new double[] {1, 2, 0.5}, DType.FLOAT64);

    /** The calls of the fixture script, by case id. */
    static Map<String, Function<Tensor[], Tensor>> calls() {
        Map<String, Function<Tensor[], Tensor>> m = new LinkedHashMap<>();
        for (String r : List.of("mean", "sum", "none")) {
            m.put("mse_loss/" + r, x -> F.mseLoss(x[0], x[1], r));
            m.put("smooth_l1_loss/" + r, x -> F.smoothL1Loss(x[0], x[1], r, 0.5));
            m.put("huber_loss/" + r, x -> F.huberLoss(x[0], x[1], r, 0.5));
        }
        m.put("mse_loss/none_times_input", x -> F.mseLoss(x[0], x[1], "none").mul(x[0]));
        m.put("mse_loss/mean_times_sum", x -> F.mseLoss(x[0], x[1]).mul(x[0].sum()));
        m.put("smooth_l1_loss/sum_times_sum", x -> F.smoothL1Loss(x[0], x[1], "sum", 0.5).mul(x[0].sum()));
        m.put("huber_loss/none_times_input", x -> F.huberLoss(x[0], x[1], "none", 0.5).mul(x[0]));
        m.put("mse_loss/broadcast", x -> F.mseLoss(x[0], x[1].expand(4, 3)));
        m.put("l1_loss/mean", x -> F.l1Loss(x[0], x[1]));
        m.put("binary_cross_entropy/mean", x -> F.binaryCrossEntropy(x[0], x[1]));
        m.put("binary_cross_entropy/weight_sum", x -> F.binaryCrossEntropy(x[0], x[1], W3, "sum"));
        m.put("binary_cross_entropy/none", x -> F.binaryCrossEntropy(x[0], x[1], null, "none"));
        m.put("binary_cross_entropy_with_logits/mean", x -> F.binaryCrossEntropyWithLogits(x[0], x[1], null, null, "mean"));
        m.put("binary_cross_entropy_with_logits/weight_pos_weight_sum", x -> F.binaryCrossEntropyWithLogits(x[0], x[1], W3, W3.flip(0), "sum"));
        m.put("binary_cross_entropy/mean_times_sum", x -> F.binaryCrossEntropy(x[0], x[1]).mul(x[0].sum()));
        m.put("binary_cross_entropy/none_times_input", x -> F.binaryCrossEntropy(x[0], x[1], null, "none").mul(x[0]));
        m.put("nll_loss/mean", x -> F.nllLoss(x[0], TARGET));
        m.put("nll_loss/weight_sum", x -> F.nllLoss(x[0], TARGET, W3, -100, "sum"));
        m.put("nll_loss/ignore_none", x -> F.nllLoss(x[0], TARGET, null, 0, "none"));
        m.put("nll_loss/weight_ignore_mean", x -> F.nllLoss(x[0], TARGET, W3, 2, "mean"));
        m.put("nll_loss/none_times_column", x -> F.nllLoss(x[0], TARGET, null, -100, "none").mul(x[0].index(":, 0")));
        m.put("nll_loss/mean_times_sum", x -> F.nllLoss(x[0], TARGET).mul(x[0].sum()));
        Tensor target2d = Tensor.fromArray(new long[] {0, 1, 2, 0, 1, 1, 2, 2}, 2, 2, 2), target1d = target2d.select(1, 0);
        m.put("nll_loss/4d_mean", x -> F.nllLoss(x[0], target2d).mul(x[0].sum()));
        m.put("nll_loss/4d_none_weight", x -> F.nllLoss(x[0], target2d, W3, -100, "none").mul(x[0].index(":, 0")));
        m.put("nll_loss/3d_sum", x -> F.nllLoss(x[0], target1d, null, -100, "sum").mul(x[0].sum()));
        m.put("cross_entropy/3d_none", x -> F.crossEntropy(x[0], target1d, null, -100, "none", 0.0));
        m.put("cross_entropy/mean", x -> F.crossEntropy(x[0], TARGET));
        m.put("cross_entropy/smoothing_weight_ignore", x -> F.crossEntropy(x[0], TARGET, W3, 0, "mean", 0.2));
        m.put("cross_entropy/probs", x -> F.crossEntropy(x[0], x[1]));
        m.put("linear/bias", x -> F.linear(x[0], x[1], x[2]).square());
        m.put("linear/no_bias", x -> F.linear(x[0], x[1], null).square());
        m.put("linear/1d", x -> F.linear(x[0], x[1], x[2]).square());
        m.put("linear/3d", x -> F.linear(x[0], x[1], x[2]).square());
        m.put("mm/transposed_operands", x -> x[0].t().mm(x[1].t()).square());
        m.put("layer_norm/affine", x -> F.layerNorm(x[0], new int[] {3}, x[1], x[2], 1e-5).square());
        m.put("layer_norm/2d_shape", x -> F.layerNorm(x[0], new int[] {2, 3}, x[1], x[2], 1e-5).square());
        m.put("layer_norm/no_affine", x -> F.layerNorm(x[0], new int[] {3}, null, null, 1e-5).square());
        m.put("layer_norm/weight_only", x -> F.layerNorm(x[0], new int[] {3}, x[1], null, 1e-5).square());
        m.put("batch_norm/train", x -> F.batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5).square());
        m.put("batch_norm/train_3d", x -> F.batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5).square());
        m.put("batch_norm/train_no_affine", x -> F.batchNorm(x[0], null, null, null, null, true, 0.1, 1e-5).square());
        m.put("batch_norm/eval", x -> F.batchNorm(x[0], Tensor.tensor(new double[] {0.1, -0.2, 0.3}, DType.FLOAT64), Tensor.tensor(new double[] {1, 0.5, 2}, DType.FLOAT64),
                x[1], x[2], false, 0.1, 1e-5).square());
        m.put("max_pool2d/2", x -> F.maxPool2d(x[0], 2).square());
        m.put("adaptive_max_pool2d/2x3", x -> F.adaptiveMaxPool2d(x[0], 2, 3).square());
        m.put("avg_pool2d/3_2_1_exclude_pad", x -> F.avgPool2d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, false, false, null).square());
        m.put("adaptive_avg_pool2d/2x3", x -> F.adaptiveAvgPool2d(x[0], 2, 3).square());
        Tensor idx = Tensor.fromArray(new long[] {0, 2, 2, 3}, 2, 2);
        m.put("embedding/plain", x -> F.embedding(idx, x[0]).square());
        m.put("embedding/padding_idx", x -> F.embedding(idx, x[0], 2).square());
        m.put("conv2d/padding", x -> F.conv2d(x[0], x[1], x[2], new int[] {1}, new int[] {1}, new int[] {1}, 1).square());
        m.put("conv2d/stride_groups_no_bias", x -> F.conv2d(x[0], x[1], null, new int[] {2}, new int[] {0}, new int[] {1}, 2).square());
        m.put("conv1d/stride_dilation", x -> F.conv1d(x[0], x[1], x[2], new int[] {2}, new int[] {0}, new int[] {2}, 1).square());
        m.put("conv_transpose2d/stride_output_padding", x -> F.convTranspose2d(x[0], x[1], x[2], new int[] {2}, new int[] {1}, new int[] {1}, 1, new int[] {1}).square());
        for (String r : List.of("mean", "sum", "none", "batchmean")) {
            m.put("kl_div/" + r, x -> F.klDiv(x[0], x[1], r, false).mul(x[0].sum()));
            m.put("kl_div/" + r + "_log_target", x -> F.klDiv(x[0], x[1], r, true).mul(x[0].sum()));
        }
        m.put("cross_entropy/probs_smoothing", x -> F.crossEntropy(x[0], x[1], null, -100, "mean", 0.2));
        m.put("cross_entropy/probs_weight_none", x -> F.crossEntropy(x[0], x[1], W3, -100, "none", 0.0).mul(x[0].index(":, 0")));
        m.put("cross_entropy/probs_weight_sum_smoothing_3d", x -> F.crossEntropy(x[0], x[1], W3, -100, "sum", 0.1).mul(x[0].sum()));
        m.put("cross_entropy/probs_1d", x -> F.crossEntropy(x[0], x[1]).mul(x[0].sum()));
        m.put("cross_entropy/smoothing_sum", x -> F.crossEntropy(x[0], TARGET, null, -100, "sum", 0.3).mul(x[0].sum()));
        m.put("max_pool2d/unbatched", x -> F.maxPool2d(x[0], 2).square());
        m.put("avg_pool2d/unbatched", x -> F.avgPool2d(x[0], new int[] {2}, new int[] {1}, new int[] {1}, false, true, null).square());
        m.put("adaptive_avg_pool2d/unbatched", x -> F.adaptiveAvgPool2d(x[0], 2, 3).square());
        m.put("adaptive_max_pool2d/unbatched", x -> F.adaptiveMaxPool2d(x[0], 3, 2).square());
        m.put("max_pool1d/unbatched", x -> F.maxPool1d(x[0], 2).square());
        m.put("max_pool1d/batched", x -> F.maxPool1d(x[0], 3, 2, 1, 1, false).square());
        m.put("avg_pool1d/unbatched", x -> F.avgPool1d(x[0], 3, 2, 1, false, true).square());
        m.put("adaptive_avg_pool1d/unbatched", x -> F.adaptiveAvgPool1d(x[0], 3).square());
        m.put("adaptive_max_pool1d/batched", x -> F.adaptiveMaxPool1d(x[0], 3).square());
        m.put("squeeze/all", x -> x[0].squeeze().square());
        m.put("squeeze/dim", x -> x[0].squeeze(1).square());
        m.put("squeeze/dim_not_one", x -> x[0].squeeze(0).square());
        m.put("squeeze_/all", x -> x[0].mul(1L).squeeze_().square());
        m.put("squeeze_/dim", x -> x[0].mul(2.0).squeeze_(-2).square());
        m.put("hardtanh/square", x -> F.hardtanh(x[0], -0.5, 0.8).square().mul(x[0]));
        m.put("logsigmoid/square", x -> F.logsigmoid(x[0]).square());
        m.put("silu/times_input", x -> F.silu(x[0]).mul(x[0]));
        m.put("mish/times_input", x -> F.mish(x[0]).mul(x[0]));
        m.put("adaptive_avg_pool2d/1x1", x -> F.adaptiveAvgPool2d(x[0], 1).square());
        m.put("adaptive_avg_pool1d/1_unbatched", x -> F.adaptiveAvgPool1d(x[0], 1).square());
        m.put("group_norm/affine", x -> F.groupNorm(x[0], 2, x[1], x[2], 1e-5).square());
        m.put("group_norm/no_affine_4d", x -> F.groupNorm(x[0], 3, null, null, 1e-3).square().mul(x[0]));
        m.put("group_norm/weight_only_2d", x -> F.groupNorm(x[0], 2, x[1], null, 1e-5).exp());
        return m;
    }

    @TestFactory
    Stream<DynamicTest> firstOrderGradientsCarryPyTorchsGraphAndSecondOrderValues() {
        Fixtures.FixtureFile file = Fixtures.load("nn_double_backward");
        Map<String, Function<Tensor[], Tensor>> calls = calls();
        List<DynamicTest> tests = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (JsonNode rec : Fixtures.metadata(file, "double_backward")) {
            String id = rec.get("id").asText();
            ids.add(id);
            tests.add(DynamicTest.dynamicTest(id, () -> check(file, rec, calls.get(id))));
        }
        // every call is a fixture case and the other way round
        tests.add(DynamicTest.dynamicTest("fixture and calls agree", () -> assertThat(ids).containsExactlyElementsOf(calls.keySet())));
        return tests.stream();
    }

    @Test
    void theInputsTheirBackwardOpsTakeAreSavedAndVersionChecked() {
        // x = torch.randn(1, 3, 4, 4, requires_grad=True); a = x * 1; y = f(a); a.mul_(2); y.sum().backward() -> RuntimeError
        String hint = " is at version 1; expected version 0 instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
                + "with torch.autograd.set_detect_anomaly(True).";
        String prefix = "one of the variables needed for gradient computation has been modified by an inplace operation: ";
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        ops.put("nll_loss2d", a -> F.nllLoss(a, Tensor.zeros(new int[] {1, 4, 4}, DType.INT64)));
        ops.put("max_pool2d", a -> F.maxPool2d(a, 2));
        ops.put("avg_pool2d", a -> F.avgPool2d(a, 2));
        ops.put("adaptive_avg_pool2d", a -> F.adaptiveAvgPool2d(a, 2, 2));
        ops.put("embedding", a -> F.embedding(Tensor.fromArray(new long[] {0, 1}, 2), a.view(16, 3)));
        ops.forEach((name, f) -> {
            Tensor a = Tensor.randn(new dev.ember.tensor.Generator(1), new int[] {1, 3, 4, 4}, DType.FLOAT32).requiresGrad_().mul(1.0);
            Tensor y = f.apply(a);
            a.mul_(2.0);
            String saved = name.equals("embedding") ? "[torch.FloatTensor [16, 3]], which is output 0 of AsStridedBackward0,"
                    : "[torch.FloatTensor [1, 3, 4, 4]], which is output 0 of MulBackward0,";
            assertThatThrownBy(() -> y.sum().backward()).as(name).hasMessage(prefix + saved + hint);
        });
    }

    private static void check(Fixtures.FixtureFile file, JsonNode rec, Function<Tensor[], Tensor> f) {
        int n = rec.get("inputs").size();
        Tensor[] x = new Tensor[n];
        for (int k = 0; k < n; k++) x[k] = file.tensor(rec.get("inputs").get(k).asText()).requiresGrad_();
        Tensor[] first = Autograd.grad(new Tensor[] {f.apply(x).sum()}, x, null, true, true);
        Tensor total = null;
        for (int k = 0; k < n; k++) {
            JsonNode graph = rec.get("graphs").get(k);
            if (graph.isNull()) {
                assertThat(first[k].gradFn()).as("input %d", k).isNull();
                continue;
            }
            assertThat(String.join(" ", GradFnChain.depthFirst(first[k].gradFn()))).as("input %d", k).isEqualTo(graph.asText());
            Tensor term = first[k].mul(file.tensor(rec.get("probes").get(k).asText())).sum();
            total = total == null ? term : total.add(term);
        }
        Tensor[] second = Autograd.grad(new Tensor[] {total}, x, null, false, false, true);
        for (int k = 0; k < n; k++) {
            JsonNode want = rec.get("second").get(k);
            if (want.isNull()) assertThat(second[k]).as("input %d", k).isNull();
            else assertClose(second[k], file.tensor(want.asText()), 1e-9, 1e-9, rec.get("id").asText() + " input " + k);
        }
    }
}
