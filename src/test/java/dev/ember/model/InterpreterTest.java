package dev.ember.model;

import dev.ember.nn.functional.F;
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

/**
 * Hand-written graphs through the interpreter, checked against the same computation written directly with Ember
 * ops: the wiring of targets, Python-valued nodes (sizes, ints, tuples) and multi-result ops. PyTorch's own
 * numbers are checked by the exported-model tests.
 */
class InterpreterTest {
    static Tensor run(List<Integer> in, List<Integer> out, List<Map<String, Object>> nodes, Tensor x) throws Exception {
        ModelSpec spec = ModelSpec.parse(Specs.graph(in, out, nodes), "model.json");
        return LoadedModel.fromStateDict(spec, Map.of(), dev.ember.tensor.Device.CPU).forward(Map.of("x", x)).get("output");
    }

    @Test
    void sizeArithmeticFeedsView() throws Exception {
        // the tutorial's num_flat_features, written out: x.view(-1, prod(x.size()[1:])) with ints computed in the graph
        Tensor x = Tensor.randn(2, 3, 4, 5);
        Tensor y = run(List.of(-1, 3, 4, 5), List.of(-1, 60), List.of(
                n("size", "call_method", "size", ref("x")),
                n("rest", "call_function", "operator.getitem", ref("size"), Map.of("slice", Arrays.asList(1L, null, null))),
                n("a", "call_function", "operator.getitem", ref("rest"), 0L),
                n("b", "call_function", "operator.getitem", ref("rest"), 1L),
                n("c", "call_function", "operator.getitem", ref("rest"), -1L),
                n("ab", "call_function", "operator.mul", ref("a"), ref("b")),
                n("abc", "call_function", "operator.mul", ref("ab"), ref("c")),
                n("shape", "call_function", "builtins.getattr", ref("x"), "shape"),
                n("batch", "call_function", "operator.getitem", ref("shape"), 0L),
                n("half", "call_function", "operator.floordiv", ref("abc"), 2L),
                n("twice", "call_function", "operator.mul", ref("half"), 2L),
                n("view", "call_method", "view", ref("x"), ref("batch"), ref("twice")),
                n("output", "output", null, ref("view"))), x);
        assertThat(y.shape()).containsExactly(2, 60);
        assertClose(y, x.reshape(2, 60));
    }

    @Test
    void inPlaceViewOpsChangeTheirInputForLaterNodes() throws Exception {
        // y = x * 2; y.transpose_(1, 2) (aten.transpose_, as make_fx keeps it); y.unsqueeze_(0); return y.flatten(1):
        // the later node reads y itself, which the in-place ops changed, as in PyTorch
        Tensor x = Tensor.randn(2, 3, 4);
        Tensor y = run(List.of(-1, 3, 4), List.of(-1, 12), List.of(
                n("y", "call_function", "aten.mul.Tensor", ref("x"), 2.0),
                n("t", "call_function", "aten.transpose_.default", ref("y"), 1L, 2L),
                n("u", "call_method", "unsqueeze_", ref("y"), 0L),
                n("s", "call_method", "squeeze_", ref("y"), 0L),
                n("f", "call_function", "torch.flatten", ref("y"), 1L),
                n("output", "output", null, ref("f"))), x);
        assertClose(y, x.mul(2.0).transpose(1, 2).flatten(1));
    }

    @Test
    void resizeReinterpretsTheStorageRowMajor() throws Exception {
        // y = x * 2 (contiguous [2, 3, 4]); y.resize_(2, 12) is y.view(2, 12); x.resize_as_(y); return y + x
        Tensor x = Tensor.randn(2, 3, 4), expected = x.mul(3.0).view(2, 12);
        Tensor y = run(List.of(-1, 3, 4), List.of(-1, 12), List.of(
                n("y", "call_function", "aten.mul.Tensor", ref("x"), 2.0),
                n("r", "call_method", "resize_", ref("y"), 2L, 12L),
                n("s", "call_method", "resize_as_", ref("x"), ref("y")),
                n("o", "call_function", "aten.add.Tensor", ref("y"), ref("x")),
                n("output", "output", null, ref("o"))), x);
        assertThat(y.shape()).containsExactly(2, 12);
        assertClose(y, expected);
    }

