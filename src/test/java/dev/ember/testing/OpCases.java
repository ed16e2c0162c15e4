package dev.ember.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ember.autograd.Autograd;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Fixtures.FixtureCase;
import dev.ember.testing.Fixtures.FixtureFile;
import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs every case of a fixture family against Ember: outputs, input gradients and PyTorch's error texts, plus a
 * float64 finite-difference gradcheck of each differentiable case. A case whose op has no Java binding fails,
 * so fixtures and tests cannot drift apart.
 */
public final class OpCases {
    private OpCases() {}

    /** Calls the op on the (viewed) inputs; may return a Tensor, a List of tensors, a Tensor[] or ValuesIndices. */
    @FunctionalInterface
    public interface Op {
        Object apply(Tensor[] in, Kw kw);
    }

    /** The op, also comparing its first result's strides and grad_fn chain with the fixture's, when it recorded them. */
    public static Op checkingLayout(Op op) {
        return (x, k) -> {
            Object r = op.apply(x, k);
            Tensor first = r instanceof List<?> l ? (Tensor) l.getFirst() : (Tensor) r;
            if (k.has("strides")) assertThat(first.strides()).as("strides").containsExactly(k.ints("strides"));
            if (k.has("grad_fn") && first.requiresGrad()) assertThat(GradFnChain.of(first)).as("grad_fn chain").isEqualTo(k.s("grad_fn"));
            return r;
        };
    }

    /**
     * Families whose NaN results do not all have PyTorch's sign yet (cdist's, digamma's and float_power's gradients;
     * logaddexp; cov's and corrcoef's gradients with no degrees of freedom, whose sign changes with what the JVM has
     * compiled by then): their NaNs match whatever their sign. Every other family's must have the sign PyTorch gives.
     */
    private static final Set<String> NAN_SIGNS_NOT_YET = Set.of("more_indexing", "more_math", "special_math");

    /** Cases whose inputs hold more elements than this skip the (quadratic-cost) finite-difference check. */
    static final int GRADCHECK_MAX_ELEMENTS = 400;

