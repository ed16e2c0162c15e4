package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.testing.GradCheck;
import dev.ember.testing.TensorAssert;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the fixtures do not show: grad_fn names (as {@code x.max().grad_fn} prints them in PyTorch 1.13),
 * second derivatives (gradgradcheck), and the cases where PyTorch 1.13 itself fails.
 */
class ReductionsGradTest {

    private static Tensor x() { return Tensor.randn(new Generator(7), new int[] {3, 4}, DType.FLOAT64).requiresGrad_(); }

    @TestFactory
    Stream<DynamicTest> gradFnNames() {
        Map<String, Function<Tensor, Tensor>> ops = new LinkedHashMap<>();
        ops.put("ProdBackward0", t -> t.prod());
        ops.put("ProdBackward1", t -> t.prod(1, false));
        ops.put("MaxBackward1", Tensor::max);
        ops.put("MinBackward1", Tensor::min);
        ops.put("MaxBackward0", t -> t.max(1).values());
        ops.put("MinBackward0", t -> t.min(0, true).values());
        ops.put("AmaxBackward0", t -> t.amax(new int[] {1}, false));
        ops.put("AminBackward0", t -> t.amin(new int[] {0, 1}, false));
        ops.put("VarBackward0", Tensor::var);
        ops.put("StdBackward0", t -> t.std(1, true, false));
        ops.put("NormBackward1", t -> t.norm(3, new int[] {1}, false));
        ops.put("LogsumexpBackward0", t -> t.logsumexp(1, false));
        ops.put("SoftmaxBackward0", t -> t.softmax(1));
        ops.put("LogSoftmaxBackward0", t -> t.logSoftmax(0));
        ops.put("CumsumBackward0", t -> t.cumsum(1));
        ops.put("CumprodBackward0", t -> t.cumprod(0));
        ops.put("SortBackward0", t -> t.sort(1, true).values());
        ops.put("TopkBackward0", t -> t.topk(2).values());
        return ops.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(),
                () -> assertThat(e.getValue().apply(x()).gradFn().name()).isEqualTo(e.getKey())));
    }

    @Test
    void indicesAreNotDifferentiable() {
        Tensor t = x();
        assertThat(t.max(1).indices().requiresGrad()).isFalse();
        assertThat(t.sort(0, false).indices().dtype()).isEqualTo(DType.INT64);
        assertThat(t.topk(2).indices().requiresGrad()).isFalse();
        assertThat(t.argmax().requiresGrad()).isFalse();
    }

    /** gradgradcheck: the gradient (built with create_graph) is itself checked against finite differences. */
    @TestFactory
    Stream<DynamicTest> secondDerivatives() {
        Tensor zeros = Tensor.tensor(new double[][] {{1.5, 0.0, 2.0, -1.0}, {0.0, 3.0, 0.0, 2.0}, {1.0, 2.0, 3.0, -0.5}});
        Map<String, Object[]> ops = new LinkedHashMap<>();
        ops.put("softmax", new Object[] {(Function<Tensor, Tensor>) t -> t.softmax(1), null});
        ops.put("log_softmax", new Object[] {(Function<Tensor, Tensor>) t -> t.logSoftmax(0), null});
        ops.put("logsumexp", new Object[] {(Function<Tensor, Tensor>) t -> t.logsumexp(1, true), null});
        ops.put("var", new Object[] {(Function<Tensor, Tensor>) t -> t.var(new int[] {1}, 1, false), null});
        ops.put("std", new Object[] {(Function<Tensor, Tensor>) Tensor::std, null});
        ops.put("norm2", new Object[] {(Function<Tensor, Tensor>) t -> t.norm(2, new int[] {0}, false), null});
        ops.put("norm3", new Object[] {(Function<Tensor, Tensor>) t -> t.norm(3), null});
        ops.put("prod", new Object[] {(Function<Tensor, Tensor>) Tensor::prod, null});
        ops.put("prod with zeros", new Object[] {(Function<Tensor, Tensor>) t -> t.prod(1, false), zeros});
        ops.put("cumsum", new Object[] {(Function<Tensor, Tensor>) t -> t.cumsum(1), null});
        ops.put("cumprod", new Object[] {(Function<Tensor, Tensor>) t -> t.cumprod(1), null});
        ops.put("cumprod with zeros", new Object[] {(Function<Tensor, Tensor>) t -> t.cumprod(1), zeros});
        ops.put("max(dim) then square", new Object[] {(Function<Tensor, Tensor>) t -> t.max(1).values().square(), null});
        ops.put("amax then square", new Object[] {(Function<Tensor, Tensor>) t -> t.amax(new int[] {0}, true).square(), null});
        ops.put("sort then square", new Object[] {(Function<Tensor, Tensor>) t -> t.sort(1, false).values().square(), null});
        ops.put("topk then exp", new Object[] {(Function<Tensor, Tensor>) t -> t.topk(2, 0, true, true).values().exp(), null});
        return ops.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            @SuppressWarnings("unchecked") Function<Tensor, Tensor> f = (Function<Tensor, Tensor>) e.getValue()[0];
            Tensor at = e.getValue()[1] == null ? x() : ((Tensor) e.getValue()[1]).clone().requiresGrad_();
            gradgradcheck(f, at);
        }));
    }

    private static void gradgradcheck(Function<Tensor, Tensor> f, Tensor at) {
        Tensor probe = f.apply(at);
        Tensor w = Tensor.randn(new Generator(3), probe.shape(), DType.FLOAT64);
        GradCheck.check(in -> {
            Tensor out = f.apply(in[0]);
            return List.of(Autograd.grad(new Tensor[] {out}, new Tensor[] {in[0]}, new Tensor[] {w}, true, true)[0]);
        }, at);
    }

    @Test
    void varOverAllElementsWithoutDegreesOfFreedom() {
        // PyTorch 1.13's var_backward gives grad * inf in the 0-dim shape of the gradient, which its engine
        // rejects for any input that is not 0-dim: "Function VarBackward0 returned an invalid gradient ..."
        Tensor t = Tensor.tensor(new double[] {1, 2, 3}).requiresGrad_();
        Tensor v = t.var(null, 3, false);
        assertThat(v.item()).isEqualTo(Double.POSITIVE_INFINITY);
        assertThatThrownBy(v::backward).hasMessage("Function VarBackward0 returned an invalid gradient at index 0 - got [] but expected shape compatible with [3]");
        Tensor s = Tensor.tensor(new double[] {1, 2, 3}).requiresGrad_();
        assertThatThrownBy(() -> s.std(null, 3, false).backward())
                .hasMessage("Function StdBackward0 returned an invalid gradient at index 0 - got [] but expected shape compatible with [3]");
        // a 0-dim input takes it as it is: x.var() of tensor(-2.5) backward with grad -2 gives -inf in PyTorch 1.13
        Tensor z = Tensor.scalar(-2.5).requiresGrad_();
        z.var().backward(Tensor.scalar(-2));
        assertThat(z.grad().item()).isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void varOverAllElementsWithNegativeDegreesOfFreedom() {
        // PyTorch 1.13: 2 / (N - correction) * grad * (x - mean) with N - correction = -1, as over given dims
        Tensor t = Tensor.tensor(new double[][] {{1, 2, 4}, {3, 3, 3}}).requiresGrad_();
        t.var(null, 7, false).backward(Tensor.scalar(2.0, DType.FLOAT64));
        TensorAssert.assertClose(t.grad(), Tensor.tensor(new double[][] {{20 / 3.0, 8 / 3.0, -16 / 3.0}, {-4 / 3.0, -4 / 3.0, -4 / 3.0}}));
    }

    @Test
    void prodOverAllElementsWithSeveralZerosHasZeroGradient() {
        // PyTorch 1.13: torch.tensor([0., nan, 2., 0., inf]).prod().backward() -> grad tensor([0., 0., 0., 0., 0.])
        Tensor t = Tensor.tensor(new double[] {0, Double.NaN, 2, 0, Double.POSITIVE_INFINITY}).requiresGrad_();
        t.prod().backward();
        assertThat(t.grad().toDoubleArray()).containsExactly(0, 0, 0, 0, 0);
        // along a dim it is the product of the others, so nan and inf still show: prod(1) of [[0, nan, 0], [0, 2, 3]]
        Tensor u = Tensor.tensor(new double[][] {{0, Double.NaN, 0}, {0, 2, 3}}).requiresGrad_();
        u.prod(1).sum().backward();
        TensorAssert.assertClose(u.grad(), Tensor.tensor(new double[][] {{Double.NaN, 0, Double.NaN}, {6, 0, 0}}));
    }

    @Test
    void inPlaceWritesToWhatTheNodesSaveFailBackwardAsInPyTorch() {
        String hint = " Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).";
        // PyTorch 1.13: y = x * 1; r = y.mean(0); y.add_(1); r.sum().backward() fails: MeanBackward1 saves its input
        Tensor x = Tensor.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}}).requiresGrad_();
        Tensor y = x.mul(1.0);
        Tensor r = y.mean(0);
        y.add_(1.0);
        assertThatThrownBy(() -> r.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2, 3]], which is output 0 of AddBackward0, is at version 1; expected version 0 instead." + hint);
        // the mean of every element (MeanBackward0) saves nothing
        Tensor z = x.mul(1.0);
        Tensor m = z.mean();
        z.add_(1.0);
        m.backward();
        // r = x.amax(1); r.mul_(2); r.sum().backward(): AmaxBackward0 saves its result, the [2] output
        Tensor a = x.amax(new int[] {1}, false);
        a.mul_(2.0);
        assertThatThrownBy(() -> a.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [2]], which is output 0 of AmaxBackward0, is at version 1; expected version 0 instead." + hint);
    }

    @Test
    void normZeroHasNoGradient() {
        // PyTorch 1.13's norm_backward returns an undefined tensor for p = 0: .grad stays None
        Tensor t = Tensor.tensor(new double[] {1, 0, 2}).requiresGrad_();
        t.norm(0).backward();
        assertThat(t.grad()).isNull();
        t.norm(0, new int[] {0}, false).add(t.sum()).backward();
        TensorAssert.assertClose(t.grad(), Tensor.tensor(new double[] {1, 1, 1}));
        Tensor e = Tensor.tensor(new double[] {1, 0, 2}).requiresGrad_();
        e.exp().norm(0).mul(2.0).backward(); // the nodes below norm get no gradient and pass none on
        assertThat(e.grad()).isNull();
        assertThatThrownBy(() -> Autograd.grad(t.norm(0), t)).hasMessage("One of the differentiated Tensors appears to not have been used in the graph. "
                + "Set allow_unused=True if this is the desired behavior.");
    }

    @Test
    void stdOfOneElement() {
        Tensor t = Tensor.tensor(new double[] {4}).requiresGrad_();
        Tensor s = t.std();
        assertThat(s.item()).isNaN();
        // PyTorch 1.13: no degrees of freedom over all elements of a 1-D input, see above
        assertThatThrownBy(s::backward).hasMessage("Function StdBackward0 returned an invalid gradient at index 0 - got [] but expected shape compatible with [1]");
        Tensor z = Tensor.scalar(4.0, DType.FLOAT64).requiresGrad_();
        z.std().backward();
        assertThat(z.grad().item()).isNaN();
    }

    @Test
    void sumOverDimZeroUsesEveryDtypeCorrectly() {
        // the row-accumulation path, against a plain loop, for each dtype family
        long[] data = new long[60 * 7];
        for (int i = 0; i < data.length; i++) data[i] = (i * 7919L) % 101 - 50;
        Tensor longs = Tensor.fromArray(data, 60, 7);
        long[] expected = new long[7];
        for (int i = 0; i < data.length; i++) expected[i % 7] += data[i];
        assertThat(longs.sum(0).toLongArray()).containsExactly(expected);
        assertThat(longs.to(DType.INT32).sum(0).toLongArray()).containsExactly(expected);
        assertThat(longs.to(DType.FLOAT64).sum(0).toDoubleArray()).containsExactly(java.util.Arrays.stream(expected).asDoubleStream().toArray());
        assertThat(longs.to(DType.FLOAT32).sum(0).toDoubleArray()).containsExactly(java.util.Arrays.stream(expected).asDoubleStream().toArray());
        assertThat(longs.to(DType.INT16).amax(new int[] {0}, false).dtype()).isEqualTo(DType.INT16);
    }
}
