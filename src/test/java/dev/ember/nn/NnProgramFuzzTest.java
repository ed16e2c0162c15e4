package dev.ember.nn;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.autograd.Autograd;
import dev.ember.nn.functional.F;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.GradFnChain;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import static dev.ember.testing.TensorAssert.assertClose;

/**
 * Differential fuzzing of nn functional compositions against PyTorch 1.13: replays the random programs of
 * tools/fixtures/fx_nn_programs.py (linear, conv1d/2d, pools, norms, activations, softmax, dropout(p=0), flatten, then
 * a loss; float32 and float64, batched and unbatched) and checks the loss (value and grad_fn), every leaf's
 * first-order gradient built with createGraph (values and PyTorch's grad_fn graph) and the second-order gradients
 * of {@code sum_k (g_k * probe_k).sum()}.
 *
 * <p>{@code -Dember.nnprograms=/path/file.safetensors} replays a larger local set made by
 * {@code fx_nn_programs.py FIRST END FILE}.
 */
class NnProgramFuzzTest {

    @TestFactory
    Stream<DynamicTest> programs() {
        String external = System.getProperty("ember.nnprograms");
        FixtureFile file = external == null || external.isBlank() ? Fixtures.load("nn_programs") : Fixtures.loadFile(Path.of(external));
        return StreamSupport.stream(Fixtures.metadata(file, "programs").spliterator(), false)
                .map(p -> DynamicTest.dynamicTest("program " + p.get("id").asInt() + ": " + summary(p), () -> replay(file, p)));
    }

    private static String summary(JsonNode p) {
        List<String> ops = new ArrayList<>();
        for (JsonNode s : p.get("steps")) ops.add(s.get("op").asText() + (s.get("kw").has("f") ? "(" + s.get("kw").get("f").asText() + ")" : ""));
        ops.add(p.get("loss").get("op").asText());
        return String.join(" ", ops);
    }

    /**
     * float32 programs pass through GEMMs and reductions summed in other orders, and a norm's gradient cancels (the
     * gradient of sum(layer_norm(x)) is 0 up to rounding): there the absolute bound scales with the tensor's largest
     * element. On top of that Ember may be off by {@link #OWN_ERROR} times the rounding error PyTorch makes itself,
     * how far its float32 answer is from its float64 replay of the same program ({@code exact}): a norm over nearly
     * equal values amplifies float32 rounding by 1/std, and PyTorch's own answer there moves with its thread count.
     */
    private static void assertNear(Tensor actual, Tensor want, Tensor exact, JsonNode p, int order, String what) {
        if (p.get("dtype").asText().equals("float64")) {
            assertClose(actual, want, 1e-9, 1e-10, what);
            return;
        }
        double scale = want.numel() == 0 ? 0 : want.abs().max().item();
        double own = exact == null || want.numel() == 0 ? 0 : want.to(DType.FLOAT64).sub(exact).abs().max().item();
        double rtol = order == 2 ? 2e-3 : 1e-4;
        assertClose(actual, want, rtol, Math.max(order == 2 ? 2e-4 : 1e-5, rtol * scale) + OWN_ERROR * own, what);
    }

    private static final double OWN_ERROR = 4;

    /** PyTorch's float64 replay of a float32 program's tensor ({@code first64}/{@code second64}), or null. */
    private static Tensor exact(FixtureFile file, JsonNode p, String key, int k) {
        JsonNode names = p.get(key);
        return names == null || names.get(k).isNull() ? null : file.tensor(names.get(k).asText());
    }

