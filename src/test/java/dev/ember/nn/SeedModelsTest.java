package dev.ember.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.nn.functional.F;
import dev.ember.optim.SGD;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureCase;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed tutorials' models against PyTorch (tools/fixtures/fx_nn_models.py): PyTorch's repr and state_dict keys,
 * the outputs, loss and parameter gradients for PyTorch's weights, and 10 training steps with the blitz's manual
 * update {@code p -= lr * grad} and with {@code SGD(lr=0.01, momentum=0.9)} (losses and final weights). AlexNet uses
 * hash-generated weights and summaries.
 */
class SeedModelsTest {
    static final FixtureFile FILE = Fixtures.load("nn_models");
    static final Map<String, Supplier<Module>> MODELS = Map.of(
            "MLP", SeedModels.MLP::new, "NeuralNetwork", SeedModels.NeuralNetwork::new, "Net", SeedModels.Net::new, "AlexNet", SeedModels.AlexNet::new);

    @TestFactory
    Stream<DynamicTest> seedModels() {
        return FILE.cases().stream().flatMap(c -> Stream.of(
                DynamicTest.dynamicTest(c.op() + ": PyTorch's outputs and gradients", () -> forwardBackward(c)),
                DynamicTest.dynamicTest(c.op() + ": 10 steps of p -= lr * grad", () -> train(c, false)),
                DynamicTest.dynamicTest(c.op() + ": 10 steps of SGD(lr=0.01, momentum=0.9)", () -> train(c, true))));
    }

    static boolean full(FixtureCase c, String what) {
        for (JsonNode f : c.kwargs().get("full")) if (f.asText().equals(what)) return true;
        return false;
    }

    /** A model with PyTorch's weights: loaded from the fixture's state_dict, or hash-generated and checked against it. */
    static Module load(FixtureCase c) {
        Module m = MODELS.get(c.op()).get();
        JsonNode kw = c.kwargs();
        assertThat(m.toString()).as("%s repr", c.op()).isEqualTo(kw.get("repr").asText());
        List<String> keys = new ArrayList<>();
        kw.get("keys").forEach(k -> keys.add(k.asText()));
        assertThat(new ArrayList<>(m.stateDict().keySet())).containsExactlyElementsOf(keys);
        if (full(c, "sd")) {
            IncompatibleKeys r = m.loadStateDict(ModuleCases.stateDict(FILE, c), true);
            assertThat(r.allMatched()).isTrue();
        } else {
            SeedModels.hashInit(m);
            for (var e : m.stateDict().entrySet())
                TensorAssert.assertClose(summary(e.getValue()), FILE.tensor(c.id() + "/sd/" + e.getKey()), 1e-6, 0, c.op() + " generated " + e.getKey());
        }
        return m;
    }

    /** fx_nn_models.summary: [sum, sum of squares, first 64 values] (float32). */
    static Tensor summary(Tensor t) {
        double[] v = t.toDoubleArray();
        double s = 0, q = 0;
        for (double x : v) {
            s += x;
            q += x * x;
        }
        int n = Math.min(64, v.length);
        float[] out = new float[2 + n];
        out[0] = (float) s;
        out[1] = (float) q;
        for (int i = 0; i < n; i++) out[2 + i] = (float) v[i];
        return Tensor.of(out);
    }

