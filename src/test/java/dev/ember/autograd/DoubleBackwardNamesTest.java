package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.GradCheck;
import dev.ember.testing.GradFnChain;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The graph a first-order gradient carries when built with {@code createGraph}, node by node as PyTorch 1.13 names
 * them (C++ Scalar overloads such as MulBackward1 inside backward rules, tanh_backward as TanhBackwardBackward0, ...),
 * and the second-order values. Made by, for each case:
 * <pre>
 * x = (torch.arange(1., 4., dtype=torch.float64)/7 + 0.1).requires_grad_()
 * g, = torch.autograd.grad(f(x).sum(), x, create_graph=True); names(g.grad_fn)  # depth-first, None for no edge
 * torch.autograd.grad(g.sum(), x)
 * </pre>
 */
class DoubleBackwardNamesTest {

    static Tensor x() { return Tensor.arange(1.0, 4.0, 1.0, DType.FLOAT64).div(7.0).add(0.1).detach().requiresGrad_(); }

    record Case(String name, UnaryOperator<Tensor> f, List<String> graph, double[] gg) {}

    static Case c(String name, UnaryOperator<Tensor> f, String graph, double... gg) { return new Case(name, f, List.of(graph.split(" ")), gg); }

    @TestFactory
    Stream<DynamicTest> firstOrderGradientsCarryPyTorchsNodes() {
        return Stream.of(
                c("pow2", t -> t.pow(2L), "MulBackward0 None MulBackward1 PowBackward0 AccumulateGrad", 2, 2, 2),
                c("sqrt", Tensor::sqrt, "DivBackward0 None MulBackward1 SqrtBackward0 AccumulateGrad", -2.0888809373, -1.0436176669, -0.6505556943),
                c("tanh", Tensor::tanh, "TanhBackwardBackward0 None TanhBackward0 AccumulateGrad", -0.4493571757, -0.6359235686, -0.7414113501),
                c("sigmoid", Tensor::sigmoid, "SigmoidBackwardBackward0 None SigmoidBackward0 AccumulateGrad", -0.0297677296, -0.0458969337, -0.0602665712),
                c("relu", Tensor::relu, "ThresholdBackwardBackward0 None ReluBackward0 AccumulateGrad", 0, 0, 0),
                c("rsqrt", Tensor::rsqrt, "MulBackward0 None PowBackward0 RsqrtBackward0 AccumulateGrad", 25.8038233428, 8.1170262982, 3.6923431298),
                c("reciprocal", Tensor::reciprocal, "MulBackward0 None MulBackward0 ReciprocalBackward0 AccumulateGrad ReciprocalBackward0",
                        139.6295542438, 34.8524107097, 13.5431267645),
                c("abs", Tensor::abs, "MulBackward0 None SgnBackward0 AccumulateGrad", 0, 0, 0),
                c("erf", Tensor::erf, "MulBackward0 MulBackward1 ExpBackward0 NegBackward0 PowBackward0 AccumulateGrad None",
                        -0.5166797313, -0.7501332151, -0.9020947985),
                c("var", Tensor::var, "MulBackward0 None SubBackward0 AccumulateGrad MeanBackward0 AccumulateGrad", 0, 0, 0),
                c("log1p", Tensor::log1p, "DivBackward0 None AddBackward1 AccumulateGrad", -0.6473774607, -0.5207779785, -0.4279849769),
                c("softmax", t -> t.softmax(0).mul(t),
                        "AddBackward0 MulBackward0 None SoftmaxBackward0 AccumulateGrad SoftmaxBackwardDataBackward0 MulBackward0 None AccumulateGrad SoftmaxBackward0",
                        0, 0, 0),
                c("log_softmax", t -> t.logSoftmax(0).mul(t), "AddBackward0 MulBackward0 None LogSoftmaxBackward0 AccumulateGrad "
                        + "LogSoftmaxBackwardDataBackward0 MulBackward0 None AccumulateGrad LogSoftmaxBackward0", 0.138989284, 0.0067681778, -0.1457574619),
                // unfold_backward is an op of its own, whose result is fresh (version 0, where the as_strided gradient's is 2)
                c("unfold", t -> t.unfold(0, 2, 1).pow(2L), "UnfoldBackwardBackward0 MulBackward0 None MulBackward1 PowBackward0 UnfoldBackward0 AccumulateGrad",
                        2, 4, 2),
                c("sum*sum", t -> t.sum().mul(t.sum()),
                        "AddBackward0 ExpandBackward0 MulBackward0 None SumBackward0 AccumulateGrad ExpandBackward0 MulBackward0 None SumBackward0 AccumulateGrad",
                        6, 6, 6)
        ).map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Tensor x = x();
            Tensor g = Autograd.grad(new Tensor[] {k.f().apply(x).sum()}, new Tensor[] {x}, null, true, true)[0];
            assertThat(GradFnChain.depthFirst(g.gradFn())).containsExactlyElementsOf(k.graph());
            assertThat(g.version()).isZero();
            double[] gg = Autograd.grad(g.sum(), x)[0].toDoubleArray();
            for (int i = 0; i < gg.length; i++) assertThat(gg[i]).isCloseTo(k.gg()[i], within(1e-9));
        }));
    }

    @Test
    void binaryRulesKeepPyTorchsFactorOrderAndEdges() {
        // y = x2; g = grad((x/y).sum(), y, create_graph=True): -grad * ((self / other) / other); d/dy g.sum() -> [33.91.., 13.44.., 7.15..]
        Tensor x = x(), y = x();
        Tensor g = Autograd.grad(new Tensor[] {x.div(y).sum()}, new Tensor[] {y}, null, true, true)[0];
        assertThat(GradFnChain.depthFirst(g.gradFn())).containsExactly("MulBackward0", "None", "DivBackward0", "DivBackward0", "AccumulateGrad", "AccumulateGrad",
                "AccumulateGrad");
        double[] gg = Autograd.grad(g.sum(), x, y)[1].toDoubleArray();
        assertThat(gg).containsExactly(new double[] {33.9100346021, 13.4430727023, 7.1585098612}, within(1e-9));
        // grad(((x-y)*(x-y)).sum(), y, create_graph=True): other's gradient is NegBackward0 of grad, not a multiply by -1
        Tensor s = Autograd.grad(new Tensor[] {x.sub(y).mul(x.sub(y)).sum()}, new Tensor[] {y}, null, true, true)[0];
        assertThat(GradFnChain.depthFirst(s.gradFn())).containsExactly("AddBackward0", "NegBackward0", "MulBackward0", "None", "SubBackward0", "AccumulateGrad",
                "AccumulateGrad", "NegBackward0", "MulBackward0", "None", "SubBackward0", "AccumulateGrad", "AccumulateGrad");
        // torch.where(x > 0.3, x, x).grad_fn.next_functions: self and other only, the condition is no input
        assertThat(GradFnChain.depthFirst(Tensor.where(x.gt(0.3), x, x).gradFn())).containsExactly("WhereBackward0", "AccumulateGrad", "AccumulateGrad");
        // (1 - x).grad_fn.next_functions -> ((AccumulateGrad, 0),); user code keeps Python's two-edge nodes: (x*2) MulBackward0
        assertThat(GradFnChain.depthFirst(x.rsub(1.0).gradFn())).containsExactly("RsubBackward1", "AccumulateGrad");
        assertThat(GradFnChain.depthFirst(x.mul(2.0).gradFn())).containsExactly("MulBackward0", "AccumulateGrad", "None");
        // torch.tensor([-2., 0., 3.], requires_grad=True).sgn() -> tensor([-1., 0., 1.]), grad_fn SgnBackward0
        Tensor sg = Tensor.tensor(new double[] {-2, 0, 3}, DType.FLOAT64).requiresGrad_().sgn();
        assertThat(sg.toDoubleArray()).containsExactly(-1, 0, 1);
        assertThat(GradFnChain.depthFirst(sg.gradFn()).get(0)).isEqualTo("SgnBackward0");
    }

    record Binary(String name, java.util.function.BinaryOperator<Tensor> f, int wrt, String graph, double[] ggX, double[] ggY) {}

    @TestFactory
    Stream<DynamicTest> twoInputRulesCarryPyTorchsNodes() {
        // x = y = (arange(1., 4.)/7 + 0.1); g = autograd.grad(f(x, y).sum(), [x, y], create_graph=True)[wrt]; autograd.grad(g.sum(), [x, y])
        return Stream.of(
                new Binary("atan2 x", Tensor::atan2, 0, "MulBackward0 MulBackward0 None AccumulateGrad ReciprocalBackward0 AddBackward0 MulBackward0 "
                        + "AccumulateGrad AccumulateGrad MulBackward0 AccumulateGrad AccumulateGrad",
                        new double[] {-8.4775086505, -3.3607681756, -1.7896274653}, new double[] {0, 0, 0}),
                new Binary("atan2 y", Tensor::atan2, 1, "MulBackward0 MulBackward0 None NegBackward0 AccumulateGrad ReciprocalBackward0 AddBackward0 "
                        + "MulBackward0 AccumulateGrad AccumulateGrad MulBackward0 AccumulateGrad AccumulateGrad",
                        new double[] {0, 0, 0}, new double[] {8.4775086505, 3.3607681756, 1.7896274653}),
                new Binary("pow x", Tensor::pow, 0, "WhereBackward0 None MulBackward0 None MulBackward0 AccumulateGrad PowBackward1 AccumulateGrad "
                        + "SubBackward1 AccumulateGrad", new double[] {-2.2108283215, -1.102862756, -0.6367262205},
                        new double[] {1.9163379689, 1.1356466043, 0.8954616337}),
                new Binary("cat", (a, b) -> Tensor.cat(List.of(a, b)).mul(Tensor.cat(List.of(b, a))), 0, "AddBackward0 SliceBackward0 MulBackward0 None "
                        + "CatBackward0 AccumulateGrad AccumulateGrad SliceBackward0 MulBackward0 None CatBackward0 AccumulateGrad AccumulateGrad",
                        new double[] {0, 0, 0}, new double[] {2, 2, 2})
        ).map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Tensor x = x(), y = x();
            Tensor g = Autograd.grad(new Tensor[] {k.f().apply(x, y).sum()}, new Tensor[] {x, y}, null, true, true)[k.wrt()];
            assertThat(GradFnChain.depthFirst(g.gradFn())).containsExactly(k.graph().split(" "));
            Tensor[] gg = Autograd.grad(new Tensor[] {g.sum()}, new Tensor[] {x, y}, null, false, false, true);
            assertThat(gg[0] == null ? new double[3] : gg[0].toDoubleArray()).containsExactly(k.ggX(), within(1e-9));
            assertThat(gg[1] == null ? new double[3] : gg[1].toDoubleArray()).containsExactly(k.ggY(), within(1e-9));
        }));
    }

    @Test
    void theRulesThatBecameOpsAreTwiceDifferentiable() {
        double[] mixed = {0.3, -1.2, 2.0, -0.7}, positive = {0.3, 1.2, 2.0, 0.7};
        for (UnaryOperator<Tensor> f : List.<UnaryOperator<Tensor>>of(Tensor::tanh, Tensor::sigmoid, t -> t.relu().mul(t), Tensor::abs, Tensor::erf))
            gradgradcheck(f, mixed);
        for (UnaryOperator<Tensor> f : List.<UnaryOperator<Tensor>>of(Tensor::rsqrt, Tensor::reciprocal, Tensor::var, Tensor::sqrt))
            gradgradcheck(f, positive);
        gradgradcheck(t -> t.view(2, 2).softmax(1).reshape(4).mul(t.exp()), mixed);
        gradgradcheck(t -> t.atan2(t.exp()).add(Tensor.cat(List.of(t.narrow(0, 2, 2), t.narrow(0, 0, 2))).mul(t)), mixed);
        gradgradcheck(t -> t.abs().add(0.5).pow(t.exp()), mixed);
        gradgradcheck(t -> t.view(2, 2).logSoftmax(0).reshape(4).mul(t.exp()), mixed);
    }

    /** Finite differences of the first-order gradient of {@code sum(f(x) * x)}, built with createGraph. */
    private static void gradgradcheck(UnaryOperator<Tensor> f, double[] at) {
        GradCheck.check(in -> List.of(Autograd.grad(new Tensor[] {f.apply(in[0]).mul(in[0]).sum()}, in, null, true, true)[0]),
                Tensor.tensor(at, DType.FLOAT64).requiresGrad_());
    }
}
