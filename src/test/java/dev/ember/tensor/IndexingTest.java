package dev.ember.tensor;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;
import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Indexing ops against PyTorch fixtures (tools/fixtures/fx_indexing.py). */
class IndexingTest {

    @TestFactory
    Stream<DynamicTest> indexing() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("index", (x, k) -> x[0].index(items(k.s("expr"), x))),
                entry("setitem", (x, k) -> x[0].clone().indexPut_(items(k.s("expr"), x), x[1])),
                entry("setitem_scalar", (x, k) -> x[0].clone().indexPut_(items(k.s("expr"), x), k.d("v"))),
                entry("setitem_view", (x, k) -> {
                    Tensor y = x[0].clone();
                    y.index(k.s("view")).indexPut_(items(k.s("expr"), x), x[1]);
                    return y;
                }),
                entry("setitem_leaf", (x, k) -> x[0].indexPut_(items(k.s("expr"), x), x[1])),
                entry("index_put", (x, k) -> put(x[0].clone(), x, k)),
                entry("index_put_op", checkingLayout((x, k) -> x[0].indexPut(Arrays.copyOfRange(x, 2, x.length), x[1], k.b("acc")))),
                entry("index_put_view", (x, k) -> {
                    Tensor y = x[0].clone();
                    put(y.index(k.s("view")), x, k);
                    return y;
                }),
                entry("gather", (x, k) -> x[0].gather(k.i("d"), x[1])),
                entry("scatter", (x, k) -> x[0].scatter(k.i("d"), x[1], x[2])),
                entry("scatter_value", (x, k) -> x[0].scatter(k.i("d"), x[1], k.d("v"))),
                entry("scatter_", (x, k) -> x[0].clone().scatter_(k.i("d"), x[1], x[2])),
                entry("scatter_value_", (x, k) -> x[0].clone().scatter_(k.i("d"), x[1], k.d("v"))),
                entry("scatter_add", (x, k) -> x[0].scatterAdd(k.i("d"), x[1], x[2])),
                entry("scatter_add_", (x, k) -> x[0].clone().scatterAdd_(k.i("d"), x[1], x[2])),
                entry("scatter_add_unfolded_", (x, k) -> x[0].unfold(0, 2, 1).scatterAdd_(k.i("d"), x[1], x[2])),
                entry("scatter_view_", (x, k) -> x[0].scatter_(k.i("d"), x[1], x[2])),
                entry("scatter_self_", (x, k) -> x[0].scatter_(k.i("d"), x[1], x[0])),
                entry("scatter_value_self_index_", (x, k) -> x[0].scatter_(k.i("d"), x[0], k.d("v"))),
                entry("take", (x, k) -> x[0].take(x[1])),
                entry("written_before_backward", (x, k) -> {
                    Tensor s = x[0].mul(2.0), y = k.s("op").equals("take") ? s.take(x[1]) : s.maskedSelect(x[1]);
                    if (k.s("w").equals("self")) s.add_(1L);
                    else if (x[1].dtype() == DType.BOOL) x[1].bitwiseNot_();
                    else x[1].add_(1L);
                    y.sum().backward();
                    return y;
                }),
                entry("index_select", (x, k) -> x[0].indexSelect(k.i("d"), x[1])),
                entry("index_add", (x, k) -> x[0].indexAdd(k.i("d"), x[1], x[2])),
                entry("index_add_", (x, k) -> x[0].clone().indexAdd_(k.i("d"), x[1], x[2])),
                entry("masked_select", (x, k) -> x[0].maskedSelect(x[1])),
                entry("masked_fill", (x, k) -> x[0].maskedFill(x[1], k.d("v"))),
                entry("masked_fill_tensor", (x, k) -> x[0].maskedFill(x[1], x[2])),
                entry("masked_fill_", (x, k) -> x[0].clone().maskedFill_(x[1], x[2])),
                entry("masked_fill_view_", (x, k) -> x[0].maskedFill_(x[1], x[2])),
                entry("nonzero", (x, k) -> x[0].nonzero()),
                entry("nonzero_tuple", (x, k) -> x[0].nonzeroTuple()),
                entry("where_cond", (x, k) -> Tensor.where(x[0])),
                entry("where", (x, k) -> Tensor.where(x[0], x[1], x[2])),
                entry("where_scalar", (x, k) -> Tensor.where(x[0], x[1], k.d("s"))));
        return OpCases.run("indexing", ops);
    }

    /** {@code x.clone().index_put_((t2, t3, ...), v, accumulate)}: the index tensors follow the value. */
    private static Tensor put(Tensor target, Tensor[] x, Kw k) {
        Object[] idx = Arrays.copyOfRange(x, 2, x.length);
        if (k.b("acc")) return target.indexPut_(idx, x[1], true);
        return target.indexPut_(idx, x[1]);
    }

    @Test
    void nonzeroStoresItsCoordinatesDimByDim() {
        // PyTorch 1.13 (CPU): tensor([[1., 0, 2], [0, 3, 0]]).nonzero() has stride (1, 3), is not contiguous,
        // and .view(-1) on it fails with this text
        Tensor nz = Tensor.tensor(new double[][] {{1, 0, 2}, {0, 3, 0}}).nonzero();
        assertArrayEquals(new long[] {0, 0, 0, 2, 1, 1}, nz.toLongArray());
        assertArrayEquals(new int[] {1, 3}, nz.strides());
        assertFalse(nz.isContiguous());
        var e = assertThrows(RuntimeException.class, () -> nz.view(-1));
        assertEquals("view size is not compatible with input tensor's size and stride (at least one dimension spans across two "
                + "contiguous subspaces). Use .reshape(...) instead.", e.getMessage());
        // torch.zeros(2, 3).nonzero(): size (0, 2), stride (1, 0), and contiguous as every empty tensor is
        Tensor none = Tensor.zeros(2, 3).nonzero();
        assertArrayEquals(new int[] {0, 2}, none.shape());
        assertArrayEquals(new int[] {1, 0}, none.strides());
        assertTrue(none.isContiguous());
        // torch.tensor(5.).nonzero(): size (1, 0), stride (1, 1)
        assertArrayEquals(new int[] {1, 1}, Tensor.scalar(5.0).nonzero().strides());
    }

    /** The fixture's index expression split at top-level commas; {@code tN} names input N. */
    static Object[] items(String expr, Tensor[] inputs) {
        List<Object> out = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i <= expr.length(); i++) {
            char c = i < expr.length() ? expr.charAt(i) : ',';
            if (c == '[') depth++;
            else if (c == ']') depth--;
            else if (c == ',' && depth == 0) {
                String item = expr.substring(start, i).strip();
                if (item.matches("t\\d+")) out.add(inputs[Integer.parseInt(item.substring(1))]);
                else if (!item.isEmpty() || i < expr.length()) out.add(item);
                start = i + 1;
            }
        }
        return out.toArray();
    }
    @Test
    void takeAlongDimAsPyTorch() {
        // PyTorch 1.13: the values at argmax / argsort along a dim, broadcasting, the flattened form and the checks
        Tensor t = Tensor.tensor(List.of(List.of(10., 30., 20.), List.of(60., 40., 50.))).requiresGrad_();
        assertEquals("tensor([[30.],\n        [60.]], grad_fn=<GatherBackward0>)", t.takeAlongDim(t.argmax(1, true), 1).toString());
        assertEquals("tensor([[10., 20., 30.],\n        [40., 50., 60.]], grad_fn=<GatherBackward0>)", t.takeAlongDim(t.argsort(1, false), 1).toString());
        assertEquals("tensor([60.], grad_fn=<GatherBackward0>)", t.takeAlongDim(t.argmax(), null).toString());
        assertEquals("tensor([[10., 30.],\n        [60., 40.]], grad_fn=<GatherBackward0>)", t.takeAlongDim(Tensor.tensor(List.of(List.of(0, 1))), 1).toString());
        assertEquals("torch.take_along_dim(): dtype of indices should be Long but got Float",
                assertThrows(IllegalArgumentException.class, () -> t.takeAlongDim(Tensor.tensor(List.of(List.of(0.))), 1)).getMessage());
        assertEquals("torch.take_along_dim(): input and indices should have the same number of dimensions, but got 2 dimensions for input, "
                + "and 1 dimensions for indices", assertThrows(IllegalArgumentException.class, () -> t.takeAlongDim(Tensor.tensor(List.of(0)), 1)).getMessage());
        // the gradient goes back through gather and the broadcast
        t.takeAlongDim(Tensor.tensor(List.of(List.of(0, 0))), 1).sum().backward();
        assertEquals("tensor([[2., 0., 0.],\n        [2., 0., 0.]])", t.grad().toString());
    }

    @Test
    void composedIndexingEdgesMatchPyTorch() {
        // torch.zeros(0, 2).index_select(0, torch.tensor([0])) -> IndexError: index_select(): self indexing axis dim should be positive
        assertThatThrownBy(() -> Tensor.zeros(0, 2).indexSelect(0, Tensor.tensor(new long[] {0})))
                .hasMessage("index_select(): self indexing axis dim should be positive");
        Tensor u = Tensor.zeros(new int[] {2}, DType.UINT8);
        Tensor mask = Tensor.tensor(new boolean[] {true, false});
        // u.masked_fill(mask, torch.tensor(-1.75, dtype=torch.float64)) -> value cannot be converted to type uint8_t without overflow
        assertThatThrownBy(() -> u.maskedFill(mask, Tensor.full(new int[0], -1.75, DType.FLOAT64)))
                .hasMessage("value cannot be converted to type uint8_t without overflow");
        // u.masked_fill(mask, -1) -> tensor([255, 0], dtype=torch.uint8): a Python int wraps into uint8
        assertThat(u.maskedFill(mask, -1L).toLongArray()).containsExactly(255, 0);
        // u.scatter(0, torch.tensor([1]), -1) -> [0, 255]; u.clone().fill_(-1) -> [255, 255]
        assertThat(u.scatter(0, Tensor.tensor(new long[] {1}), -1L).toLongArray()).containsExactly(0, 255);
        assertThat(u.clone().fill_(-1L).toLongArray()).containsExactly(255, 255);
        // torch.cat([torch.zeros(2, 2, dtype=torch.int32), torch.zeros(0, dtype=torch.float64)]).dtype -> float64: the skipped
        // empty tensor still takes part in type promotion, and in autograd
        assertThat(Tensor.cat(List.of(Tensor.zeros(new int[] {2, 2}, DType.INT32), Tensor.zeros(new int[] {0}, DType.FLOAT64))).dtype()).isEqualTo(DType.FLOAT64);
        Tensor c = Tensor.cat(List.of(Tensor.ones(2, 2), Tensor.zeros(0).requiresGrad_()));
        assertThat(c.requiresGrad()).isTrue();
        assertThat(c.gradFn().name()).isEqualTo("CatBackward0");
    }

    /** x.nonzero(as_tuple=True) are the columns of x.nonzero() (strides (1, n)): views at offsets 0, n, ... */
    @Test
    void nonzeroTupleIsTheColumnsOfNonzero() {
        // torch.tensor([[0., 1, 2], [3, 0, 5]]).nonzero(as_tuple=True): ([0, 0, 1, 1] at offset 0, [1, 2, 0, 2] at offset 4)
        List<Tensor> cols = Tensor.tensor(new double[][] {{0, 1, 2}, {3, 0, 5}}).nonzeroTuple();
        assertArrayEquals(new long[] {0, 0, 1, 1}, cols.get(0).toLongArray());
        assertArrayEquals(new long[] {1, 2, 0, 2}, cols.get(1).toLongArray());
        assertEquals(0, cols.get(0).storageOffset());
        assertEquals(4, cols.get(1).storageOffset());
        assertArrayEquals(new int[] {1}, cols.get(1).strides());
        // torch.tensor(2.).nonzero(as_tuple=True): (tensor([0]),)
        List<Tensor> scalar = Tensor.scalar(2.0).nonzeroTuple();
        assertEquals(1, scalar.size());
        assertArrayEquals(new long[] {0}, scalar.get(0).toLongArray());
    }
}
