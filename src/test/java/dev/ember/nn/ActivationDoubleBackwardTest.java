package dev.ember.nn;

import dev.ember.autograd.Autograd;
import dev.ember.nn.functional.F;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.GradFnChain;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The activations whose backward is an op of its own in PyTorch 1.13 ({@code gelu_backward}, ...): a gradient built
 * with createGraph carries one {@code GeluBackwardBackward0} (etc.) node with edges to the incoming gradient and self,
 * and the second-order values are PyTorch's. Made by, for each case:
 * <pre>
 * x = torch.tensor([-1.5, -0.25, 0.5, 2.0], dtype=torch.float64, requires_grad=True)
 * g, = torch.autograd.grad((f(x) * x).sum(), x, create_graph=True); names(g.grad_fn)  # depth-first, None for no edge
 * # (the walk keeps every node it visits alive: Python reuses the ids of freed grad_fn wrappers, which would make a
 * # new node look already seen)
 * torch.autograd.grad(g.sum(), x)
 * </pre>
 * The second derivatives are also checked against finite differences in {@link SecondOrderTest}.
 */
class ActivationDoubleBackwardTest {

    record Case(String name, UnaryOperator<Tensor> f, String first, String second, double[] gg) {}

    @TestFactory
    Stream<DynamicTest> gradientsCarryTheBackwardOpsNode() {
        return Stream.of(
                new Case("gelu", F::gelu, "GeluBackward0", "GeluBackwardBackward0", new double[] {-0.2063692861, 0.4219609212, 2.0430474102, 1.9544997361}),
                new Case("gelu tanh", x -> F.gelu(x, "tanh"), "GeluBackward0", "GeluBackwardBackward0",
                        new double[] {-0.2096442916, 0.4220546561, 2.0424932546, 1.9564483533}),
                new Case("softplus beta=2 threshold=3", x -> F.softplus(x, 2, 3), "SoftplusBackward0", "SoftplusBackwardBackward0",
                        new double[] {-0.0406782328, 0.6375794815, 1.6587290905, 2.0}),
                new Case("elu 0.5", x -> F.elu(x, 0.5), "EluBackward0", "EluBackwardBackward0", new double[] {0.05578254, 0.6814506852, 2.0, 2.0}),
                new Case("selu", F::selu, "EluBackward0", "EluBackwardBackward0", new double[] {0.1961424937, 2.3961160009, 2.1014019747, 2.1014019747}),
                new Case("celu 2", x -> F.celu(x, 2.0), "CeluBackward0", "EluBackwardBackward0", new double[] {0.5904581909, 1.6546816923, 2.0, 2.0}),
                new Case("leaky_relu 0.1", x -> F.leakyRelu(x, 0.1), "LeakyReluBackward0", "LeakyReluBackwardBackward0", new double[] {0.2, 0.2, 2.0, 2.0})
        ).map(k -> DynamicTest.dynamicTest(k.name(), () -> {
            Tensor x = Tensor.tensor(new double[] {-1.5, -0.25, 0.5, 2.0}, DType.FLOAT64).requiresGrad_();
            Tensor g = Autograd.grad(new Tensor[] {k.f().apply(x).mul(x).sum()}, new Tensor[] {x}, null, true, true)[0];
            // AddBackward0 MulBackward0 None <first> AccumulateGrad <second> MulBackward0 None AccumulateGrad AccumulateGrad: the
            // second node's edges are the incoming gradient (grad * x) and self
            assertThat(GradFnChain.depthFirst(g.gradFn())).containsExactly("AddBackward0", "MulBackward0", "None", k.first(), "AccumulateGrad", k.second(), "MulBackward0",
                    "None", "AccumulateGrad", "AccumulateGrad");
            double[] gg = Autograd.grad(g.sum(), x)[0].toDoubleArray();
            assertThat(gg).containsExactly(k.gg(), within(1e-9));
        }));
    }
}
