package dev.ember.tensor;

import dev.ember.testing.Kw;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * addr/addr_, diag_embed, diagflat, block_diag, cartesian_prod, combinations, vander and tril/triu_indices against PyTorch fixtures (tools/fixtures/fx_matrix_builders.py): values,
 * gradients, errors, and the first result's strides and grad_fn names.
 */
class MatrixBuildersTest {

    @TestFactory
    Stream<DynamicTest> matrixBuilders() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("addr", checkingLayout((x, k) -> addr(x[0], x[1], x[2], k))),
                entry("addr_", checkingLayout((x, k) -> addr_(x[0].clone(), x[1], x[2], k))),
                entry("addr_view_", checkingLayout((x, k) -> x[0].addr_(x[1], x[2]))),
                entry("diag_embed", checkingLayout((x, k) -> x[0].diagEmbed(k.i("offset"), k.i("dim1"), k.i("dim2")))),
                entry("diagflat", checkingLayout((x, k) -> x[0].diagflat(k.i("offset")))),
                entry("block_diag", checkingLayout((x, k) -> Tensor.blockDiag(x))),
                entry("result_version", (x, k) -> Tensor.scalar((k.s("op").equals("diag_embed") ? x[0].diagEmbed() : Tensor.blockDiag(x)).version(), DType.INT64)),
                entry("cartesian_prod", checkingLayout((x, k) -> Tensor.cartesianProd(x))),
                entry("combinations", checkingLayout((x, k) -> x[0].combinations(k.i("r"), k.b("rep")))),
                entry("vander", checkingLayout((x, k) -> Tensor.vander(x[0], k.has("n") ? k.i("n") : null, k.b("inc")))),
                entry("tril_indices", checkingLayout((x, k) -> Tensor.trilIndices(k.i("row"), k.i("col"), k.i("offset"), DType.fromName(k.s("dtype"))))),
                entry("triu_indices", checkingLayout((x, k) -> Tensor.triuIndices(k.i("row"), k.i("col"), k.i("offset"), DType.fromName(k.s("dtype"))))));
        return OpCases.run("matrix_builders", ops);
    }

    /** Python ints and floats reach the matching public overload; a bool (or mixed) pair goes in as Scalars. */
    private static Tensor addr(Tensor input, Tensor v1, Tensor v2, Kw k) {
        if (k.isInt("beta") && k.isInt("alpha")) return Tensor.addr(input, v1, v2, k.l("beta"), k.l("alpha"));
        if (isFloat(k, "beta") && isFloat(k, "alpha")) return Tensor.addr(input, v1, v2, k.d("beta"), k.d("alpha"));
        return TensorProducts.addr(input, v1, v2, scalar(k, "beta"), scalar(k, "alpha"));
    }

    private static Tensor addr_(Tensor self, Tensor v1, Tensor v2, Kw k) {
        if (k.isInt("beta") && k.isInt("alpha")) return self.addr_(v1, v2, k.l("beta"), k.l("alpha"));
        if (isFloat(k, "beta") && isFloat(k, "alpha")) return self.addr_(v1, v2, k.d("beta"), k.d("alpha"));
        return TensorProducts.addr_(self, v1, v2, scalar(k, "beta"), scalar(k, "alpha"));
    }

    private static boolean isFloat(Kw k, String name) { return k.node().get(name).isFloatingPointNumber(); }

    private static Scalar scalar(Kw k, String name) {
        var n = k.node().get(name);
        return n.isBoolean() ? Scalar.of(n.asBoolean()) : n.isIntegralNumber() ? Scalar.of(n.asLong()) : Scalar.of(n.asDouble());
    }

    @Test
    void vanderCannotBeDifferentiatedAsInPyTorch() {
        // PyTorch 1.13: x = torch.tensor([1., 2., 3.], requires_grad=True); torch.vander(x).sum().backward() fails, since
        // vander's last copy_ overwrites the columns its cumprod saved
        Tensor x = Tensor.tensor(new float[] {1, 2, 3}).requiresGrad_();
        Tensor y = Tensor.vander(x);
        assertThat(y.gradFn().name()).isEqualTo("FlipBackward0");
        assertThatThrownBy(() -> y.sum().backward()).hasMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3, 2]], which is output 0 of AsStridedBackward0, is at version 3; expected version 2 instead. Hint: enable anomaly detection "
                + "to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        assertThat(Tensor.vander(x, 3, true).gradFn().name()).isEqualTo("torch::autograd::CopySlices");
    }
}
