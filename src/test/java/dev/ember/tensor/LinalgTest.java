package dev.ember.tensor;

import dev.ember.backend.cpu.CpuGemm;
import dev.ember.testing.GradFnChain;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Matrix products against PyTorch fixtures (tools/fixtures/fx_linalg.py), run once with each CPU GEMM
 * (OpenBLAS through FFM, and the pure-Java fallback), so both are held to the same cases. Differentiable
 * cases also compare the first two grad_fn names of the result's graph with PyTorch's.
 */
class LinalgTest {

    /**
     * The fixture's view of an SVD, sign-free: each triplet flipped so that the entry of U's column largest in magnitude is
     * positive (the flip a constant to autograd), only the first k columns of U and rows of Vh, and Uᵀ U, Vh Vhᵀ (detached).
     */
    private static List<Tensor> svdCase(Tensor.SVD r) {
        int k = r.s().size(-1);
        Tensor uk = r.u().narrow(-1, 0, k), vhk = r.vh().narrow(-2, 0, k);
        Tensor sign = signs(uk);
        return List.of(uk.mul(sign), r.s(), vhk.mul(sign.mT()), r.u().mT().matmul(r.u()).detach(), r.vh().matmul(r.vh().mT()).detach());
    }

    private static List<Tensor> legacySvdCase(Tensor.LegacySVD r, boolean computeUv) {
        if (!computeUv) return List.of(r.u(), r.s(), r.v());
        int k = r.s().size(-1);
        Tensor uk = r.u().narrow(-1, 0, k), sign = signs(uk);
        return List.of(uk.mul(sign), r.s(), r.v().narrow(-1, 0, k).mul(sign));
    }

    /** [..., 1, k]: the sign of each column's entry largest in magnitude, detached. */
    private static Tensor signs(Tensor u) {
        if (u.size(-1) == 0 || u.size(-2) == 0) {
            int[] shape = u.shape().clone();
            shape[shape.length - 2] = 1;
            return Tensor.ones(shape, u.dtype());
        }
        return u.gather(-2, u.abs().argmax(-2, true)).sign().detach();
    }

    /** A bfloat16 product rounded as PyTorch rounds it with MKL-DNN (an AVX-512 CPU) or without it. */
    private static Tensor bf16Product(Tensor[] x, String op, boolean oneDnn) {
        boolean was = CpuGemm.oneDnnBfloat16();
        CpuGemm.useOneDnnBfloat16(oneDnn);
        try {
            return switch (op) {
                case "mm" -> x[0].mm(x[1]);
                case "bmm" -> x[0].bmm(x[1]);
                case "mv" -> x[0].mv(x[1]);
                case "dot" -> x[0].dot(x[1]);
                case "matmul" -> x[0].matmul(x[1]);
                case "addmm" -> Tensor.addmm(x[0], x[1], x[2], 0.5, 2.0);
                case "addmv" -> Tensor.addmv(x[0], x[1], x[2], 0.5, 2.0);
                case "baddbmm" -> Tensor.baddbmm(x[0], x[1], x[2], 0.5, 2.0);
                case "addbmm" -> Tensor.addbmm(x[0], x[1], x[2], 0.5, 2.0);
                default -> throw new IllegalArgumentException(op);
            };
        } finally {
            CpuGemm.useOneDnnBfloat16(was);
        }
    }

