package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;
import java.util.List;

/**
 * {@code torch.linalg.qr} (and {@code torch.qr}) by Householder reflections in LAPACK's geqrf/orgqr conventions, so
 * Q and R carry LAPACK's signs; batched, results column-major. The backward is 1.13's linalg_qr_backward, written
 * with solve_triangular so double backward works; it needs Q, so mode "r" has none, and neither has a complete
 * factorisation of a tall matrix, whose extra columns of Q are arbitrary.
 */
final class Qr {
    private Qr() {}

    static Tensor.QR qr(Tensor a, String mode) {
        String fn = "linalg.qr";
        if (a.dim() < 2) throw new IllegalArgumentException(fn + ": The input tensor A must have at least 2 dimensions.");
        LinearAlgebra.checkFloatingOrComplex(a, fn);
        if (!mode.equals("reduced") && !mode.equals("complete") && !mode.equals("r"))
            throw new IllegalArgumentException("qr received unrecognized mode '" + mode + "' but expected one of 'reduced' (default), 'r', or 'complete'");
        TriangularSolves.notImplementedForIntegers(a.dtype(), "geqrf_cpu");
        int m = a.size(-2), n = a.size(-1), k = Math.min(m, n);
        int[] batch = Arrays.copyOf(a.layout().shape(), a.dim() - 2);
        boolean complete = mode.equals("complete");
        Tensor q, r;
        try (var g = GradMode.noGrad()) {
            Tensor factors = Kernels.copy(a.detach());
            Tensor tau = Kernels.empty(LinearAlgebra.append(batch, k), a.dtype(), a.device());
            a.backend().householderQr(factors.strided(), tau.strided());
            r = TriangularSolves.columnMajor((complete ? factors : factors.narrow(-2, 0, k)).triu());
            if (mode.equals("r")) {
                q = Kernels.empty(new int[] {0}, a.dtype(), a.device());
            } else {
                Tensor product = Kernels.empty(LinearAlgebra.append(batch, m, complete ? m : k), a.dtype(), a.device());
                a.backend().householderProduct(factors.strided(), tau.strided(), product.strided());
                q = TriangularSolves.columnMajor(product);
            }
        }
        Tensor[] outs = Autograd.recordMulti("LinalgQrBackward0", new Tensor[] {q, r}, new Tensor[] {a}, new Tensor[] {q, r}, c -> {
            if (mode.equals("r"))
                throw new IllegalStateException("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. "
                        + "Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
            if (complete && m > n) throw new IllegalStateException("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
            return new Tensor[] {backward(c.hasGrad(0) ? c.grad(0) : null, c.hasGrad(1) ? c.grad(1) : null, c.saved(0), c.saved(1))};
        });
        return new Tensor.QR(outs[0], outs[1]);
    }

    /**
     * With M = gR Rᴴ - Qᴴ gQ: for m ≥ n, gA = (gQ + Q sym(triu M)) R⁻ᴴ, sym(X) = X + Xᴴ with the diagonal halved; for
     * m < n, gA = [Q tril(Mᴴ - M) R₁⁻ᴴ | 0] + Q gR, R₁ being R's first m columns (arXiv 2009.10071, §4). Gradients
     * that did not arrive are left out rather than read as zeros.
     */
    private static Tensor backward(Tensor gq, Tensor gr, Tensor q, Tensor r) {
        int m = q.size(-2), n = r.size(-1);
        Tensor ga = gr != null ? gr.matmul(r.mT()) : null;
        if (gq != null) {
            Tensor qgq = q.mT().matmul(gq);
            ga = ga == null ? qgq.neg() : ga.sub(qgq);
        }
        if (m >= n) {
            Tensor upper = ga.triu();
            ga = q.matmul(upper.add(upper.triu(1).mT()));
            if (gq != null) ga = ga.add(gq);
            return Tensor.solveTriangular(r.mT(), ga, false, false, false);
        }
        Tensor x = ga.neg();
        ga = q.matmul(x.sub(x.mT()).tril());
        ga = Tensor.solveTriangular(r.narrow(-1, 0, m).mT(), ga, false, false, false);
        int[] rest = r.layout().shape().clone();
        rest[rest.length - 1] = n - m;
        ga = Tensor.cat(List.of(ga, Tensor.zeros(rest, ga.dtype()).to(ga.device())), -1);
        return gr != null ? ga.add(q.matmul(gr)) : ga;
    }
}