    /** Summaries compare the sum relative to sqrt(n * sum of squares), where float32 rounding noise lives. */
    static void assertSummary(Tensor actual, Tensor expected, int numel, double rtol, String what) {
        float[] a = summary(actual).toFloatArray(), e = expected.toFloatArray();
        double scale = Math.sqrt(numel * (double) e[1]);
        assertThat((double) Math.abs(a[0] - e[0])).as("%s: sum %s vs PyTorch %s", what, a[0], e[0]).isLessThanOrEqualTo(rtol * scale + 1e-6);
        assertThat((double) Math.abs(a[1] - e[1])).as("%s: sum of squares %s vs PyTorch %s", what, a[1], e[1]).isLessThanOrEqualTo(rtol * Math.abs(e[1]) + 1e-9);
        double max = 0;
        for (int i = 2; i < e.length; i++) max = Math.max(max, Math.abs(e[i]));
        for (int i = 2; i < e.length; i++)
            assertThat((double) Math.abs(a[i] - e[i])).as("%s: element %d: %s vs PyTorch %s", what, i - 2, a[i], e[i]).isLessThanOrEqualTo(rtol * max + 1e-7);
    }

    void forwardBackward(FixtureCase c) {
        Module m = load(c);
        m.eval();
        Tensor x = FILE.tensor(c.id() + "/x0").requiresGrad_(true);
        Tensor labels = FILE.tensor(c.id() + "/labels");
        Tensor logits = m.forward(x);
        Tensor loss = F.crossEntropy(logits, labels);
        double[] tol = {1e-5, c.atol()};
        TensorAssert.assertClose(logits, FILE.tensor(c.outputs().get(0)), tol[0], tol[1], c.op() + " logits");
        TensorAssert.assertClose(loss, FILE.tensor(c.outputs().get(1)), tol[0], tol[1], c.op() + " loss");
        Autograd.backward(new Tensor[] {logits, loss}, new Tensor[] {FILE.tensor(c.gouts().get(0)), FILE.tensor(c.gouts().get(1))}, false, false);
        TensorAssert.assertClose(x.grad(), FILE.tensor(c.grads().get(0)), tol[0], tol[1], c.op() + " input grad");
        for (var e : m.namedParameters().entrySet()) {
            Tensor expected = FILE.tensor(c.id() + "/pgrad/" + e.getKey());
            if (full(c, "grads")) TensorAssert.assertClose(e.getValue().grad(), expected, tol[0], tol[1], c.op() + " grad of " + e.getKey());
            else assertSummary(e.getValue().grad(), expected, e.getValue().numel(), 1e-4, c.op() + " grad of " + e.getKey());
        }
    }

    /** The training loop of the tutorials: zero_grad, forward, cross-entropy, backward, update; dropout off (eval) on both sides. */
    void train(FixtureCase c, boolean momentum) {
        Module m = load(c);
        m.eval();
        int steps = c.kwargs().get("steps").asInt();
        double lr = 0.01;
        String tag = momentum ? "momentum" : "sgd";
        SGD opt = momentum ? new SGD(m.parameters(), SGD.options().lr(lr).momentum(0.9)) : null;
        float[] expectedLosses = FILE.tensor(c.id() + "/" + tag + "/losses").toFloatArray();
        for (int step = 0; step < 10; step++) {
            Tensor x = FILE.tensor(c.id() + "/x" + step % steps), y = FILE.tensor(c.id() + "/y" + step % steps);
            m.zeroGrad();
            Tensor loss = F.crossEntropy(m.forward(x), y);
            loss.backward();
            assertThat(loss.item()).as("%s loss at step %d", c.op(), step).isCloseTo(expectedLosses[step], org.assertj.core.data.Offset.offset(2e-5 * Math.max(1, Math.abs(expectedLosses[step]))));
            if (opt != null) {
                opt.step();
                continue;
            }
            try (var g = GradMode.noGrad()) {
                for (Parameter p : m.parameters()) p.sub_(p.grad().mul(lr));
            }
        }
        for (var e : m.stateDict().entrySet()) {
            Tensor expected = FILE.tensor(c.id() + "/" + tag + "/" + e.getKey());
            if (full(c, "trained")) TensorAssert.assertClose(e.getValue(), expected, 1e-5, 1e-5, c.op() + " trained " + e.getKey());
            else assertSummary(e.getValue(), expected, e.getValue().numel(), 1e-4, c.op() + " trained " + e.getKey());
        }
    }
}
