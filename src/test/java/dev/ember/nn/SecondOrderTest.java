package dev.ember.nn;

import dev.ember.autograd.Autograd;
import dev.ember.nn.functional.F;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import dev.ember.testing.GradCheck;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Gradients of gradients (PyTorch's gradgradcheck) in float64 for the ops whose backward Ember writes by hand:
 * convolution, transposed convolution, im2col/col2im, pooling, the normalisations and embedding. The first
 * derivative is computed with create_graph and then checked against finite differences like any function.
 */
class SecondOrderTest {

    static Tensor rand(Generator g, int... shape) { return Tensor.randn(g, shape, DType.FLOAT64).requiresGrad_(true); }

    /** Checks d/dx of (d f / d inputs · fixed weights) by finite differences. */
    static void gradgradcheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        Generator g = new Generator(7);
        Tensor probe = Tensor.randn(g, f.apply(inputs).shape(), DType.FLOAT64);
        GradCheck.check(x -> {
            Tensor y = f.apply(x);
            List<Tensor> diff = new ArrayList<>();
            for (Tensor t : x) if (t.requiresGrad()) diff.add(t);
            Tensor[] grads = Autograd.grad(new Tensor[] {y}, diff.toArray(new Tensor[0]), new Tensor[] {probe}, true, true, true);
            List<Tensor> out = new ArrayList<>();
            for (Tensor t : grads) if (t != null) out.add(t);
            return out;
        }, inputs);
    }

    @TestFactory
    Stream<DynamicTest> secondOrder() {
        Generator g = new Generator(42);
        Map<String, Runnable> cases = new LinkedHashMap<>();
        // the activations whose backward is an op of its own (ActivationDoubleBackwardTest), at points on both sides of 0
        Tensor xs = Tensor.tensor(new double[] {-1.5, -0.25, 0.5, 2.0, 3.0}, DType.FLOAT64);
        cases.put("gelu", () -> gradgradcheck(x -> F.gelu(x[0]), xs.detach().requiresGrad_()));
        cases.put("gelu tanh", () -> gradgradcheck(x -> F.gelu(x[0], "tanh"), xs.detach().requiresGrad_()));
        cases.put("softplus", () -> gradgradcheck(x -> F.softplus(x[0], 2, 3), xs.detach().requiresGrad_()));
        cases.put("elu", () -> gradgradcheck(x -> F.elu(x[0], 0.5), xs.detach().requiresGrad_()));
        cases.put("celu", () -> gradgradcheck(x -> F.celu(x[0], 2.0), xs.detach().requiresGrad_()));
        cases.put("leaky_relu", () -> gradgradcheck(x -> F.leakyRelu(x[0], 0.1), xs.detach().requiresGrad_()));
        cases.put("diag of a matrix", () -> gradgradcheck(x -> x[0].diag(1).square(), rand(g, 3, 4)));
        cases.put("diag of a vector", () -> gradgradcheck(x -> x[0].diag(-1).square(), rand(g, 3)));
        cases.put("conv2d stride/padding/groups", () -> gradgradcheck(x -> F.conv2d(x[0], x[1], x[2], new int[] {2, 1}, new int[] {1}, new int[] {1}, 2),
                rand(g, 1, 4, 5, 4), rand(g, 2, 2, 3, 2), rand(g, 2)));
        cases.put("conv1d dilation", () -> gradgradcheck(x -> F.conv1d(x[0], x[1], x[2], new int[] {1}, new int[] {1}, new int[] {2}, 1),
                rand(g, 2, 2, 6), rand(g, 3, 2, 2), rand(g, 3)));
        cases.put("conv_transpose2d", () -> gradgradcheck(x -> F.convTranspose2d(x[0], x[1], x[2], new int[] {2}, new int[] {1}, new int[] {1}, 1, new int[] {1}),
                rand(g, 1, 2, 3, 3), rand(g, 2, 2, 3, 3), rand(g, 2)));
        cases.put("unfold/fold", () -> gradgradcheck(x -> F.fold(F.unfold(x[0], new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}).mul(x[0].sum()),
                new int[] {4, 3}, new int[] {2}, new int[] {1}, new int[] {1}, new int[] {1}), rand(g, 1, 2, 4, 3)));
        cases.put("max_pool2d", () -> gradgradcheck(x -> F.maxPool2d(x[0].mul(x[0]), new int[] {2}, new int[] {1}, new int[] {0}, new int[] {1}, false),
                rand(g, 1, 2, 4, 4)));
        cases.put("avg_pool2d", () -> gradgradcheck(x -> F.avgPool2d(x[0].mul(x[0]), new int[] {3}, new int[] {2}, new int[] {1}, true, false, null),
                rand(g, 1, 2, 5, 5)));
        cases.put("adaptive_avg_pool2d", () -> gradgradcheck(x -> F.adaptiveAvgPool2d(x[0].mul(x[0]), 3, 2), rand(g, 1, 2, 5, 4)));
        cases.put("adaptive_max_pool2d", () -> gradgradcheck(x -> F.adaptiveMaxPool2d(x[0].mul(x[0]), 2, 3), rand(g, 1, 2, 5, 4)));
        cases.put("batch_norm training", () -> gradgradcheck(x -> F.batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5), rand(g, 4, 3, 2), rand(g, 3), rand(g, 3)));
        cases.put("batch_norm eval", () -> gradgradcheck(x -> F.batchNorm(x[0], Tensor.zeros(new int[] {3}, DType.FLOAT64), Tensor.ones(new int[] {3}, DType.FLOAT64),
                x[1], x[2], false, 0.1, 1e-5).mul(x[0]), rand(g, 4, 3), rand(g, 3), rand(g, 3)));
        cases.put("layer_norm", () -> gradgradcheck(x -> F.layerNorm(x[0], new int[] {4}, x[1], x[2], 1e-5), rand(g, 3, 4), rand(g, 4), rand(g, 4)));
        cases.put("group_norm", () -> gradgradcheck(x -> F.groupNorm(x[0], 2, x[1], x[2], 1e-5), rand(g, 2, 4, 3), rand(g, 4), rand(g, 4)));
        cases.put("embedding", () -> gradgradcheck(x -> F.embedding(Tensor.fromArray(new long[] {0, 2, 2}, 3), x[0].mul(x[0]), 1), rand(g, 3, 2)));
        cases.put("gelu/elu/softplus/silu", () -> gradgradcheck(x -> F.gelu(x[0], "tanh").add(F.elu(x[0])).add(F.softplus(x[0])).add(F.silu(x[0])).add(F.gelu(x[0])),
                rand(g, 5)));
        cases.put("bce/bce_logits/mse/smooth_l1", () -> gradgradcheck(x -> F.binaryCrossEntropy(x[0].sigmoid(), x[1].sigmoid(), null, "mean")
                .add(F.binaryCrossEntropyWithLogits(x[0], x[1].sigmoid(), null, null, "sum")).add(F.mseLoss(x[0], x[1])), rand(g, 4), rand(g, 4)));
        // the losses, linear and layer_norm whose backward is an op of its own (NnDoubleBackwardTest); the loss scaled by
        // a function of the input, so that the backward's derivative in its incoming gradient takes part too
        Tensor target = Tensor.fromArray(new long[] {2, 0, 1}, 3), w3 = Tensor.tensor(new double[] {1, 2, 0.5}, DType.FLOAT64);
        for (String r : List.of("mean", "sum", "none")) {
            cases.put("mse " + r, () -> gradgradcheck(x -> F.mseLoss(x[0], x[1], r).mul(x[0].sum()), rand(g, 3, 3), rand(g, 3, 3)));
            cases.put("smooth_l1 " + r, () -> gradgradcheck(x -> F.smoothL1Loss(x[0], x[1], r, 0.7).mul(x[0].sum()), rand(g, 3, 3), rand(g, 3, 3)));
            cases.put("huber " + r, () -> gradgradcheck(x -> F.huberLoss(x[0], x[1], r, 0.7).mul(x[0].sum()), rand(g, 3, 3), rand(g, 3, 3)));
            cases.put("bce weight " + r, () -> gradgradcheck(x -> F.binaryCrossEntropy(x[0].sigmoid(), x[1].sigmoid(), w3, r).mul(x[0].sum()), rand(g, 3, 3), rand(g, 3, 3)));
            cases.put("bce_logits pos_weight " + r, () -> gradgradcheck(x -> F.binaryCrossEntropyWithLogits(x[0], x[1].sigmoid(), w3, w3.flip(0), r).mul(x[0].sum()),
                    rand(g, 3, 3), rand(g, 3, 3)));
            cases.put("nll " + r, () -> gradgradcheck(x -> F.nllLoss(x[0].square(), target, w3, 1, r).mul(x[0].sum()), rand(g, 3, 3)));
        }
        cases.put("cross_entropy smoothing", () -> gradgradcheck(x -> F.crossEntropy(x[0], target, w3, 1, "mean", 0.2), rand(g, 3, 3)));
        cases.put("linear", () -> gradgradcheck(x -> F.linear(x[0], x[1], x[2]).square(), rand(g, 2, 3), rand(g, 4, 3), rand(g, 4)));
        cases.put("linear 3d", () -> gradgradcheck(x -> F.linear(x[0], x[1], x[2]).square(), rand(g, 2, 2, 3), rand(g, 4, 3), rand(g, 4)));
        cases.put("mm of transposed operands", () -> gradgradcheck(x -> x[0].t().mm(x[1].t()).square(), rand(g, 3, 2), rand(g, 4, 3)));
        cases.put("layer_norm squared", () -> gradgradcheck(x -> F.layerNorm(x[0], new int[] {2, 3}, x[1], x[2], 1e-5).square(), rand(g, 2, 2, 3), rand(g, 2, 3),
                rand(g, 2, 3)));
        cases.put("layer_norm weight only", () -> gradgradcheck(x -> F.layerNorm(x[0], new int[] {4}, x[1], null, 1e-5).mul(x[0]), rand(g, 3, 4), rand(g, 4)));
        cases.put("layer_norm no affine", () -> gradgradcheck(x -> F.layerNorm(x[0], new int[] {4}, null, null, 1e-5).mul(x[0].exp()), rand(g, 3, 4)));
        cases.put("batch_norm training squared", () -> gradgradcheck(x -> F.batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5).square(), rand(g, 2, 3, 2),
                rand(g, 3), rand(g, 3)));
        cases.put("batch_norm eval squared", () -> gradgradcheck(x -> F.batchNorm(x[0], Tensor.zeros(new int[] {3}, DType.FLOAT64), Tensor.ones(new int[] {3}, DType.FLOAT64),
                x[1], x[2], false, 0.1, 1e-5).square(), rand(g, 2, 3, 2), rand(g, 3), rand(g, 3)));
        cases.put("embedding padding_idx", () -> gradgradcheck(x -> F.embedding(Tensor.fromArray(new long[] {0, 2, 2, 1}, 4), x[0].mul(x[0]), 2).square(), rand(g, 3, 2)));
        cases.put("adaptive_avg_pool2d squared", () -> gradgradcheck(x -> F.adaptiveAvgPool2d(x[0], 3, 2).square(), rand(g, 1, 2, 5, 4)));
        cases.put("avg_pool2d squared", () -> gradgradcheck(x -> F.avgPool2d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, false, false, null).square(),
                rand(g, 1, 2, 5, 5)));
        cases.put("max_pool2d squared", () -> gradgradcheck(x -> F.maxPool2d(x[0], 2).square(), rand(g, 1, 2, 4, 4)));
        cases.put("conv2d squared", () -> gradgradcheck(x -> F.conv2d(x[0], x[1], x[2], new int[] {2, 1}, new int[] {1}, new int[] {1}, 2).square(),
                rand(g, 1, 4, 5, 4), rand(g, 2, 2, 3, 2), rand(g, 2)));
        cases.put("conv_transpose2d squared", () -> gradgradcheck(x -> F.convTranspose2d(x[0], x[1], x[2], new int[] {2}, new int[] {1}, new int[] {1}, 1, new int[] {1})
                .square(), rand(g, 1, 2, 3, 3), rand(g, 2, 2, 3, 3), rand(g, 2)));
        cases.put("conv1d squared", () -> gradgradcheck(x -> F.conv1d(x[0], x[1], x[2], new int[] {1}, new int[] {1}, new int[] {2}, 1).square(),
                rand(g, 2, 2, 6), rand(g, 3, 2, 2), rand(g, 3)));
        // kl_div (xlogy, or exp for log targets), cross_entropy with smoothed probabilities, unbatched pools, squeeze
        for (String r : List.of("mean", "sum", "none", "batchmean")) {
            cases.put("kl_div " + r, () -> gradgradcheck(x -> F.klDiv(x[0], x[1].sigmoid(), r, false).mul(x[0].sum()), rand(g, 3, 3), rand(g, 3, 3)));
            cases.put("kl_div log_target " + r, () -> gradgradcheck(x -> F.klDiv(x[0], x[1], r, true).mul(x[0].sum()), rand(g, 3, 3), rand(g, 3, 3)));
        }
        cases.put("xlogy", () -> gradgradcheck(x -> x[0].xlogy(x[1].exp()).mul(x[0]), rand(g, 2, 3), rand(g, 3)));
        cases.put("cross_entropy probs smoothing weight", () -> gradgradcheck(x -> F.crossEntropy(x[0], x[1].softmax(1), w3, -100, "sum", 0.2).mul(x[0].sum()),
                rand(g, 3, 3), rand(g, 3, 3)));
        cases.put("max_pool2d unbatched", () -> gradgradcheck(x -> F.maxPool2d(x[0], 2).square(), rand(g, 2, 4, 4)));
        cases.put("avg_pool2d unbatched", () -> gradgradcheck(x -> F.avgPool2d(x[0], new int[] {2}, new int[] {1}, new int[] {1}, false, true, null).square(),
                rand(g, 2, 4, 3)));
        cases.put("adaptive_max_pool1d unbatched", () -> gradgradcheck(x -> F.adaptiveMaxPool1d(x[0], 3).square(), rand(g, 2, 5)));
        cases.put("avg_pool1d unbatched", () -> gradgradcheck(x -> F.avgPool1d(x[0], 3, 2, 1, false, true).square(), rand(g, 2, 6)));
        cases.put("squeeze", () -> gradgradcheck(x -> x[0].squeeze().square().add(x[0].squeeze(-1).exp().sum(1)), rand(g, 2, 1, 3, 1)));
        cases.put("hardtanh/logsigmoid/mish/silu", () -> gradgradcheck(x -> F.hardtanh(x[0], -0.5, 0.8).mul(x[0]).add(F.logsigmoid(x[0])).add(F.mish(x[0]))
                .add(F.silu(x[0]).mul(x[0])), rand(g, 2, 3)));
        cases.put("adaptive_avg_pool2d 1x1", () -> gradgradcheck(x -> F.adaptiveAvgPool2d(x[0], 1).square(), rand(g, 2, 2, 3, 3)));
        cases.put("group_norm squared", () -> gradgradcheck(x -> F.groupNorm(x[0], 2, x[1], x[2], 1e-5).square(), rand(g, 2, 4, 3), rand(g, 4), rand(g, 4)));
        cases.put("group_norm no affine times input", () -> gradgradcheck(x -> F.groupNorm(x[0], 3, null, null, 1e-3).square().mul(x[0]), rand(g, 2, 3, 2, 2)));
        return cases.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), e.getValue()::run));
    }
}
