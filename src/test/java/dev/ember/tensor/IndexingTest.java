package dev.ember.tensor;

import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;

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
                entry("take", (x, k) -> x[0].take(x[1])),
                entry("index_select", (x, k) -> x[0].indexSelect(k.i("d"), x[1])),
                entry("index_add", (x, k) -> x[0].indexAdd(k.i("d"), x[1], x[2])),
                entry("index_add_", (x, k) -> x[0].clone().indexAdd_(k.i("d"), x[1], x[2])),
                entry("masked_select", (x, k) -> x[0].maskedSelect(x[1])),
                entry("masked_fill", (x, k) -> x[0].maskedFill(x[1], k.d("v"))),
                entry("masked_fill_tensor", (x, k) -> x[0].maskedFill(x[1], x[2])),
                entry("masked_fill_", (x, k) -> x[0].clone().maskedFill_(x[1], x[2])),
                entry("nonzero", (x, k) -> x[0].nonzero()),
                entry("nonzero_tuple", (x, k) -> x[0].nonzeroTuple()),
                entry("where", (x, k) -> Tensor.where(x[0], x[1], x[2])),
                entry("where_scalar", (x, k) -> Tensor.where(x[0], x[1], k.d("s"))));
        return OpCases.run("indexing", ops);
    }

    /** {@code x.clone().index_put_((t2, t3, ...), v, accumulate)}: the index tensors follow the value. */
    private static Tensor put(Tensor target, Tensor[] x, Kw k) {
        Object[] idx = Arrays.copyOfRange(x, 2, x.length);
        if (k.b("acc")) return target.indexPutAccumulate_(idx, x[1]);
        return target.indexPut_(idx, x[1]);
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
}