    static void replay(FixtureFile file, JsonNode p) {
        JsonNode names = p.get("leaves");
        Tensor[] leaves = new Tensor[names.size()];
        for (int k = 0; k < leaves.length; k++) leaves[k] = file.tensor(names.get(k).asText()).requiresGrad_();
        Tensor h = leaves[0];
        int next = 1;
        for (JsonNode step : p.get("steps")) {
            Tensor[] ps = new Tensor[step.get("p").size()];
            for (int k = 0; k < ps.length; k++) ps[k] = leaves[next++];
            h = layer(step.get("op").asText(), step.get("kw"), h, ps);
        }
        JsonNode loss = p.get("loss");
        Tensor target = loss.get("t").isNull() ? null : file.tensor(loss.get("t").asText());
        Tensor y = loss(loss.get("op").asText(), loss.get("kw"), h, target);
        assertNear(y, file.tensor(p.get("out").asText()), p.has("out64") ? file.tensor(p.get("out64").asText()) : null, p, 1, "loss");
        String fn = y.gradFn() == null ? null : y.gradFn().typeName();
        if (!java.util.Objects.equals(fn, p.get("fn").isNull() ? null : p.get("fn").asText()))
            throw new AssertionError("loss grad_fn " + fn + " but PyTorch gives " + p.get("fn"));
        Tensor scalar = y.dim() == 0 ? y : y.sum();
        Tensor[] first = Autograd.grad(new Tensor[] {scalar}, leaves, null, true, true, true);
        Tensor total = null;
        for (int k = 0; k < leaves.length; k++) {
            JsonNode want = p.get("first").get(k);
            if (want.isNull()) {
                if (first[k] != null) throw new AssertionError("leaf " + k + ": Ember has a gradient where PyTorch's is None");
                continue;
            }
            assertNear(first[k], file.tensor(want.asText()), exact(file, p, "first64", k), p, 1, "first-order gradient of leaf " + k);
            String graph = first[k].gradFn() == null ? null : String.join(" ", GradFnChain.depthFirst(first[k].gradFn()));
            JsonNode wantGraph = p.get("graphs").get(k);
            if (!java.util.Objects.equals(graph, wantGraph.isNull() ? null : wantGraph.asText()))
                throw new AssertionError("graph of leaf " + k + "'s gradient:\n  Ember   " + graph + "\n  PyTorch " + wantGraph.asText());
            if (first[k].gradFn() == null) continue;
            Tensor term = first[k].mul(file.tensor(p.get("probes").get(k).asText())).sum();
            total = total == null ? term : total.add(term);
        }
        if (total == null) return;
        Tensor[] second = Autograd.grad(new Tensor[] {total}, leaves, null, false, false, true);
        for (int k = 0; k < leaves.length; k++) {
            JsonNode want = p.get("second").get(k);
            if (want.isNull()) {
                if (second[k] != null) assertClose(second[k], second[k].mul(0.0), 0, 0, "second-order gradient of leaf " + k + " (PyTorch's is None)");
                continue;
            }
            if (second[k] == null) throw new AssertionError("leaf " + k + ": Ember's second-order gradient is None");
            assertNear(second[k], file.tensor(want.asText()), exact(file, p, "second64", k), p, 2, "second-order gradient of leaf " + k);
        }
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) out[k] = a.get(k).asInt();
        return out;
    }

    private static Tensor opt(Tensor[] ps, int k) { return k < ps.length ? ps[k] : null; }

    /** fx_nn_programs.Program.layer. */
    static Tensor layer(String op, JsonNode kw, Tensor h, Tensor[] ps) {
        return switch (op) {
            case "act" -> act(kw.get("f").asText(), h);
            case "dropout" -> F.dropout(h, 0.0, true);
            case "softmax" -> kw.get("log").asBoolean() ? F.logSoftmax(h, kw.get("dim").asInt()) : F.softmax(h, kw.get("dim").asInt());
            case "flatten" -> h.flatten(kw.get("start").asInt());
            case "linear" -> F.linear(h, ps[0], opt(ps, 1));
            case "layer_norm" -> F.layerNorm(h, ints(kw.get("shape")), opt(ps, 0), opt(ps, 1), 1e-5);
            case "batch_norm" -> F.batchNorm(h, null, null, opt(ps, 0), opt(ps, 1), true, 0.1, 1e-5);
            case "group_norm" -> F.groupNorm(h, kw.get("groups").asInt(), opt(ps, 0), opt(ps, 1), 1e-5);
            case "conv1d", "conv2d" -> {
                int[] s = {kw.get("stride").asInt()}, pad = {kw.get("padding").asInt()}, d = {kw.get("dilation").asInt()};
                int groups = kw.get("groups").asInt();
                yield op.equals("conv1d") ? F.conv1d(h, ps[0], opt(ps, 1), s, pad, d, groups) : F.conv2d(h, ps[0], opt(ps, 1), s, pad, d, groups);
            }
            case "adaptive_avg_pool1d" -> F.adaptiveAvgPool1d(h, kw.get("size").get(0).asInt());
            case "adaptive_max_pool1d" -> F.adaptiveMaxPool1d(h, kw.get("size").get(0).asInt());
            case "adaptive_avg_pool2d" -> F.adaptiveAvgPool2d(h, ints(kw.get("size")));
            case "adaptive_max_pool2d" -> F.adaptiveMaxPool2d(h, ints(kw.get("size")));
            case "max_pool1d" -> F.maxPool1d(h, kw.get("kernel").asInt(), kw.get("stride").asInt(), kw.get("padding").asInt(), kw.get("dilation").asInt(),
                    kw.get("ceil").asBoolean());
            case "max_pool2d" -> F.maxPool2d(h, new int[] {kw.get("kernel").asInt()}, new int[] {kw.get("stride").asInt()}, new int[] {kw.get("padding").asInt()},
                    new int[] {kw.get("dilation").asInt()}, kw.get("ceil").asBoolean());
            case "avg_pool1d" -> F.avgPool1d(h, kw.get("kernel").asInt(), kw.get("stride").asInt(), kw.get("padding").asInt(), kw.get("ceil").asBoolean(),
                    kw.get("include_pad").asBoolean());
            case "avg_pool2d" -> F.avgPool2d(h, new int[] {kw.get("kernel").asInt()}, new int[] {kw.get("stride").asInt()}, new int[] {kw.get("padding").asInt()},
                    kw.get("ceil").asBoolean(), kw.get("include_pad").asBoolean(), null);
            default -> throw new IllegalArgumentException("unknown layer " + op);
        };
    }

    private static Tensor act(String f, Tensor h) {
        return switch (f) {
            case "relu" -> F.relu(h);
            case "gelu" -> F.gelu(h);
            case "gelu_tanh" -> F.gelu(h, "tanh");
            case "tanh" -> h.tanh();
            case "sigmoid" -> h.sigmoid();
            case "silu" -> F.silu(h);
            case "elu" -> F.elu(h);
            case "leaky_relu" -> F.leakyRelu(h, 0.1);
            case "softplus" -> F.softplus(h);
            case "hardtanh" -> F.hardtanh(h);
            case "logsigmoid" -> F.logsigmoid(h);
            case "mish" -> F.mish(h);
            case "square" -> h.mul(h);
            default -> throw new IllegalArgumentException("unknown activation " + f);
        };
    }

    /** fx_nn_programs.Program.loss. */
    static Tensor loss(String op, JsonNode kw, Tensor h, Tensor t) {
        String r = kw.has("reduction") ? kw.get("reduction").asText() : null;
        int cdim = h.dim() >= 2 ? 1 : 0;
        return switch (op) {
            case "sum" -> h.sum();
            case "mse_loss" -> F.mseLoss(h, t, r);
            case "l1_loss" -> F.l1Loss(h, t, r);
            case "smooth_l1_loss" -> F.smoothL1Loss(h, t, r, kw.get("beta").asDouble());
            case "huber_loss" -> F.huberLoss(h, t, r, kw.get("delta").asDouble());
            case "kl_div" -> F.klDiv(F.logSoftmax(h, -1), t, r, kw.get("log_target").asBoolean());
            case "bce_with_logits" -> F.binaryCrossEntropyWithLogits(h, t, null, null, r);
            case "cross_entropy" -> F.crossEntropy(h, t, null, -100, r, kw.get("smoothing").asDouble());
            case "nll_loss" -> F.nllLoss(F.logSoftmax(h, cdim), t, null, -100, r);
            default -> throw new IllegalArgumentException("unknown loss " + op);
        };
    }
}
