package dev.ember.model;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.ember.model.Specs.n;
import static dev.ember.model.Specs.ref;
import static dev.ember.model.Specs.withKwargs;
import static dev.ember.testing.TensorAssert.assertClose;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hand-written graphs around the ops that return several values (values and indices, unique's tuples, var_mean,
 * meshgrid) and Python values (torch.equal, ints through {@code &}), in the spellings fx and make_fx record: what
 * each result slot holds and how getitem and {@code .values} pick from it. Expected values are PyTorch 1.13's,
 * printed by the snippet above each check.
 */
class MultiResultOpsTest {
    /** Runs {@code nodes} on input x and returns the output node's value as the graph computes it (a list for a tuple). */
    @SafeVarargs
    private static Object run(Tensor x, Map<String, Object>... nodes) throws Exception {
        ModelSpec spec = ModelSpec.parse(Specs.graph(List.of(-1), List.of(-1), List.of(nodes)), "model.json");
        return LoadedModel.fromStateDict(spec, Map.of(), dev.ember.tensor.Device.CPU).call(x);
    }

    private static Map<String, Object> result(String node) { return n("output", "output", null, ref(node)); }

    private static Tensor longs(long... v) { return Tensor.fromArray(v, v.length); }

    private static void assertTensors(Object result, Tensor... expected) {
        assertThat(result).isInstanceOf(List.class);
        List<?> l = (List<?>) result;
        assertThat(l).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) assertClose((Tensor) l.get(i), expected[i]);
    }

    @Test
    void uniqueReturnsWhatWasAskedForAndAtenFillsEverySlot() throws Exception {
        // x = torch.tensor([3., 1., 3., 2., 1.])
        Tensor x = Tensor.of(3, 1, 3, 2, 1);
        // torch.unique(x, return_inverse=True, return_counts=True) -> ([1., 2., 3.], [2, 0, 2, 1, 0], [2, 1, 2])
        Object all = run(x, withKwargs(n("u", "call_function", "torch.unique", ref("x")), Map.of("return_inverse", true, "return_counts", true)), result("u"));
        assertTensors(all, Tensor.of(1, 2, 3), longs(2, 0, 2, 1, 0), longs(2, 1, 2));
        // x.unique(return_counts=True) -> ([1., 2., 3.], [2, 1, 2]): the inverse is left out, not empty
        assertTensors(run(x, withKwargs(n("u", "call_method", "unique", ref("x")), Map.of("return_counts", true)), result("u")), Tensor.of(1, 2, 3), longs(2, 1, 2));
        // torch.unique(x) is the values alone
        Object alone = run(x, n("u", "call_function", "torch.unique", ref("x")), result("u"));
        assertClose((Tensor) alone, Tensor.of(1, 2, 3));
        // torch.ops.aten._unique2(x, True, False, True) -> ([1., 2., 3.], [2, 0, 2, 1, 0], [2, 1, 2]): counts need the inverse
        assertTensors(run(x, n("u", "call_function", "aten._unique2.default", ref("x"), true, false, true), result("u")),
                Tensor.of(1, 2, 3), longs(2, 0, 2, 1, 0), longs(2, 1, 2));
        // torch.ops.aten._unique2(x, True, True, False) -> (..., [2, 0, 2, 1, 0], tensor([], dtype=torch.int64))
        assertTensors(run(x, n("u", "call_function", "aten._unique2.default", ref("x"), true, true, false), result("u")),
                Tensor.of(1, 2, 3), longs(2, 0, 2, 1, 0), longs());
        // torch.ops.aten.unique_consecutive(x, False, True) -> ([3., 1., 3., 2., 1.], [], [1, 1, 1, 1, 1]); getitem picks the counts
        Object consecutive = run(x, n("u", "call_function", "aten.unique_consecutive.default", ref("x"), false, true), result("u"));
        assertTensors(consecutive, Tensor.of(3, 1, 3, 2, 1), longs(), longs(1, 1, 1, 1, 1));
        Object counts = run(x, n("u", "call_function", "aten.unique_consecutive.default", ref("x"), false, true),
                n("c", "call_function", "operator.getitem", ref("u"), 2L), result("c"));
        assertClose((Tensor) counts, longs(1, 1, 1, 1, 1));
    }

    @Test
    void uniqueOverSlicesOfADim() throws Exception {
        // x = torch.tensor([1, 2, 0, 1, 1, 2]).view(3, 2)
        Tensor x = longs(1, 2, 0, 1, 1, 2);
        Map<String, Object> view = n("v", "call_method", "view", ref("x"), 3L, 2L);
        Tensor rows = longs(0, 1, 1, 2).view(2, 2);
        // torch.unique(x.view(3, 2), dim=0, return_counts=True) -> ([[0, 1], [1, 2]], [1, 2])
        assertTensors(run(x, view, withKwargs(n("u", "call_function", "torch.unique", ref("v")), Map.of("dim", 0L, "return_counts", true)), result("u")),
                rows, longs(1, 2));
        // torch.ops.aten.unique_dim(x, 0, True, False, False) -> ([[0, 1], [1, 2]], [1, 0, 1], [1, 2]): every slot filled
        assertTensors(run(x, view, n("u", "call_function", "aten.unique_dim.default", ref("v"), 0L, true, false, false), result("u")),
                rows, longs(1, 0, 1), longs(1, 2));
        // torch.ops.aten.unique_consecutive(x, False, False, 0) -> ([[1, 2], [0, 1], [1, 2]], [0, 1, 2], [1, 1, 1])
        assertTensors(run(x, view, n("u", "call_function", "aten.unique_consecutive.default", ref("v"), false, false, 0L), result("u")),
                longs(1, 2, 0, 1, 1, 2).view(3, 2), longs(0, 1, 2), longs(1, 1, 1));
        // x.unique_consecutive(return_inverse=True, dim=1) -> ([[1, 2], [0, 1], [1, 2]], [0, 1])
        assertTensors(run(x, view, withKwargs(n("u", "call_method", "unique_consecutive", ref("v")), Map.of("dim", 1L, "return_inverse", true)), result("u")),
                longs(1, 2, 0, 1, 1, 2).view(3, 2), longs(0, 1));
    }

    @Test
    void valuesAndIndicesByGetitemAndByName() throws Exception {
        // x = torch.tensor([[1., 5., 3.], [4., 2., 6.]])
        Tensor x = Tensor.of(1, 5, 3, 4, 2, 6).view(2, 3);
        // x.median(1) -> values=[3., 4.], indices=[2, 0]; fx writes x.median(1).values as builtins.getattr
        for (String field : List.of("values", "indices")) {
            Object picked = run(x, n("m", "call_method", "median", ref("x"), 1L), n("f", "call_function", "builtins.getattr", ref("m"), field), result("f"));
            assertClose((Tensor) picked, field.equals("values") ? Tensor.of(3, 4) : longs(2, 0));
        }
        // torch.kthvalue(x, 2, 1) and aten.kthvalue.default give the same pair
        assertTensors(run(x, n("k", "call_function", "aten.kthvalue.default", ref("x"), 2L, 1L), result("k")), Tensor.of(3, 4), longs(2, 0));
        // torch.mode(torch.tensor([[1., 1., 2.], [3., 2., 2.]]), 1) -> values=[1., 2.], indices=[1, 2]
        Object mode = run(Tensor.of(1, 1, 2, 3, 2, 2).view(2, 3), n("m", "call_function", "torch.mode", ref("x"), 1L), result("m"));
        assertTensors(mode, Tensor.of(1, 2), longs(1, 2));
        // torch.cummax(torch.tensor([1., 3., 3., 5., 2.]), 0) -> values=[1., 3., 3., 5., 5.], indices=[0, 1, 2, 3, 3]
        Object cummax = run(Tensor.of(1, 3, 3, 5, 2), n("c", "call_function", "aten.cummax.default", ref("x"), 0L), result("c"));
        assertTensors(cummax, Tensor.of(1, 3, 3, 5, 5), longs(0, 1, 2, 3, 3));
        // torch.median(x) is one value, the lower median of all six
        assertClose((Tensor) run(x, n("m", "call_function", "torch.median", ref("x")), result("m")), Tensor.scalar(3));
    }

    @Test
    void spreadAndMeanComeAsATuple() throws Exception {
        Tensor x = Tensor.of(1, 5, 3, 4, 2, 6).view(2, 3);
        // torch.var_mean(x, 1) -> ([4., 4.], [3., 4.]); make_fx records aten.var_mean.correction(x, [1], correction=1)
        assertTensors(run(x, n("vm", "call_function", "torch.var_mean", ref("x"), 1L), result("vm")), Tensor.of(4, 4), Tensor.of(3, 4));
        assertTensors(run(x, withKwargs(n("vm", "call_function", "aten.var_mean.correction", ref("x"), List.of(1L)), Map.of("correction", 1L)),
                result("vm")), Tensor.of(4, 4), Tensor.of(3, 4));
        // torch.std_mean(x, 1, unbiased=False) -> ([1.6330, 1.6330], [3., 4.])
        float std = (float) Math.sqrt(8.0 / 3);
        assertTensors(run(x, withKwargs(n("sm", "call_function", "torch.std_mean", ref("x"), 1L), Map.of("unbiased", false)), result("sm")),
                Tensor.of(std, std), Tensor.of(3, 4));
    }

    @Test
    void meshgridGivesOneTensorPerInput() throws Exception {
        // torch.meshgrid(torch.tensor([1., 2.]), torch.tensor([3., 4., 5.]), indexing='xy') -> two (3, 2) grids
        Object grids = run(Tensor.of(1, 2, 3, 4, 5), n("a", "call_function", "operator.getitem", ref("x"), Map.of("slice", Arrays.asList(null, 2L, null))),
                n("b", "call_function", "operator.getitem", ref("x"), Map.of("slice", Arrays.asList(2L, null, null))),
                withKwargs(n("g", "call_function", "torch.meshgrid", ref("a"), ref("b")), Map.of("indexing", "xy")), result("g"));
        assertTensors(grids, Tensor.of(1, 2, 1, 2, 1, 2).view(3, 2), Tensor.of(3, 3, 4, 4, 5, 5).view(3, 2));
    }

    @Test
    void pythonValuedResults() throws Exception {
        Tensor x = Tensor.of(1, 2);
        // torch.equal(x, x) and torch.allclose(x, x + 1e-9) are Python bools
        assertThat(run(x, n("e", "call_function", "torch.equal", ref("x"), ref("x")), result("e"))).isEqualTo(true);
        assertThat(run(x, n("y", "call_function", "operator.add", ref("x"), 1e-9), n("c", "call_function", "torch.allclose", ref("x"), ref("y")),
                result("c"))).isEqualTo(true);
        // 6 & 3 == 2, ~True == -2, torch.tensor([5, 6]) ^ 3 -> [6, 5], torch.tensor([True, False]) & True stays bool
        assertThat(Py.bitwise("and", 6L, 3L)).isEqualTo(2L);
        assertThat(Py.invert(true)).isEqualTo(-2L);
        assertClose((Tensor) Py.bitwise("xor", longs(5, 6), 3L), longs(6, 5));
        assertClose((Tensor) Py.bitwise("and", true, Tensor.of(1, 0).to(DType.BOOL)), Tensor.of(1, 0).to(DType.BOOL));
    }

    @Test
    void argumentFormsPythonAllows() throws Exception {
        Tensor x = Tensor.of(0, 1, 2, 3, 4, 5).view(2, 3);
        // torch.tensordot(x, x, dims=([1], [1])) and torch.einsum('ij,kj->ik', [x, x]) -> [[5., 14.], [14., 50.]]
        Tensor gram = Tensor.of(5, 14, 14, 50).view(2, 2);
        assertClose((Tensor) run(x, withKwargs(n("t", "call_function", "torch.tensordot", ref("x"), ref("x")), Map.of("dims", List.of(List.of(1L), List.of(1L)))),
                result("t")), gram);
        assertClose((Tensor) run(x, n("e", "call_function", "torch.einsum", "ij,kj->ik", List.of(ref("x"), ref("x"))), result("e")), gram);
        // torch.searchsorted(torch.tensor([5., 1., 7., 3.]), torch.tensor([4., 7.]), sorter=torch.tensor([1, 3, 0, 2])) -> [2, 3]
        Tensor seq = Tensor.of(5, 1, 7, 3, 4, 7);
        Object sorted = run(seq, n("s", "call_function", "operator.getitem", ref("x"), Map.of("slice", Arrays.asList(null, 4L, null))),
                n("v", "call_function", "operator.getitem", ref("x"), Map.of("slice", Arrays.asList(4L, null, null))),
                n("order", "call_method", "argsort", ref("s")),
                withKwargs(n("r", "call_function", "torch.searchsorted", ref("s"), ref("v")), Map.of("sorter", ref("order"))), result("r"));
        assertClose((Tensor) sorted, longs(2, 3));
        // torch.searchsorted(torch.tensor([1., 3., 5., 7.]), 5, side='right') -> tensor(3)
        Tensor bounds = Tensor.of(1, 3, 5, 7);
        assertClose((Tensor) run(bounds, withKwargs(n("r", "call_function", "torch.searchsorted", ref("x"), 5L), Map.of("side", "right")), result("r")),
                Tensor.scalar(3, DType.INT64));
        // torch.bucketize(torch.tensor([4., 7.]), boundaries, out_int32=True) -> tensor([2, 3], dtype=torch.int32)
        Object buckets = run(Tensor.of(1, 3, 5, 7, 4, 7), n("b", "call_function", "operator.getitem", ref("x"), Map.of("slice", Arrays.asList(null, 4L, null))),
                n("v", "call_function", "operator.getitem", ref("x"), Map.of("slice", Arrays.asList(4L, null, null))),
                withKwargs(n("r", "call_function", "aten.bucketize.Tensor", ref("v"), ref("b")), Map.of("out_int32", true)), result("r"));
        assertClose((Tensor) buckets, longs(2, 3).to(DType.INT32));
        // torch.repeat_interleave(torch.tensor([2, 0, 1])) -> [0, 0, 2]
        assertClose((Tensor) run(longs(2, 0, 1), n("r", "call_function", "torch.repeat_interleave", ref("x")), result("r")), longs(0, 0, 2));
    }

    @Test
    void searchsortedRefusesOppositeSidesWithPyTorchsMessage() {
        // torch.searchsorted(b, v, side='left', right=True)
        assertThatThrownBy(() -> run(Tensor.of(1, 2, 3), withKwargs(n("s", "call_function", "torch.searchsorted", ref("x"), ref("x")), Map.of("side", "left", "right", true)),
                result("s")))
                .hasRootCauseMessage("torch.searchsorted(): side and right can't be set to opposites, got side of left while right was True");
    }
}
