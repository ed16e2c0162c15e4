package dev.ember.nn;

import dev.ember.nn.functional.F;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** Activations, normalisation, linear, embedding, pad and eval-mode dropout against PyTorch (tools/fixtures/fx_nn_act.py). */
class NnActTest {

    private static double d(Kw k, String name, double dflt) { return k.has(name) ? k.d(name) : dflt; }

    @TestFactory
    Stream<DynamicTest> nnAct() { return OpCases.run("nn_act", ops()); }

    /** The activations over PyTorch's vectorized loop, its scalar tail and strided inputs (tools/fixtures/fx_nn_act_loops.py). */
    @TestFactory
    Stream<DynamicTest> nnActLoops() { return OpCases.run("nn_act_loops", ops()); }

    private static Map<String, Op> ops() {
        return Map.<String, Op>ofEntries(
                entry("leaky_relu", (x, k) -> F.leakyRelu(x[0], d(k, "negative_slope", 0.01))),
                entry("elu", (x, k) -> F.elu(x[0], d(k, "alpha", 1.0))),
                entry("selu", (x, k) -> F.selu(x[0])),
                entry("celu", (x, k) -> F.celu(x[0], d(k, "alpha", 1.0))),
                entry("gelu", (x, k) -> F.gelu(x[0], k.s("approximate"))),
                entry("silu", (x, k) -> F.silu(x[0])),
                entry("softplus", (x, k) -> F.softplus(x[0], d(k, "beta", 1), d(k, "threshold", 20))),
                entry("hardtanh", (x, k) -> F.hardtanh(x[0], d(k, "min_val", -1), d(k, "max_val", 1))),
                entry("relu6", (x, k) -> F.relu6(x[0])),
                entry("logsigmoid", (x, k) -> F.logsigmoid(x[0])),
                entry("softmax", (x, k) -> F.softmax(x[0], k.i("dim"))),
                entry("log_softmax", (x, k) -> F.logSoftmax(x[0], k.i("dim"))),
                entry("linear", (x, k) -> F.linear(x[0], x[1], x.length > 2 ? x[2] : null)),
                entry("bilinear", (x, k) -> F.bilinear(x[0], x[1], x[2], x.length > 3 ? x[3] : null)),
                entry("batch_norm_train", (x, k) -> List.of(F.batchNorm(x[0], x[1], x[2], x[3], x[4], true, k.d("momentum"), k.d("eps")), x[1], x[2])),
                entry("batch_norm_eval", (x, k) -> F.batchNorm(x[0], x[1], x[2], x[3], x[4], false, 0.1, k.d("eps"))),
                entry("batch_norm_noaffine", (x, k) -> F.batchNorm(x[0], null, null, null, null, true, 0.1, k.d("eps"))),
                entry("layer_norm", (x, k) -> F.layerNorm(x[0], k.ints("shape"), x[1], x[2], k.d("eps"))),
                entry("layer_norm_noaffine", (x, k) -> F.layerNorm(x[0], k.ints("shape"), null, null, k.d("eps"))),
                entry("group_norm", (x, k) -> F.groupNorm(x[0], k.i("g"), x[1], x[2], k.d("eps"))),
                entry("embedding", (x, k) -> F.embedding(x[0], x[1])),
                entry("embedding_pad", (x, k) -> F.embedding(x[0], x[1], k.i("p"))),
                entry("one_hot", (x, k) -> F.oneHot(x[0], k.i("n"))),
                entry("pad_constant", (x, k) -> F.pad(x[0], k.ints("p"), "constant", k.d("v"))),
                entry("pad_mode", (x, k) -> F.pad(x[0], k.ints("p"), k.s("mode"), 0)),
                entry("dropout_eval", (x, k) -> F.dropout(x[0], k.d("p"), k.d("p") == 0)),
                entry("hardswish", (x, k) -> F.hardswish(x[0])),
                entry("hardsigmoid", (x, k) -> F.hardsigmoid(x[0])),
                entry("mish", (x, k) -> F.mish(x[0])),
                entry("sigmoid", (x, k) -> x[0].sigmoid()),
                entry("softsign", (x, k) -> F.softsign(x[0])),
                entry("tanhshrink", (x, k) -> F.tanhshrink(x[0])),
                entry("softmin", (x, k) -> F.softmin(x[0], k.i("dim"))),
                entry("glu", (x, k) -> F.glu(x[0], k.i("dim"))),
                entry("prelu", (x, k) -> F.prelu(x[0], x[1])),
                entry("pixel_shuffle", (x, k) -> F.pixelShuffle(x[0], k.i("r"))),
                entry("interpolate", (x, k) -> F.interpolate(x[0], k.has("size") ? k.ints("size") : null, k.has("scale_factor") ? k.doubles("scale_factor") : null,
                        k.s("mode"), k.has("align_corners") ? k.b("align_corners") : null, null)),
                entry("instance_norm", (x, k) -> F.instanceNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5)),
                entry("sdpa", (x, k) -> F.scaledDotProductAttention(x[0], x[1], x[2], null, 0, k.b("causal"), null)),
                entry("sdpa_mask", (x, k) -> F.scaledDotProductAttention(x[0], x[1], x[2], x[3], 0, false, null))
        );
    }

    private static double[] grad(java.util.function.Function<Tensor, Tensor> f, double... xs) {
        Tensor x = Tensor.tensor(xs).requiresGrad_();
        f.apply(x).sum().backward();
        return x.grad().toDoubleArray();
    }

    @Test
    void hardswishAndHardsigmoidGradientsAtTheirKnots() {
        // PyTorch 1.13, float64 x = [-3, 3, 0, -4, 4, nan]: F.hardswish -> grad [-0.5, 1.5, 0.5, 0, 1, 1]
        // (NaN takes the grad), F.hardsigmoid -> grad [0, 0, 0.1666666716337204, 0, 0, 0] (strict bounds, float 1/6)
        double nan = Double.NaN;
        assertThat(grad(F::hardswish, -3, 3, 0, -4, 4, nan)).containsExactly(-0.5, 1.5, 0.5, 0, 1, 1);
        assertThat(grad(F::hardsigmoid, -3, 3, 0, -4, 4, nan)).containsExactly(0, 0, 0.1666666716337204, 0, 0, 0);
        Tensor x = Tensor.tensor(new double[] {1}).requiresGrad_();
        assertThat(F.hardswish(x).gradFn().name()).isEqualTo("HardswishBackward0");
        assertThat(F.hardsigmoid(x).gradFn().name()).isEqualTo("HardsigmoidBackward0");
    }

    @Test
    void eluIsExpMinusOneAsInPyTorch113() {
        // F.elu(torch.tensor([-0., -1e-10], dtype=torch.float64)) -> tensor([0., -1.000000082740371e-10]): exp(x) - 1,
        // not expm1 (which keeps -0. and gives -9.9999999995e-11)
        double[] y = F.elu(Tensor.tensor(new double[] {-0.0, -1e-10})).toDoubleArray();
        assertThat(1 / y[0]).isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(y[1]).isEqualTo(-1.000000082740371e-10);
    }
}
