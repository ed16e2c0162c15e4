package dev.ember.tensor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.testing.Fixtures;
import dev.ember.testing.Fixtures.FixtureFile;
import dev.ember.testing.Kw;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Differential fuzzing against PyTorch: replays the random tensor programs of tools/fixtures/fx_programs.py
 * (views, broadcasting pointwise ops over mixed dtypes, reductions, matmul, joining, indexing, sorting, in-place
 * ops on intermediates) step by step through the public API and checks, after every step, each result's values,
 * dtype, shape, strides, storage offset, requires_grad, is_leaf and grad_fn name, or PyTorch's error text; then
 * the gradients of the program's weighted-sum loss with respect to its float leaves (values and strides), or
 * the error backward raised.
 *
 * <p>The committed fixtures hold a few hundred programs each: {@code programs} over float32/float64 and the
 * integer types, {@code programs_half} also over float16/bfloat16 and the casts between them.
 * {@code -Dember.programs=/path/file.safetensors} replays a larger local set made by
 * {@code fx_programs.py FIRST END FILE [--half]} instead.
 */
class ProgramFuzzTest {

    @TestFactory
    Stream<DynamicTest> programs() {
        return replayAll("programs");
    }

    @TestFactory
    Stream<DynamicTest> halfPrograms() {
        return System.getProperty("ember.programs", "").isBlank() ? replayAll("programs_half") : Stream.empty();
    }

    private static Stream<DynamicTest> replayAll(String family) {
        String external = System.getProperty("ember.programs");
        FixtureFile file = external == null || external.isBlank() ? Fixtures.load(family) : Fixtures.loadFile(Path.of(external));
        JsonNode programs = Fixtures.metadata(file, "programs");
        return StreamSupport.stream(programs.spliterator(), false)
                .map(p -> DynamicTest.dynamicTest("program " + p.get("id").asInt() + ": " + summary(p), () -> replay(file, p)));
    }

    private static String summary(JsonNode p) {
        List<String> ops = new ArrayList<>();
        for (JsonNode s : p.get("steps")) if (!s.get("op").asText().equals("input")) ops.add(s.get("op").asText());
        return String.join(" ", ops);
    }

    /**
     * Tolerances: every floating value of a program gets the loosest tolerance of the floating dtypes the program
     * holds, since a float64 value may have passed through float32 or float16 math (x.half().cos().double()):
     * one unit in the last place of bfloat16 (2^-7) or float16 (2^-10) relative, float32's (rtol 1e-5, atol 1e-6),
     * or float64's (rtol 1e-7, atol 1e-9); integers and bools exactly. A reduced-precision value of these programs
     * is exact or one correctly rounded float32 result, so one unit is room for a transcendental function's last
     * float32 bit and no more: a sum rounded at each step instead of once is further off.
     */
    private static final List<DType> LOOSEST_FIRST = List.of(DType.BFLOAT16, DType.FLOAT16, DType.FLOAT32, DType.FLOAT64);

    private static double[] tolerance(JsonNode program, DType dtype) {
        if (!dtype.isFloatingPoint()) return TensorAssert.defaultTolerance(dtype);
        int loosest = LOOSEST_FIRST.indexOf(dtype);
        for (JsonNode s : program.get("steps"))
            if (s.has("r")) for (JsonNode r : s.get("r")) {
                int k = LOOSEST_FIRST.indexOf(ProgramSteps.dtype(r.get("dtype").asText()));
                if (k >= 0 && k < loosest) loosest = k;
            }
        return switch (LOOSEST_FIRST.get(loosest)) {
            case BFLOAT16 -> new double[] {0x1p-7, 1e-6};
            case FLOAT16 -> new double[] {0x1p-10, 1e-6};
            default -> TensorAssert.defaultTolerance(LOOSEST_FIRST.get(loosest));
        };
    }

