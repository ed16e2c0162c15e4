package dev.ember.autograd;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.Kw;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Differential fuzzing of the autograd API against PyTorch: replays the random scripts of
 * tools/fixtures/fx_autograd_scripts.py (leaves, views, in-place ops, retain_grad, requires_grad_, detach, .grad
 * assignment, hooks, grad modes, backward and autograd.grad with their options) and checks after every step each new
 * value's dtype, shape and strides or PyTorch's error text, then every value's requires_grad, is_leaf, grad_fn (or
 * the error reading it raises), version, values and .grad (values, strides, requires_grad, grad_fn). A step PyTorch
 * refused must leave everything as it was, so scripts go on after errors.
 *
 * <p>{@code -Dember.autograd.scripts=/path/file.safetensors} replays a larger local set made by
 * {@code fx_autograd_scripts.py FIRST END FILE}.
 */
class AutogradScriptFuzzTest {

    @TestFactory
    Stream<DynamicTest> scripts() {
        String external = System.getProperty("ember.autograd.scripts");
        FixtureFile file = external == null || external.isBlank() ? Fixtures.load("autograd_scripts") : Fixtures.loadFile(Path.of(external));
        JsonNode scripts = Fixtures.metadata(file, "scripts");
        return StreamSupport.stream(scripts.spliterator(), false)
                .map(s -> DynamicTest.dynamicTest("script " + s.get("id").asInt() + ": " + summary(s), () -> replay(file, s)));
    }

    private static String summary(JsonNode script) {
        List<String> ops = new ArrayList<>();
        for (JsonNode s : script.get("steps")) ops.add(s.get("op").asText());
        return String.join(" ", ops);
    }

    static void replay(FixtureFile file, JsonNode script) {
        List<Tensor> values = new ArrayList<>();
        Map<Integer, JsonNode> expected = new HashMap<>();
        int n = 0;
        for (JsonNode step : script.get("steps")) {
            String op = step.get("op").asText();
            String where = "step " + n++ + " (" + op + " " + step.get("a") + " " + step.get("kw") + (step.has("mode") ? " grad mode " + step.get("mode") : "") + ")";
            List<Tensor> made;
            if (op.equals("leaf")) {
                Tensor t = file.tensor(step.get("kw").get("data").asText());
                made = List.of(step.get("kw").get("rg").asBoolean() ? t.requiresGrad_() : t);
            } else {
                made = runStep(file, step, values, where);
            }
            if (step.has("r")) {
                JsonNode r = step.get("r");
                if (made.size() != r.size()) throw new AssertionError(where + ": " + made.size() + " results but PyTorch gives " + r.size());
                for (int k = 0; k < made.size(); k++) {
                    checkResult(made.get(k), r.get(k), where + " result " + k + " (v" + values.size() + ")");
                    values.add(made.get(k));
                }
            }
            if (step.has("s")) step.get("s").properties().forEach(e -> expected.put(Integer.parseInt(e.getKey()), e.getValue()));
            for (int k = 0; k < values.size(); k++) checkState(file, values.get(k), expected.get(k), where + ", then v" + k);
        }
    }

    /** Runs a step in its grad mode; returns what it made, or nothing when it raised PyTorch's error. */
    private static List<Tensor> runStep(FixtureFile file, JsonNode step, List<Tensor> values, String where) {
        JsonNode a = step.get("a");
        Tensor[] operands = new Tensor[a.size()];
        for (int k = 0; k < operands.length; k++) operands[k] = values.get(a.get(k).asInt());
        String op = step.get("op").asText();
        Kw kw = new Kw(step.get("kw"));
        boolean mode = step.has("mode") ? step.get("mode").asBoolean() : GradMode.isEnabled();
        String error = step.has("error") ? step.get("error").asText() : null;
        List<Tensor> made;
        try (var g = GradMode.set(mode)) {
            made = AutogradScripts.run(op, operands, kw, file);
        } catch (RuntimeException e) {
            if (error == null) throw new AssertionError(where + ": Ember raised \"" + e.getMessage() + "\" where PyTorch ran", e);
            if (!error.equals(e.getMessage())) throw new AssertionError(where + ": error \"" + e.getMessage() + "\" but PyTorch raised \"" + error + "\"", e);
            return List.of();
        }
        if (error != null) throw new AssertionError(where + ": PyTorch raised \"" + error + "\" but Ember ran");
        return made;
    }

