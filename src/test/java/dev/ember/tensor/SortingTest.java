package dev.ember.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import org.junit.jupiter.api.Test;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;

/** sort, argsort and topk against PyTorch fixtures (tools/fixtures/fx_sorting.py), ties included. */
class SortingTest {

    @TestFactory
    Stream<DynamicTest> sorting() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("sort", (x, k) -> x[0].sort(k.i("dim"), k.b("descending"), k.b("stable"))),
                entry("argsort", (x, k) -> x[0].argsort(k.i("dim"), k.b("descending"))),
                entry("argsort_stable", (x, k) -> x[0].argsort(k.i("dim"), k.b("descending"), k.b("stable"))),
                entry("topk", (x, k) -> x[0].topk(k.i("k"), k.i("dim"), k.b("largest"), k.b("sorted"))));
        return OpCases.run("sorting", ops);
    }

    @Test
    void aZeroDimBoolTopkIsACopy() {
        // torch.tensor(True).topk(1) -> values=tensor(True), indices=tensor(0): the 0-dim input is copied before any kernel
        Tensor.ValuesIndices r = Tensor.full(new int[0], true).topk(1);
        assertThat(r.values().itemBool()).isTrue();
        assertThat(r.indices().itemLong()).isZero();
    }
}