    static void replay(FixtureFile file, JsonNode program) {
        List<Tensor> values = new ArrayList<>();
        List<Tensor> leaves = new ArrayList<>();
        List<Integer> leafValues = new ArrayList<>();
        int n = 0;
        for (JsonNode step : program.get("steps")) {
            String op = step.get("op").asText();
            String where = "step " + n++ + " (" + op + " " + step.get("a") + " " + step.get("kw") + ")";
            Object result;
            if (op.equals("input")) {
                JsonNode kw = step.get("kw");
                Tensor base = file.tensor(kw.get("base").asText());
                if (kw.get("grad").asBoolean()) {
                    base.requiresGrad_(true);
                    leaves.add(base);
                    leafValues.add(values.size());
                }
                result = dev.ember.testing.OpCases.applyView(base, kw.get("view"));
            } else {
                Tensor[] operands = new Tensor[step.get("a").size()];
                for (int k = 0; k < operands.length; k++) operands[k] = values.get(step.get("a").get(k).asInt());
                // the generator picks an in-place op's target by asking every value is_leaf, which in Python reads
                // grad_fn and so refreshes a view whose base an in-place op has since made require grad: the C++
                // leaf check of the op then sees that node (seed 369871); the replay asks the same
                if (op.endsWith("_")) for (Tensor v : values) if (v.requiresGrad()) v.isLeaf();
                Kw kw = new Kw(step.get("kw"));
                if (step.has("error")) {
                    String expected = step.get("error").asText();
                    try {
                        Object r = ProgramSteps.run(op, operands, kw);
                        throw new AssertionError(where + ": PyTorch raised \"" + expected + "\" but Ember returned " + describe(r));
                    } catch (RuntimeException e) {
                        if (!expected.equals(e.getMessage()))
                            throw new AssertionError(where + ": error \"" + e.getMessage() + "\" but PyTorch raised \"" + expected + "\"", e);
                    }
                    return;
                }
                try {
                    result = ProgramSteps.run(op, operands, kw);
                } catch (RuntimeException e) {
                    throw new AssertionError(where + ": Ember raised \"" + e.getMessage() + "\" where PyTorch ran", e);
                }
            }
            List<Tensor> outs = outputs(result);
            JsonNode expected = step.get("r");
            if (outs.size() != expected.size())
                throw new AssertionError(where + ": " + outs.size() + " results but PyTorch gives " + expected.size());
            for (int k = 0; k < outs.size(); k++) {
                check(file, outs.get(k), expected.get(k), tolerance(program, outs.get(k).dtype()), where + " result " + k + " (v" + values.size() + ")");
                values.add(outs.get(k));
            }
        }
        backward(file, program, values, leaves, leafValues);
    }

    private static void check(FixtureFile file, Tensor actual, JsonNode e, double[] tol, String where) {
        Tensor want = file.tensor(e.get("t").asText());
        String dtype = actual.dtype().name().toLowerCase();
        if (!dtype.equals(e.get("dtype").asText())) throw new AssertionError(where + ": dtype " + dtype + " but PyTorch gives " + e.get("dtype").asText());
        if (!Arrays.equals(actual.shape(), ints(e.get("shape"))))
            throw new AssertionError(where + ": shape " + Arrays.toString(actual.shape()) + " but PyTorch gives " + e.get("shape"));
        TensorAssert.assertClose(actual, want, tol[0], tol[1], where);
        if (!Arrays.equals(actual.strides(), ints(e.get("stride"))))
            throw new AssertionError(where + ": strides " + Arrays.toString(actual.strides()) + " but PyTorch gives " + e.get("stride"));
        if (actual.storageOffset() != e.get("offset").asInt())
            throw new AssertionError(where + ": storage offset " + actual.storageOffset() + " but PyTorch gives " + e.get("offset"));
        if (actual.requiresGrad() != e.get("rg").asBoolean())
            throw new AssertionError(where + ": requires_grad " + actual.requiresGrad() + " but PyTorch gives " + e.get("rg"));
        if (actual.isLeaf() != e.get("leaf").asBoolean())
            throw new AssertionError(where + ": is_leaf " + actual.isLeaf() + " but PyTorch gives " + e.get("leaf"));
        String fn = actual.gradFn() == null ? null : actual.gradFn().typeName();
        String wantFn = e.get("fn").isNull() ? null : e.get("fn").asText();
        if (!java.util.Objects.equals(fn, wantFn)) throw new AssertionError(where + ": grad_fn " + fn + " but PyTorch gives " + wantFn);
    }