    public static Stream<DynamicTest> run(String family, Map<String, Op> ops) {
        FixtureFile file = Fixtures.load(family);
        Set<String> missing = new TreeSet<>();
        for (FixtureCase c : file.cases()) if (!ops.containsKey(c.op())) missing.add(c.op());
        Stream<DynamicTest> coverage = Stream.of(DynamicTest.dynamicTest(family + ": every fixture op has a Java binding",
                () -> assertThat(missing).as("ops in %s.safetensors without a binding", family).isEmpty()));
        return Stream.concat(coverage, file.cases().stream().filter(c -> ops.containsKey(c.op()))
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> runCase(file, c, ops.get(c.op())))));
    }

    static void runCase(FixtureFile file, FixtureCase c, Op op) {
        Kw kw = new Kw(c.kwargs());
        List<Tensor> bases = new ArrayList<>();
        Tensor[] in = new Tensor[c.inputs().size()];
        for (int k = 0; k < in.length; k++) {
            var spec = c.inputs().get(k);
            Tensor base = file.tensor(spec.name());
            if (spec.grad()) base.requiresGrad_(true);
            bases.add(base);
            in[k] = applyView(base, spec.view());
        }
        if (c.error() != null) {
            assertThatThrownBy(() -> op.apply(in, kw)).as(c.id()).hasMessage(c.error());
            return;
        }
        List<Tensor> outs = outputs(op.apply(in, kw));
        assertThat(outs).as("%s: number of outputs", c.id()).hasSize(c.outputs().size());
        for (int k = 0; k < outs.size(); k++) {
            Tensor expected = file.tensor(c.outputs().get(k));
            double[] tol = tolerance(c, expected.dtype());
            TensorAssert.assertClose(outs.get(k), expected, tol[0], tol[1], c.id() + " output " + k);
            if (!NAN_SIGNS_NOT_YET.contains(file.family())) TensorAssert.assertNanSigns(outs.get(k), expected, c.id() + " output " + k);
        }
        if (!c.grads().isEmpty()) checkGrads(file, c, bases, outs);
        if (c.gradcheck() && !c.grads().isEmpty() && bases.stream().mapToInt(Tensor::numel).sum() <= GRADCHECK_MAX_ELEMENTS) gradcheck(file, c, op, kw);
    }

    private static void checkGrads(FixtureFile file, FixtureCase c, List<Tensor> bases, List<Tensor> outs) {
        List<Tensor> diffOuts = new ArrayList<>(), gouts = new ArrayList<>(), leaves = new ArrayList<>();
        for (int k = 0; k < outs.size(); k++) {
            String g = k < c.gouts().size() ? c.gouts().get(k) : null;
            if (g == null) continue;
            assertThat(outs.get(k).requiresGrad()).as("%s: output %d requires grad", c.id(), k).isTrue();
            diffOuts.add(outs.get(k));
            gouts.add(file.tensor(g));
        }
        List<Integer> which = new ArrayList<>();
        for (int k = 0; k < bases.size(); k++) if (c.grads().get(k) != null) {
            leaves.add(bases.get(k));
            which.add(k);
        }
        Tensor[] got = Autograd.grad(diffOuts.toArray(new Tensor[0]), leaves.toArray(new Tensor[0]), gouts.toArray(new Tensor[0]), false, false, true);
        for (int j = 0; j < got.length; j++) {
            Tensor expected = file.tensor(c.grads().get(which.get(j)));
            Tensor actual = got[j] == null ? Tensor.zerosLike(expected) : got[j];
            double[] tol = tolerance(c, expected.dtype());
            TensorAssert.assertClose(actual, expected, tol[0], tol[1], c.id() + " grad of input " + which.get(j));
            if (!NAN_SIGNS_NOT_YET.contains(file.family())) TensorAssert.assertNanSigns(actual, expected, c.id() + " grad of input " + which.get(j));
        }
    }

    private static void gradcheck(FixtureFile file, FixtureCase c, Op op, Kw kw) {
        Tensor[] bases = new Tensor[c.inputs().size()];
        for (int k = 0; k < bases.length; k++) {
            var spec = c.inputs().get(k);
            Tensor b = file.tensor(spec.name());
            if (spec.grad()) b = b.to(DType.FLOAT64).detach().requiresGrad_(true);
            bases[k] = b;
        }
        GradCheck.check(x -> {
            Tensor[] viewed = new Tensor[x.length];
            for (int k = 0; k < x.length; k++) viewed[k] = applyView(x[k], c.inputs().get(k).view());
            return outputs(op.apply(viewed, kw));
        }, bases);
    }

    private static double[] tolerance(FixtureCase c, DType dtype) {
        double[] tol = TensorAssert.defaultTolerance(dtype);
        return new double[] {c.rtol() != null ? c.rtol() : tol[0], c.atol() != null ? c.atol() : tol[1]};
    }

    @SuppressWarnings("unchecked")
    static List<Tensor> outputs(Object r) {
        return switch (r) {
            case Tensor t -> List.of(t);
            case Tensor[] ts -> Arrays.asList(ts);
            case Tensor.ValuesIndices vi -> List.of(vi.values(), vi.indices());
            case List<?> l -> (List<Tensor>) l;
            default -> throw new IllegalArgumentException("op returned " + r);
        };
    }

    /** The view recipes of fixturelib.apply_view. */
    public static Tensor applyView(Tensor t, JsonNode recipe) {
        if (recipe == null) return t;
        for (JsonNode step : recipe) {
            String op = step.get(0).asText();
            t = switch (op) {
                case "t" -> t.t();
                case "permute" -> t.permute(ints(step.get(1)));
                case "transpose" -> t.transpose(step.get(1).asInt(), step.get(2).asInt());
                case "slice" -> t.slice(step.get(1).asInt(), step.get(2).asInt(), step.get(3).asInt(), step.get(4).asInt());
                case "select" -> t.select(step.get(1).asInt(), step.get(2).asInt());
                case "expand" -> t.expand(ints(step.get(1)));
                case "unsqueeze" -> t.unsqueeze(step.get(1).asInt());
                default -> throw new IllegalArgumentException("unknown view step " + op);
            };
        }
        return t;
    }

    private static int[] ints(JsonNode a) {
        int[] out = new int[a.size()];
        for (int k = 0; k < out.length; k++) out[k] = a.get(k).asInt();
        return out;
    }
}