    @TestFactory
    Stream<DynamicNode> linalg() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("matmul", named((x, k) -> x[0].matmul(x[1]))),
                entry("mm", named((x, k) -> x[0].mm(x[1]))),
                entry("bf16_product", (x, k) -> bf16Product(x, k.s("op"), k.b("onednn"))),
                entry("svd", (x, k) -> svdCase(x[0].linalgSvd(k.b("full")))),
                entry("svdvals", named((x, k) -> x[0].svdvals())),
                entry("svd_legacy", (x, k) -> legacySvdCase(x[0].svd(k.b("some"), k.b("compute_uv")), k.b("compute_uv"))),
                entry("pinv", named((x, k) -> x[0].linalgPinv(k.has("atol") ? k.d("atol") : null, k.has("rtol") ? k.d("rtol") : null))),
                entry("pinverse", named((x, k) -> x[0].pinverse(k.d("rcond")))),
                entry("matrix_rank", (x, k) -> x[0].matrixRank(k.has("atol") ? k.d("atol") : null, k.has("rtol") ? k.d("rtol") : null)),
                entry("bmm", named((x, k) -> x[0].bmm(x[1]))),
                entry("mv", named((x, k) -> x[0].mv(x[1]))),
                entry("dot", named((x, k) -> x[0].dot(x[1]))),
                entry("inner", named((x, k) -> x[0].inner(x[1]))),
                entry("matmul_out_expanded", (x, k) -> {
                    int[] shape = k.ints("shape"), base = new int[shape.length];
                    java.util.Arrays.fill(base, 1);
                    if (k.has("base")) base = k.ints("base");
                    Tensor out = Tensor.arange(-1, -1 - Shape.numel(base), -1).reshape(base).to(DType.fromName(k.s("dtype"))).expand(shape);
                    return out.matmulOut(x[0], x[1]);
                }),
                entry("outer", named((x, k) -> x[0].outer(x[1]))),
                entry("addmm", named((x, k) -> k.isInt("beta") ? Tensor.addmm(x[0], x[1], x[2], k.l("beta"), k.d("alpha")) : Tensor.addmm(x[0], x[1], x[2], k.d("beta"), k.d("alpha")))),
                entry("matmul_out", (x, k) -> Tensor.empty(k.ints("shape"), DType.fromName(k.s("dtype"))).matmulOut(x[0], x[1])),
                entry("matmul_out_alias", (x, k) -> {
                    Map<String, Tensor> named = Map.of("a", x[0], "b", x[1], "a.t", x[0].dim() == 2 ? x[0].t() : x[0], "b.t", x[1].dim() == 2 ? x[1].t() : x[1]);
                    Tensor out = named.get(k.s("out"));
                    assertThat(out.matmulOut(named.get(k.s("lhs")), named.get(k.s("rhs")))).isSameAs(out);
                    return named.get(k.s("out").split("\\.")[0]).clone();
                }));
        String initial = CpuGemm.current();
        return CpuGemm.names().stream().map(gemm -> DynamicContainer.dynamicContainer("gemm=" + gemm,
                OpCases.run("linalg", ops).map(t -> DynamicTest.dynamicTest(t.getDisplayName(), () -> {
                    CpuGemm.use(gemm);
                    try {
                        t.getExecutable().execute();
                    } finally {
                        CpuGemm.use(initial);
                    }
                }))));
    }

    /** Checks the result's grad_fn chain against the fixture's when the case recorded one. */
    private static Op named(Op op) {
        return (x, k) -> {
            Object r = op.apply(x, k);
            if (k.has("grad_fn") && r instanceof Tensor t && t.requiresGrad()) assertThat(GradFnChain.of(t)).as("grad_fn chain").isEqualTo(k.s("grad_fn"));
            return r;
        };
    }

    @org.junit.jupiter.api.Test
    void addmmWithAlphaZeroIgnoresTheProduct() {
        // m1 = torch.tensor([[nan, 1.], [2., inf]]); torch.addmm(torch.arange(3.), m1, torch.ones(2, 3), alpha=0) -> [[0., 1., 2.], [0., 1., 2.]]
        Tensor m1 = Tensor.tensor(new float[][] {{Float.NaN, 1}, {2, Float.POSITIVE_INFINITY}}), m2 = Tensor.ones(2, 3);
        assertThat(Tensor.addmm(Tensor.arange(0.0, 3.0), m1, m2, 1, 0).toString()).isEqualTo("tensor([[0., 1., 2.],\n        [0., 1., 2.]])");
        assertThat(Tensor.addmm(Tensor.arange(0.0, 3.0), m1, m2, 2, 0).toString()).isEqualTo("tensor([[0., 2., 4.],\n        [0., 2., 4.]])");
        assertThat(Tensor.addmm(Tensor.arange(0.0, 3.0), m1, m2, 0, 0).toString()).isEqualTo("tensor([[0., 0., 0.],\n        [0., 0., 0.]])");
    }



    @Test
    void vectorTimesMatrixSqueezesInPlace() {
        // PyTorch 1.13: a.matmul(b) for 1-D a and 2-D b is mm(...).squeeze_(0), which bumps the version: r._version == 1, and
        // m = r.amax(0); r.fill_(2.0); m.backward() fails at version 2, expected 1
        Tensor a = Tensor.tensor(List.of(1., 2.)).to(DType.FLOAT32).requiresGrad_();
        Tensor b = Tensor.tensor(new float[][] {{1, 0, 2}, {3, 1, 1}});
        Tensor r = a.matmul(b);
        assertThat(r.version()).isEqualTo(1);
        assertThat(Tensor.ones(2).matmul(Tensor.ones(2, 3)).version()).isEqualTo(1);
        Tensor m = r.amax(new int[] {0}, false);
        r.fill_(2.0);
        assertThatThrownBy(m::backward).hasMessage("one of the variables needed for gradient computation has been modified by an inplace operation: "
                + "[torch.FloatTensor [3]], which is output 0 of FillBackward2, is at version 2; expected version 1 instead. Hint: enable anomaly detection "
                + "to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
    }

    @Test
    void innerAsPyTorch() {
        // PyTorch 1.13: torch.inner is tensordot over the last dims; its nodes, values, gradient and check
        Tensor a = Tensor.tensor(List.of(1., 2.)).requiresGrad_();
        assertThat(a.inner(Tensor.tensor(List.of(3., 4.))).toString()).isEqualTo("tensor(11., grad_fn=<ReshapeAliasBackward0>)");
        Tensor A = Tensor.arange(6.0).view(2, 3).requiresGrad_();
        Tensor r = A.inner(Tensor.arange(12.0).view(4, 3));
        assertThat(r.toString()).isEqualTo("tensor([[  5.,  14.,  23.,  32.],\n        [ 14.,  50.,  86., 122.]], grad_fn=<ReshapeAliasBackward0>)");
        assertThat(r.gradFn().nextFunctions().get(0).node().name()).isEqualTo("MmBackward0");
        r.sum().backward();
        assertThat(A.grad().toString()).isEqualTo("tensor([[18., 22., 26.],\n        [18., 22., 26.]])");
        assertThat(A.inner(Tensor.tensor(List.of(1., 0., 1.))).toString()).isEqualTo("tensor([2., 8.], grad_fn=<ReshapeAliasBackward0>)");
        assertThat(Tensor.scalar(2).inner(A).toString()).isEqualTo("tensor([[ 0.,  2.,  4.],\n        [ 6.,  8., 10.]], grad_fn=<MulBackward0>)");
        assertThat(Tensor.arange(24.0).view(2, 3, 4).inner(Tensor.ones(5, 4)).shape()).containsExactly(2, 3, 5);
        assertThatThrownBy(() -> A.inner(Tensor.ones(2))).hasMessage("inner() the last dimension must match on both input tensors but got shapes [2, 3] and [2]");
    }
}