    @Test
    void poolingWithIndicesAndResidualAdd() throws Exception {
        Tensor x = Tensor.randn(2, 3, 6, 6);
        Tensor y = run(List.of(-1, 3, 6, 6), List.of(-1, 27), List.of(
                n("p", "call_function", "aten.max_pool2d_with_indices.default", ref("x"), List.of(2L, 2L)),
                n("v", "call_function", "operator.getitem", ref("p"), 0L),
                n("r", "call_function", "aten.relu.default", ref("v")),
                n("s", "call_function", "aten.add.Tensor", ref("r"), ref("v")),
                n("a", "call_function", "torch.nn.functional.avg_pool2d", ref("s"), 1L),
                n("f", "call_function", "torch.flatten", ref("a"), 1L),
                n("output", "output", null, ref("f"))), x);
        Tensor v = F.maxPool2d(x, 2, 2);
        assertClose(y, v.relu().add(v).flatten(1));
    }

    @Test
    void normsActivationsReductionsAndMovement() throws Exception {
        Tensor x = Tensor.randn(2, 3, 4);
        Tensor y = run(List.of(-1, 3, 4), List.of(-1, 8), List.of(
                withKwargs(n("ln", "call_function", "torch.nn.functional.layer_norm", ref("x"), List.of(4L)), Map.of("eps", 1e-5)),
                n("g", "call_function", "aten.gelu.default", ref("ln")),
                withKwargs(n("d", "call_function", "torch.nn.functional.dropout", ref("g"), 0.5), Map.of("training", false)),
                n("t", "call_method", "transpose", ref("d"), 1L, 2L),
                n("c", "call_method", "contiguous", ref("t")),
                withKwargs(n("m", "call_method", "mean", ref("c")), Map.of("dim", -1L, "keepdim", false)),
                n("sg", "call_function", "torch.sigmoid", ref("m")),
                n("th", "call_function", "torch.tanh", ref("m")),
                n("cat", "call_function", "torch.cat", List.of(ref("sg"), ref("th")), 1L),
                withKwargs(n("sm", "call_function", "torch.nn.functional.softmax", ref("cat")), Map.of("dim", 1L)),
                n("output", "output", null, ref("sm"))), x);
        Tensor m = F.gelu(F.layerNorm(x, 4)).transpose(1, 2).contiguous().mean(-1);
        assertClose(y, Tensor.cat(List.of(m.sigmoid(), m.tanh()), 1).softmax(1));
    }

    @Test
    void batchNormInEvalUsesRunningStatistics() throws Exception {
        Tensor x = Tensor.randn(4, 3, 2, 2);
        Tensor mean = Tensor.of(0.1f, -0.2f, 0.3f), var = Tensor.of(1.5f, 0.5f, 2f);
        String spec = Specs.graph(List.of(-1, 3, 2, 2), List.of(-1, 3, 2, 2), List.of(
                n("rm", "get_attr", "rm"), n("rv", "get_attr", "rv"),
                n("bn", "call_function", "aten._native_batch_norm_legit_no_training.default", ref("x"), null, null, ref("rm"), ref("rv"), 0.1, 1e-5),
                n("out", "call_function", "operator.getitem", ref("bn"), 0L),
                n("output", "output", null, ref("out"))));
        spec = spec.replace("\"class\":\"test.Fn\"", "\"class\":\"test.Fn\",\"buffers\":{\"rm\":{\"shape\":[3],\"dtype\":\"float32\"},\"rv\":{\"shape\":[3],\"dtype\":\"float32\"}}");
        Tensor y = LoadedModel.fromStateDict(ModelSpec.parse(spec, "model.json"), Map.of("rm", mean, "rv", var), dev.ember.tensor.Device.CPU)
                .forward(Map.of("x", x)).get("output");
        assertClose(y, F.batchNorm(x, mean, var, null, null, false, 0.1, 1e-5));
    }

    @Test
    void pythonIntsAreExact() {
        assertThat(Py.floordiv(-7L, 2L)).isEqualTo(-4L);
        assertThat(Py.mod(-7L, 2L)).isEqualTo(1L);
        assertThat(Py.truediv(7L, 2L)).isEqualTo(3.5);
        assertThat(Py.getitem(List.of(1L, 2L, 3L, 4L), new PySlice(null, null, -2L))).isEqualTo(List.of(4L, 2L));
        assertThat(Py.add(List.of(1L), List.of(2L))).isEqualTo(List.of(1L, 2L));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Py.mul(Long.MAX_VALUE, 2L)).isInstanceOf(ArithmeticException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Py.floordiv(1L, 0L)).hasMessage("integer division or modulo by zero");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Py.getitem(List.of(1L), 3L)).hasMessage("tuple index out of range");
    }
}
