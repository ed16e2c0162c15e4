package dev.ember.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.nn.init.Init;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/**
 * nn.init's gains, fans and messages against PyTorch (fx_nn_statedict.py, case "init"), and the default
 * initialisation of each layer checked by its distribution: the numbers differ from PyTorch's RNG, the
 * bounds and moments must not.
 */
class InitTest {
    static final JsonNode KW = Fixtures.load("nn_statedict").cases().stream().filter(c -> c.op().equals("init")).findFirst().orElseThrow().kwargs();

    @Test
    void gainsFansAndMessagesAreTorchs() {
        JsonNode g = KW.get("gains");
        for (String n : new String[] {"linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"})
            assertThat(Init.calculateGain(n)).as(n).isEqualTo(g.get(n).asDouble());
        assertThat(Init.calculateGain("leaky_relu", 0.2)).isEqualTo(g.get("leaky_relu_0.2").asDouble());
        JsonNode f = KW.get("fans");
        assertThat(Init.fanInAndFanOut(Tensor.empty(256, 784))).containsExactly(f.get("linear").get(0).asInt(), f.get("linear").get(1).asInt());
        assertThat(Init.fanInAndFanOut(Tensor.empty(6, 1, 5, 5))).containsExactly(f.get("conv").get(0).asInt(), f.get("conv").get(1).asInt());
        assertThat(Init.fanInAndFanOut(Tensor.empty(4, 2, 3, 3))).containsExactly(f.get("convT").get(0).asInt(), f.get("convT").get(1).asInt());
        JsonNode e = KW.get("errors");
        assertThatThrownBy(() -> Init.calculateGain("swish")).hasMessage(e.get("gain").asText());
        assertThatThrownBy(() -> Init.xavierUniform_(Tensor.empty(3))).hasMessage(e.get("fan").asText());
        assertThatThrownBy(() -> Init.kaimingUniform_(Tensor.empty(2, 2), 0, "fan_avg", "leaky_relu", dev.ember.tensor.Generator.defaultGenerator()))
                .hasMessage(e.get("mode").asText());
    }

    /** Values within [-bound, bound] and the standard deviation of U(-bound, bound), bound/√3, within 3%. */
    static void assertUniform(Tensor t, double bound, String what) {
        double[] v = t.toDoubleArray();
        double sum = 0, sq = 0;
        for (double x : v) {
            assertThat(Math.abs(x)).as("%s within ±%s", what, bound).isLessThanOrEqualTo(bound);
            sum += x;
            sq += x * x;
        }
        double mean = sum / v.length, std = Math.sqrt(sq / v.length - mean * mean);
        assertThat(std).as("%s std", what).isCloseTo(bound / Math.sqrt(3), offset(0.03 * bound / Math.sqrt(3)));
        assertThat(mean).as("%s mean", what).isCloseTo(0, offset(4 * bound / Math.sqrt(3 * v.length)));
    }

    @Test
    void defaultInitialisationMatchesTorchsDistributions() {
        Tensor.manualSeed(20261126);   // the bounds below are 4+ sigma wide; a fixed stream keeps the test deterministic
        Linear l = new Linear(784, 256);
        // kaiming_uniform_(a=√5): bound = gain(leaky_relu, √5) * √3 / √fan_in = 1/√fan_in
        assertUniform(l.weight(), 1 / Math.sqrt(784), "Linear weight");
        assertUniform(new Linear(10, 4000).bias(), 1 / Math.sqrt(10), "Linear bias");
        Conv2d c = new Conv2d(16, 64, 3);
        assertUniform(c.weight(), 1 / Math.sqrt(16 * 9), "Conv2d weight");
        ConvTranspose2d t = new ConvTranspose2d(64, 32, 3);
        assertUniform(t.weight(), 1 / Math.sqrt(32 * 9), "ConvTranspose2d weight (fan_in from dim 1)");
        assertUniform(new Bilinear(20, 5, 100).weight(), 1 / Math.sqrt(20), "Bilinear weight");
        LSTM lstm = new LSTM(30, 50);
        assertUniform(lstm.param("weight_hh_l0"), 1 / Math.sqrt(50), "LSTM weight_hh_l0");
        Embedding e = new Embedding(1000, 20, 3);
        double[] v = e.weight().toDoubleArray();
        double sq = 0;
        for (double x : v) sq += x * x;
        assertThat(Math.sqrt(sq / v.length)).as("Embedding N(0, 1)").isCloseTo(1, offset(0.03));
        assertThat(e.weight().select(0, 3).abs().sum().item()).as("padding row").isZero();
        BatchNorm2d bn = new BatchNorm2d(3);
        assertThat(bn.weight().toFloatArray()).containsOnly(1f);
        assertThat(bn.bias().toFloatArray()).containsOnly(0f);
        assertThat(bn.runningVar().toFloatArray()).containsOnly(1f);
        Tensor x = Tensor.empty(300, 400);
        Init.xavierUniform_(x);
        assertUniform(x, Math.sqrt(6.0 / 700), "xavier_uniform_");
        Init.kaimingUniform_(x);
        assertUniform(x, Math.sqrt(6.0 / 400), "kaiming_uniform_ (gain √2 for a=0)");
        Init.kaimingNormal_(x, 0, "fan_out", "relu", dev.ember.tensor.Generator.defaultGenerator());
        double s = 0;
        for (double d : x.toDoubleArray()) s += d * d;
        assertThat(Math.sqrt(s / x.numel())).as("kaiming_normal_ fan_out").isCloseTo(Math.sqrt(2.0 / 300), offset(0.03 * Math.sqrt(2.0 / 300)));
    }
}