    /** The loss of fx_programs.Program.finish: sum over float values that require grad of (v * weights(k)).sum(). */
    private static void backward(FixtureFile file, JsonNode program, List<Tensor> values, List<Tensor> leaves, List<Integer> leafValues) {
        JsonNode bw = program.get("backward");
        if (bw == null || bw.isNull()) return;
        boolean any = values.stream().anyMatch(v -> v.isFloatingPoint() && v.requiresGrad());
        if (!any) throw new AssertionError("PyTorch backpropagated but no Ember value requires grad");
        String expected = bw.has("error") ? bw.get("error").asText() : null;
        try {
            Tensor loss = null;
            for (int k = 0; k < values.size(); k++) {
                Tensor v = values.get(k);
                if (!v.isFloatingPoint() || !v.requiresGrad()) continue;
                Tensor term = v.mul(weights(k, v.shape(), v.dtype())).sum();
                loss = loss == null ? term : term.add(loss);
            }
            loss.backward();
        } catch (RuntimeException e) {
            if (expected == null) throw new AssertionError("backward: Ember raised \"" + e.getMessage() + "\" where PyTorch ran", e);
            if (!expected.equals(e.getMessage()))
                throw new AssertionError("backward: error \"" + e.getMessage() + "\" but PyTorch raised \"" + expected + "\"", e);
            return;
        }
        if (expected != null) throw new AssertionError("backward: PyTorch raised \"" + expected + "\" but Ember ran");
        for (JsonNode g : bw.get("grads")) {
            int v = g.get("v").asInt();
            Tensor grad = leaves.get(leafValues.indexOf(v)).grad();
            String where = "grad of the leaf under v" + v;
            if (g.get("t").isNull()) {
                if (grad != null) throw new AssertionError(where + ": Ember has a grad where PyTorch's is None");
                continue;
            }
            if (grad == null) throw new AssertionError(where + ": Ember's grad is null");
            Tensor want = file.tensor(g.get("t").asText());
            double[] tol = tolerance(program, want.dtype());
            TensorAssert.assertClose(grad, want, tol[0], tol[1], where);
            if (!Arrays.equals(grad.strides(), ints(g.get("stride"))))
                throw new AssertionError(where + ": strides " + Arrays.toString(grad.strides()) + " but PyTorch gives " + g.get("stride"));
        }
    }

    /** fx_programs.weights. */
    static Tensor weights(int k, int[] shape, DType dtype) {
        int n = Shape.numel(shape);
        double[] w = new double[n];
        for (int i = 0; i < n; i++) w[i] = (((long) i * 7 + k * 3L) % 11 - 5) / 4.0;
        return Tensor.fromArray(w, shape).to(dtype);
    }

    private static List<Tensor> outputs(Object r) {
        return switch (r) {
            case Tensor t -> List.of(t);
            case Tensor.ValuesIndices vi -> List.of(vi.values(), vi.indices());
            case List<?> l -> l.stream().map(Tensor.class::cast).toList();
            default -> throw new IllegalArgumentException("step returned " + r);
        };
    }

    private static String describe(Object r) {
        return outputs(r).stream().map(t -> t.dtype().name().toLowerCase() + Arrays.toString(t.shape())).toList().toString();
    }

    static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) out[k] = a.get(k).asInt();
        return out;
    }
}