    private static void checkResult(Tensor t, JsonNode r, String where) {
        if (r.isNull() || t == null) {
            if (r.isNull() != (t == null)) throw new AssertionError(where + ": " + (t == null ? "None" : "a tensor") + " but PyTorch gives " + r);
            return;
        }
        String dtype = t.dtype().name().toLowerCase();
        if (!dtype.equals(r.get(0).asText())) throw new AssertionError(where + ": dtype " + dtype + " but PyTorch gives " + r.get(0));
        if (!Arrays.equals(t.shape(), ints(r.get(1)))) throw new AssertionError(where + ": shape " + Arrays.toString(t.shape()) + " but PyTorch gives " + r.get(1));
        if (!Arrays.equals(t.strides(), ints(r.get(2)))) throw new AssertionError(where + ": strides " + Arrays.toString(t.strides()) + " but PyTorch gives " + r.get(2));
    }

    /** Compares one value with fx_autograd_scripts.Script.state: [rg, leaf, fn, version, values, (grad, strides, grad rg, grad fn)]. */
    private static void checkState(FixtureFile file, Tensor t, JsonNode s, String where) {
        if (s == null || s.isNull()) {
            if (t != null) throw new AssertionError(where + ": a tensor where PyTorch's value is None");
            return;
        }
        if (t.requiresGrad() != s.get(0).asBoolean()) throw new AssertionError(where + ": requires_grad " + t.requiresGrad() + " but PyTorch gives " + s.get(0));
        String fn;
        Boolean leaf;
        try {
            fn = t.gradFn() == null ? null : t.gradFn().typeName();
            leaf = t.isLeaf();
        } catch (RuntimeException e) {
            fn = "!" + e.getMessage().split("\n")[0];
            leaf = null;
        }
        String wantFn = s.get(2).isNull() ? null : s.get(2).asText();
        if (!Objects.equals(fn, wantFn)) throw new AssertionError(where + ": grad_fn " + fn + " but PyTorch gives " + wantFn);
        Boolean wantLeaf = s.get(1).isNull() ? null : s.get(1).asBoolean();
        if (!Objects.equals(leaf, wantLeaf)) throw new AssertionError(where + ": is_leaf " + leaf + " but PyTorch gives " + wantLeaf);
        if (t.version() != s.get(3).asInt()) throw new AssertionError(where + ": _version " + t.version() + " but PyTorch gives " + s.get(3));
        assertValues(t, file.tensor(s.get(4).asText()), where + ": values");
        Tensor g = t.grad();
        if (s.size() == 5) {
            if (g != null) throw new AssertionError(where + ": .grad " + g + " where PyTorch's is None");
            return;
        }
        if (g == null) throw new AssertionError(where + ": .grad is None where PyTorch has one");
        assertValues(g, file.tensor(s.get(5).asText()), where + ": .grad");
        if (!Arrays.equals(g.strides(), ints(s.get(6)))) throw new AssertionError(where + ": .grad strides " + Arrays.toString(g.strides()) + " but PyTorch gives " + s.get(6));
        if (g.requiresGrad() != s.get(7).asBoolean()) throw new AssertionError(where + ": .grad requires_grad " + g.requiresGrad() + " but PyTorch gives " + s.get(7));
        String gfn = g.gradFn() == null ? null : g.gradFn().typeName();
        String wantGfn = s.get(8).isNull() ? null : s.get(8).asText();
        if (!Objects.equals(gfn, wantGfn)) throw new AssertionError(where + ": .grad grad_fn " + gfn + " but PyTorch gives " + wantGfn);
    }

    private static void assertValues(Tensor actual, Tensor want, String where) {
        if (actual.dtype() != want.dtype()) throw new AssertionError(where + ": dtype " + actual.dtype() + " but PyTorch gives " + want.dtype());
        if (!Arrays.equals(actual.shape(), want.shape()))
            throw new AssertionError(where + ": shape " + Arrays.toString(actual.shape()) + " but PyTorch gives " + Arrays.toString(want.shape()));
        double[] tol = TensorAssert.defaultTolerance(DType.FLOAT32);
        TensorAssert.assertClose(actual, want, tol[0], tol[1], where);
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) out[k] = a.get(k).asInt();
        return out;
    }
}
