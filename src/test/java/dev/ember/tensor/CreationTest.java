package dev.ember.tensor;

import com.fasterxml.jackson.databind.JsonNode;
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

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Factories against PyTorch (tools/fixtures/fx_creation.py), and the Java-side rules of {@code tensor(data)}. */
class CreationTest {
    private static final Generator G = new Generator(7);

    @TestFactory
    Stream<DynamicTest> creation() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("tensor", (x, k) -> k.has("dtype") ? Tensor.tensor(data(k.node().get("data")), dtype(k)) : Tensor.tensor(data(k.node().get("data")))),
                entry("zeros", (x, k) -> k.has("dtype") ? Tensor.zeros(k.ints("shape"), dtype(k)) : Tensor.zeros(k.ints("shape"))),
                entry("ones", (x, k) -> k.has("dtype") ? Tensor.ones(k.ints("shape"), dtype(k)) : Tensor.ones(k.ints("shape"))),
                entry("full", (x, k) -> full(k.ints("shape"), k.node().get("value"), k.has("dtype") ? dtype(k) : null)),
                entry("full_nan", (x, k) -> Tensor.full(k.ints("shape"), Double.NaN, dtype(k))),
                entry("full_inf", (x, k) -> Tensor.full(k.ints("shape"), Double.POSITIVE_INFINITY, dtype(k))),
                entry("fill_", (x, k) -> x[0].clone().fill_(k.d("v"))),
                entry("zeros_like", (x, k) -> k.has("dtype") ? Tensor.zerosLike(x[0], dtype(k)) : Tensor.zerosLike(x[0])),
                entry("ones_like", (x, k) -> k.has("dtype") ? Tensor.onesLike(x[0], dtype(k)) : Tensor.onesLike(x[0])),
                entry("full_like", (x, k) -> k.isInt("value") ? Tensor.fullLike(x[0], k.l("value")) : Tensor.fullLike(x[0], k.d("value"))),
                entry("arange", (x, k) -> arange(k)),
                entry("arange_inf", (x, k) -> Tensor.arange(k.d("start"), Double.POSITIVE_INFINITY)),
                entry("arange_nan", (x, k) -> Tensor.arange(Double.NaN, k.d("end"))),
                entry("arange_nan_step", (x, k) -> Tensor.arange(0, k.d("end"), Double.NaN)),
                entry("linspace", (x, k) -> linspace(k)),
                entry("logspace", (x, k) -> logspace(k)),
                entry("eye", (x, k) -> k.has("dtype") ? Tensor.eye(k.i("n"), k.i("m"), dtype(k)) : Tensor.eye(k.i("n"), k.i("m"))),
                entry("randint", (x, k) -> Tensor.randint(G, k.l("low"), k.l("high"), new int[] {3}, k.has("dtype") ? dtype(k) : DType.INT64)),
                entry("randperm", (x, k) -> Tensor.randperm(G, k.i("n"))),
                entry("rand", (x, k) -> Tensor.rand(G, new int[] {3}, dtype(k))),
                entry("rand_shape", (x, k) -> Tensor.rand(G, k.ints("shape"))),
                entry("randn", (x, k) -> Tensor.randn(G, new int[] {3}, dtype(k))),
                entry("normal", (x, k) -> Tensor.normal(G, k.d("mean"), k.d("std"), 3)),
                entry("normal_tensors", (x, k) -> Tensor.normal(G, x[0], x[1])),
                entry("bernoulli", (x, k) -> Tensor.bernoulli(G, x[0])),
                entry("bernoulli_", (x, k) -> x[0].bernoulli_(G, k.d("p"))),
                entry("bernoulli_tensor_", (x, k) -> x[0].bernoulli_(G, x[1])),
                entry("uniform_", (x, k) -> x[0].uniform_(G, k.d("a"), k.d("b"))),
                entry("normal_", (x, k) -> x[0].normal_(G, k.d("m"), k.d("s"))));
        return OpCases.run("creation", ops);
    }

    private static DType dtype(Kw k) { return DType.fromName(k.s("dtype")); }

    /** JSON from Python: ints become Long, floats Double, as Python's own numbers would behave. */
    private static Object data(JsonNode n) {
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode e : n) out.add(data(e));
            return out;
        }
        if (n.isNull()) return null;
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) return n.asLong();
        return n.asDouble();
    }

    private static Tensor full(int[] shape, JsonNode value, DType dtype) {
        if (value.isBoolean()) return dtype == null ? Tensor.full(shape, value.asBoolean()) : Creation.full(shape, Scalar.of(value.asBoolean()), dtype, Device.CPU);
        if (value.isIntegralNumber()) return dtype == null ? Tensor.full(shape, value.asLong()) : Tensor.full(shape, value.asLong(), dtype);
        return dtype == null ? Tensor.full(shape, value.asDouble()) : Tensor.full(shape, value.asDouble(), dtype);
    }

    private static Tensor arange(Kw k) {
        if (k.isInt("start") && k.isInt("end") && k.isInt("step"))
            return k.has("dtype") ? Tensor.arange(k.l("start"), k.l("end"), k.l("step"), dtype(k)) : Tensor.arange(k.l("start"), k.l("end"), k.l("step"));
        return k.has("dtype") ? Tensor.arange(k.d("start"), k.d("end"), k.d("step"), dtype(k)) : Tensor.arange(k.d("start"), k.d("end"), k.d("step"));
    }

    private static Tensor linspace(Kw k) {
        if (!k.has("dtype")) return Tensor.linspace(k.d("start"), k.d("end"), k.i("steps"));
        if (k.isInt("start") && k.isInt("end")) return Tensor.linspace(k.l("start"), k.l("end"), k.i("steps"), dtype(k));
        return Tensor.linspace(k.d("start"), k.d("end"), k.i("steps"), dtype(k));
    }

    private static Tensor logspace(Kw k) {
        if (!k.has("dtype")) return Tensor.logspace(k.d("start"), k.d("end"), k.i("steps"), k.d("base"));
        if (k.isInt("start") && k.isInt("end")) return Tensor.logspace(k.l("start"), k.l("end"), k.i("steps"), k.d("base"), dtype(k));
        return Tensor.logspace(k.d("start"), k.d("end"), k.i("steps"), k.d("base"), dtype(k));
    }

    // ------------------------------------------------------------ Java data into tensor(data)

    @Test
    void primitiveArraysKeepTheirType() {
        assertThat(Tensor.tensor(new float[] {1, 2}).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Tensor.tensor(new double[][] {{1, 2}, {3, 4}}).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Tensor.tensor(new int[] {1}).dtype()).isEqualTo(DType.INT32);
        assertThat(Tensor.tensor(new long[0]).dtype()).isEqualTo(DType.INT64);
        assertThat(Tensor.tensor(new short[] {1}).dtype()).isEqualTo(DType.INT16);
        assertThat(Tensor.tensor(new byte[] {1}).dtype()).isEqualTo(DType.INT8);
        assertThat(Tensor.tensor(new boolean[] {true}).dtype()).isEqualTo(DType.BOOL);
        // a list mixing arrays promotes them, as a list of NumPy arrays does
        Tensor mixed = Tensor.tensor(List.of(new int[] {1, 2}, new double[] {3.5, 4}));
        assertThat(mixed.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(mixed.toDoubleArray()).containsExactly(1, 2, 3.5, 4);
        assertThat(Tensor.tensor(new double[][] {{1, 2}, {3, 4}}).shape()).containsExactly(2, 2);
    }

    @Test
    void boxedValuesActLikePythonNumbers() {
        assertThat(Tensor.tensor(3).dtype()).isEqualTo(DType.INT64);
        assertThat(Tensor.tensor(3.5).dim()).isZero();
        assertThat(Tensor.tensor(3.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Tensor.tensor(new Integer[] {1, 2}).dtype()).isEqualTo(DType.INT64);
        assertThat(Tensor.tensor(new Object[] {1, 2.5}).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(Tensor.tensor(List.of(true, 2)).dtype()).isEqualTo(DType.INT64);
        assertThat(Tensor.tensor(List.of(List.of(), List.of())).shape()).containsExactly(2, 0);
    }

    @Test
    void rowsOfTheWrongLengthOrTypeAreRejected() {
        assertThatThrownBy(() -> Tensor.tensor(new float[][] {{1, 2}, {3}})).hasMessage("expected sequence of length 2 at dim 1 (got 1)");
        assertThatThrownBy(() -> Tensor.tensor(List.of("a"))).hasMessage("Could not infer dtype of String");
        assertThatThrownBy(() -> Tensor.tensor(null)).hasMessage("Could not infer dtype of NoneType");
        // PyTorch 1.13: torch.tensor([[1], []]) fails, but torch.tensor([[], [1]]) is an empty float32 (2, 0)
        // tensor: the sizes come from the first elements, and nothing is stored (or checked) when they give 0
        assertThatThrownBy(() -> Tensor.tensor(List.of(List.of(1L), List.of()))).hasMessage("expected sequence of length 1 at dim 1 (got 0)");
        Tensor empty = Tensor.tensor(List.of(List.of(), List.of(1L)));
        assertThat(empty.shape()).containsExactly(2, 0);
        assertThat(empty.dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void largeArraysCopyRowsAndDoNotAlias() {
        float[][] rows = new float[300][1000];
        rows[299][999] = 7;
        Tensor t = Tensor.tensor(rows);
        rows[299][999] = 8;
        assertThat(t.shape()).containsExactly(300, 1000);
        assertThat(t.toFloatArray()[300 * 1000 - 1]).isEqualTo(7);
    }

    @Test
    void tensorOfATensorCopiesDetached() {
        Tensor a = Tensor.of(1, 2, 3).requiresGrad_();
        Tensor b = Tensor.tensor(a.mul(2.0), DType.FLOAT64);
        assertThat(b.requiresGrad()).isFalse();
        assertThat(b.dtype()).isEqualTo(DType.FLOAT64);
        assertThat(b.toDoubleArray()).containsExactly(2, 4, 6);
    }

    @Test
    void tensorsInsideAListAreNumbersOfTheirDtype() {
        // torch.tensor([torch.tensor(1, dtype=torch.int32), torch.tensor(2, dtype=torch.int32)]) -> int32
        Tensor i32 = Tensor.tensor(List.of(Tensor.scalar(1, DType.INT32), Tensor.scalar(2, DType.INT32)));
        assertThat(i32.dtype()).isEqualTo(DType.INT32);
        assertThat(i32.toLongArray()).containsExactly(1, 2);
        // torch.tensor([torch.tensor(1.5, dtype=torch.float64), 2]) -> tensor([1.5000, 2.0000], dtype=torch.float64)
        Tensor f64 = Tensor.tensor(List.of(Tensor.scalar(1.5, DType.FLOAT64), 2));
        assertThat(f64.toString()).isEqualTo("tensor([1.5000, 2.0000], dtype=torch.float64)");
        // a one-element tensor of any shape is a number; the result never requires grad
        Tensor g = Tensor.tensor(List.of(List.of(Tensor.of(1).requiresGrad_()), List.of(Tensor.scalar(1, DType.BOOL))));
        assertThat(g.toString()).isEqualTo("tensor([[1.],\n        [1.]])");
        assertThatThrownBy(() -> Tensor.tensor(List.of(Tensor.of(1, 2), Tensor.of(3, 4))))
                .hasMessage("only one element tensors can be converted to Python scalars");
        assertThatThrownBy(() -> Tensor.tensor(List.of(Tensor.scalar(300.7), 2), DType.UINT8))
                .hasMessage("only integer tensors of a single element can be converted to an index");
    }

    @Test
    void fillInsideAGraph() {
        Tensor a = Tensor.ones(2).requiresGrad_();
        Tensor y = a.mul(3.0).fill_(5);
        assertThat(y.gradFn().name()).isEqualTo("FillBackward2");
        y.sum().backward();
        assertThat(a.grad().toFloatArray()).containsExactly(0, 0);
    }

    @Test
    void emptyIsZeroedAndShaped() {
        Tensor e = Tensor.empty(new int[] {2, 0, 3}, DType.INT16);
        assertThat(e.shape()).containsExactly(2, 0, 3);
        assertThat(e.dtype()).isEqualTo(DType.INT16);
        assertThat(Tensor.emptyLike(Tensor.ones(4)).toFloatArray()).containsExactly(0, 0, 0, 0);
        assertThatThrownBy(() -> Tensor.empty(-1)).hasMessage("Trying to create tensor with negative dimension -1: [-1]");
    }

    // ------------------------------------------------------------ host access

    @Test
    void tolistNestsAndTypesLikePython() {
        Tensor t = Tensor.arange(6).view(2, 3);
        assertThat(t.tolist()).isEqualTo(List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L)));
        assertThat(t.t().tolist()).isEqualTo(List.of(List.of(0L, 3L), List.of(1L, 4L), List.of(2L, 5L)));
        assertThat(Tensor.of(1.5f, Float.NaN).tolist()).isEqualTo(Arrays.asList(1.5, Double.NaN));
        assertThat(Tensor.scalar(2.5).tolist()).isEqualTo(2.5);
        assertThat(Tensor.full(new int[] {2}, true).tolist()).isEqualTo(List.of(true, true));
        assertThat(Tensor.zeros(0, 2).tolist()).isEqualTo(List.of());
        assertThat(Tensor.tensor(List.of(1.1)).to(DType.FLOAT16).tolist()).isEqualTo(List.of((double) Float.float16ToFloat(Float.floatToFloat16(1.1f))));
    }

    @Test
    void itemAndArrays() {
        assertThat(Tensor.scalar(3.25).item()).isEqualTo(3.25);
        assertThat(Tensor.full(new int[] {1, 1}, Long.MAX_VALUE).itemLong()).isEqualTo(Long.MAX_VALUE);
        assertThat(Tensor.full(new int[0], true).itemBool()).isTrue();
        assertThat(Tensor.arange(10).narrow(0, 4, 1).item()).isEqualTo(4.0);
        assertThatThrownBy(() -> Tensor.zeros(2).item()).hasMessage("a Tensor with 2 elements cannot be converted to Scalar");
        assertThatThrownBy(() -> Tensor.zeros(0).item()).hasMessage("a Tensor with 0 elements cannot be converted to Scalar");
        Tensor x = Tensor.tensor(new double[] {-1.5, Double.NaN, 3e9, 0.25});
        assertThat(x.toFloatArray()).containsExactly(-1.5f, Float.NaN, 3e9f, 0.25f);
        assertThat(x.toLongArray()).containsExactly(-1, Long.MIN_VALUE, 3_000_000_000L, 0);
        assertThat(x.toIntArray()).containsExactly(-1, Integer.MIN_VALUE, Integer.MIN_VALUE, 0);
        assertThat(x.toBoolArray()).containsExactly(true, true, true, true);
        assertThat(Tensor.arange(5).slice(0, 0, 5, 2).toLongArray()).containsExactly(0, 2, 4);
        assertThat(Tensor.tensor(new long[] {(1L << 60) + (1L << 36) + 1}).toFloatArray()).containsExactly((float) ((1L << 60) + (1L << 37)));
    }
    @Test
    void newFactoriesAndLikeFactoriesWithADtype() {
        // PyTorch 1.13: a.new_ones(3) keeps a's dtype (int32), new_zeros((2, 2), dtype=torch.float64) takes its own;
        // neither requires grad
        Tensor a = Tensor.ones(new int[] {2}, DType.INT32);
        assertThat(a.newOnes(3).toString()).isEqualTo("tensor([1, 1, 1], dtype=torch.int32)");
        assertThat(a.newZeros(new int[] {2, 2}, DType.FLOAT64).toString()).isEqualTo("tensor([[0., 0.],\n        [0., 0.]], dtype=torch.float64)");
        assertThat(Tensor.ones(2).requiresGrad_().newOnes(3).requiresGrad()).isFalse();
        // randn_like(a, dtype=torch.float64).dtype; rand_like(torch.ones(2, 3).t(), dtype=torch.float64).stride() == (1, 3)
        assertThat(Tensor.randnLike(a, DType.FLOAT64).dtype()).isEqualTo(DType.FLOAT64);
        assertThat(Tensor.randLike(Tensor.ones(2, 3).t(), DType.FLOAT64).strides()).containsExactly(1, 3);
    }

    @Test
    void typeTypeAsAndElementSize() {
        // x = torch.tensor([1.5, 2.5]); y = torch.tensor([1, 2]); x.type_as(y), x.type(), y.type(), bool/bfloat16/float16 .type(),
        // x.element_size(), y.element_size(), bool element_size(), x.type(torch.int32), x.is_complex()
        // -> tensor([1, 2]) torch.FloatTensor torch.LongTensor torch.BoolTensor torch.BFloat16Tensor torch.HalfTensor 4 8 1 tensor([1, 2], dtype=torch.int32) False
        Tensor x = Tensor.tensor(new double[] {1.5, 2.5}, DType.FLOAT32), y = Tensor.tensor(new long[] {1, 2});
        assertThat(x.typeAs(y).toString()).isEqualTo("tensor([1, 2])");
        assertThat(x.type()).isEqualTo("torch.FloatTensor");
        assertThat(y.type()).isEqualTo("torch.LongTensor");
        assertThat(Tensor.ones(new int[] {1}, DType.BOOL).type()).isEqualTo("torch.BoolTensor");
        assertThat(Tensor.ones(new int[] {1}, DType.BFLOAT16).type()).isEqualTo("torch.BFloat16Tensor");
        assertThat(Tensor.ones(new int[] {1}, DType.FLOAT16).type()).isEqualTo("torch.HalfTensor");
        assertThat(new int[] {x.elementSize(), y.elementSize(), Tensor.ones(new int[] {1}, DType.BOOL).elementSize()}).containsExactly(4, 8, 1);
        assertThat(x.type(DType.INT32).toString()).isEqualTo("tensor([1, 2], dtype=torch.int32)");
        assertThat(x.isComplex()).isFalse();
        // a = torch.ones(2, requires_grad=True): a.type_as(y).requires_grad, a.type_as(float64 tensor).grad_fn, a.type_as(a) is a
        // -> False <ToCopyBackward0> True
        Tensor a = Tensor.ones(2).requiresGrad_();
        assertThat(a.typeAs(y).requiresGrad()).isFalse();
        assertThat(a.typeAs(Tensor.ones(new int[] {1}, DType.FLOAT64)).gradFn().name()).isEqualTo("ToCopyBackward0");
        assertThat(a.typeAs(a)).isSameAs(a);
    }

    @Test
    void newFullNewTensorAndNewEmptyTakeTheSourcesDtype() {
        // x = torch.tensor([1, 2]); x.new_full((2,), 3.7), x.new_full((2, 1), 7), x.new_tensor([1.5, 2.5]), x.new_empty((2,)).dtype,
        // x.new_full((2,), 2.5, dtype=torch.float64) -> tensor([3, 3]) tensor([[7], [7]]) tensor([1, 2]) torch.int64 tensor([2.5000, 2.5000], dtype=torch.float64)
        Tensor x = Tensor.tensor(new long[] {1, 2});
        assertThat(x.newFull(new int[] {2}, 3.7).toString()).isEqualTo("tensor([3, 3])");
        assertThat(x.newFull(new int[] {2, 1}, 7L).toString()).isEqualTo("tensor([[7],\n        [7]])");
        assertThat(x.newTensor(new double[] {1.5, 2.5}).toString()).isEqualTo("tensor([1, 2])");
        assertThat(x.newEmpty(2).dtype()).isEqualTo(DType.INT64);
        assertThat(x.newFull(new int[] {2}, 2.5, DType.FLOAT64).toString()).isEqualTo("tensor([2.5000, 2.5000], dtype=torch.float64)");
        // f = torch.tensor([1.], dtype=torch.float64); f.new_tensor([[1, 2]]), f.new_full((1,), 3), f.new_tensor([True, False])
        Tensor f = Tensor.tensor(new double[] {1}, DType.FLOAT64);
        assertThat(f.newTensor(new long[][] {{1, 2}}).toString()).isEqualTo("tensor([[1., 2.]], dtype=torch.float64)");
        assertThat(f.newFull(new int[] {1}, 3L).toString()).isEqualTo("tensor([3.], dtype=torch.float64)");
        assertThat(f.newTensor(new boolean[] {true, false}).toString()).isEqualTo("tensor([1., 0.], dtype=torch.float64)");
        // f.new_tensor([1., 2.], dtype=torch.int32) -> tensor([1, 2], dtype=torch.int32)
        assertThat(f.newTensor(new double[] {1, 2}, DType.INT32).toString()).isEqualTo("tensor([1, 2], dtype=torch.int32)");
        // u = torch.tensor([1], dtype=torch.uint8); u.new_full((1,), 300); u.new_tensor([300])
        Tensor u = Tensor.tensor(new long[] {1}).to(DType.UINT8);
        assertThatThrownBy(() -> u.newFull(new int[] {1}, 300L)).hasMessage("value cannot be converted to type uint8_t without overflow");
        assertThatThrownBy(() -> u.newTensor(new long[] {300})).hasMessage("value cannot be converted to type uint8 without overflow");
        assertThat(Tensor.ones(2).requiresGrad_().newFull(new int[] {2}, 1.0).requiresGrad()).isFalse();
    }
}
