package dev.ember.tensor;

import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/** index_copy and index_fill against PyTorch fixtures (tools/fixtures/fx_index_copy_fill.py), and their grad_fn names. */
class IndexCopyFillTest {

    @TestFactory
    Stream<DynamicTest> indexCopyFill() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("index_copy", (x, k) -> x[0].indexCopy(k.i("dim"), x[1], x[2])),
                entry("index_copy_", (x, k) -> x[0].clone().indexCopy_(k.i("dim"), x[1], x[2])),
                entry("index_fill", (x, k) -> k.isInt("value") ? x[0].indexFill(k.i("dim"), x[1], k.l("value")) : x[0].indexFill(k.i("dim"), x[1], k.d("value"))),
                entry("index_fill_", (x, k) -> x[0].clone().indexFill_(k.i("dim"), x[1], k.d("value"))),
                entry("index_fill_view_", (x, k) -> k.isInt("value") ? x[0].indexFill_(k.i("dim"), x[1], k.l("value")) : x[0].indexFill_(k.i("dim"), x[1], k.d("value"))),
                entry("index_fill_self_index_", (x, k) -> x[0].indexFill_(k.i("dim"), x[0], k.l("value"))),
                entry("index_fill_tensor", (x, k) -> x[0].indexFill(k.i("dim"), x[1], x[2])));
        return OpCases.run("index_copy_fill", ops);
    }

    @Test
    void gradFnNames() {
        Tensor x = Tensor.randn(4, 3).requiresGrad_(), index = Tensor.tensor(new long[] {2, 0});
        assertThat(x.indexCopy(0, index, Tensor.randn(2, 3)).gradFn().name()).isEqualTo("IndexCopyBackward0");
        assertThat(x.indexFill(0, index, 1.0).gradFn().name()).isEqualTo("IndexFillBackward0");
        assertThat(x.indexFill(1, index, Tensor.scalar(2.0)).gradFn().name()).isEqualTo("IndexFillBackward1");
    }

    @Test
    void negativeIndexFailsTheValueGradientAsInPyTorch() {
        Tensor value = Tensor.scalar(2.0).requiresGrad_();
        Tensor r = Tensor.zeros(4, 3).indexFill(0, Tensor.tensor(new long[] {-1}), value);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.sum().backward()).hasMessage("index out of range in self");
    }
}
