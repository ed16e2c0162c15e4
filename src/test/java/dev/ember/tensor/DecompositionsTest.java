package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.testing.OpCases;
import dev.ember.testing.OpCases.Op;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static dev.ember.testing.OpCases.checkingLayout;
import static java.util.Map.entry;

/**
 * linalg.cholesky/cholesky, cholesky_solve, cholesky_inverse, linalg.solve_triangular, triangular_solve and
 * linalg.qr/qr against PyTorch fixtures (tools/fixtures/fx_decompositions.py): values, gradients (float64 cases also
 * by finite differences, the "_double" ops' recorded gradients being second derivatives), errors, the first result's
 * strides and grad_fn names. The ops compose their inputs exactly as the fixture module's lambdas do.
 */
class DecompositionsTest {

    @TestFactory
    Stream<DynamicTest> decompositions() {
        Map<String, Op> ops = Map.<String, Op>ofEntries(
                entry("linalg_cholesky_spd", checkingLayout((x, k) -> spd(x[0]).linalgCholesky(k.b("upper")))),
                entry("linalg_cholesky", checkingLayout((x, k) -> x[0].linalgCholesky(k.b("upper")))),
                entry("cholesky", checkingLayout((x, k) -> x[0].cholesky(k.b("upper")))),
                entry("cholesky_double", checkingLayout((x, k) -> grads(spd(x[0]).linalgCholesky().pow(2).sum(), x[0]).getFirst())),
                entry("cholesky_solve", checkingLayout((x, k) -> Tensor.choleskySolve(x[0], tri(x[1], k.b("upper")), k.b("upper")))),
                entry("cholesky_solve_checks", (x, k) -> Tensor.choleskySolve(x[0], x[1], k.b("upper"))),
                entry("cholesky_inverse_checks", (x, k) -> x[0].choleskyInverse(k.b("upper"))),
                entry("cholesky_inverse", checkingLayout((x, k) -> tri(x[0], k.b("upper")).choleskyInverse(k.b("upper")))),
                entry("solve_triangular", checkingLayout((x, k) -> Tensor.solveTriangular(x[0], x[1], k.b("upper"), k.b("left"), k.b("unitriangular")))),
                entry("solve_triangular_double", checkingLayout((x, k) -> grads(Tensor.solveTriangular(x[0], x[1], true, true, false).pow(2).sum(), x))),
                entry("triangular_solve", checkingLayout((x, k) -> {
                    Tensor.TriangularSolution s = Tensor.triangularSolve(x[0], x[1], k.b("upper"), k.b("transpose"), k.b("unitriangular"));
                    return List.of(s.solution(), s.clonedCoefficient());
                })),
                entry("triangular_solve_copy", checkingLayout((x, k) -> Tensor.triangularSolve(x[0], x[1], true, false, false).clonedCoefficient().mul(2.0))),
                entry("qr", checkingLayout((x, k) -> qr(x[0].qr(k.s("mode"))))),
                entry("torch_qr", checkingLayout((x, k) -> qr(x[0].qr(k.b("some"))))),
                entry("qr_grad", (x, k) -> {
                    Tensor.QR f = x[0].qr(k.s("mode"));
                    Tensor total = f.r().sum();
                    if (f.q().numel() > 0) total = f.q().sum().add(total);
                    return grads(total, x[0]);
                }),
                entry("qr_double", checkingLayout((x, k) -> {
                    Tensor.QR f = x[0].qr();
                    return grads(f.q().pow(2).sum().add(f.r().pow(2).sum()), x[0]).getFirst();
                })));
        Map<String, Op> more = Map.<String, Op>ofEntries(
                entry("cholesky_solve_double", (x, k) -> grads(Tensor.choleskySolve(x[0], x[1].tril(), false).pow(2).sum(), x)),
                entry("cholesky_inverse_double", (x, k) -> grads(x[0].triu().choleskyInverse(true).pow(2).sum(), x[0]).getFirst()),
                entry("triangular_solve_double", (x, k) -> grads(Tensor.triangularSolve(x[0], x[1], false, true, false).solution().pow(2).sum(), x)),
                entry("qr_r_first", checkingLayout((x, k) -> {
                    Tensor.QR f = x[0].qr(k.s("mode"));
                    return List.of(f.r(), f.q());
                })),
                entry("triangular_solve_coefficient", checkingLayout((x, k) -> Tensor.triangularSolve(x[0], x[1], true, k.b("transpose"), false).clonedCoefficient())),
                entry("saved_cholesky_solve", writtenAfter((b, u) -> Tensor.choleskySolve(b, u.tril(), false))),
                entry("saved_triangular_solve", writtenAfter((b, a) -> Tensor.triangularSolve(b, a, false, false, false).solution())),
                entry("saved_solve_triangular", writtenAfter((a, b) -> Tensor.solveTriangular(a, b, false, true, false))));
        Map<String, Op> all = new java.util.HashMap<>(ops);
        all.putAll(more);
        return OpCases.run("decompositions", all);
    }

    /** The fixture module's written_after: op's gradients after the copy of its first input it saved was written in place. */
    private static Op writtenAfter(java.util.function.BinaryOperator<Tensor> op) {
        return (x, k) -> {
            Tensor t = x[0].mul(1.0);
            Tensor out = op.apply(t, x[1]);
            t.add_(1.0);
            return grads(out.sum(), x[0], x[1]);
        };
    }

    /** X Xᵀ + n I, the fixture module's spd. */
    private static Tensor spd(Tensor x) {
        int n = x.size(-1);
        return x.matmul(x.mT()).add(Tensor.eye(n, n, x.dtype()).mul((double) n));
    }

    private static Tensor tri(Tensor u, boolean upper) { return upper ? u.triu() : u.tril(); }

    private static List<Tensor> qr(Tensor.QR f) { return List.of(f.q(), f.r()); }

    /** torch.autograd.grad(out, inputs, create_graph=True). */
    private static List<Tensor> grads(Tensor out, Tensor... inputs) {
        return Arrays.asList(Autograd.grad(new Tensor[] {out}, inputs, null, true, true));
    }
}
