package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.ProductKernel;
import dev.ember.tensor.spi.ReduceOp;

import java.util.Arrays;

/**
 * Matrix products: {@code matmul} with PyTorch's rules, and mm, bmm, mv, dot, outer, addmm. Each runs the
 * backend's batched GEMM primitive and records PyTorch's grad_fn ({@code MmBackward0}, ...), with backward
 * rules written as products again so that double backward works. {@code matmul} follows ATen 1.13's
 * {@code _matmul_impl} step by step (including folding a batch into one tall mm and the transposed fold for
 * 2-D @ batched), so its graphs, grad_fn names and error texts are PyTorch's.
 */
final class Linalg {
    private Linalg() {}

    // ------------------------------------------------------------ matmul

    static Tensor matmul(Tensor a, Tensor b) {
        int d1 = a.dim(), d2 = b.dim();
        if (d1 == 0 || d2 == 0)
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are " + d1 + "D and " + d2 + "D");
        if (d1 == 1 && d2 == 1) return dot(a, b);
        if (d1 == 2 && d2 == 1) return mv(a, b);
        if (d1 == 1 && d2 == 2) return squeezeFirst(mm(a.unsqueeze(0), b));
        if (d1 == 2 && d2 == 2) return mm(a, b);
        if (shouldFold(a, d2) || shouldFold(b, d1)) return folded(a, b);
        return batched(a, b);
    }

    /**
     * ATen's {@code should_fold}: a batched operand times a vector or matrix becomes one tall product, unless
     * its last two dims are transposed over a slowest batch dim (then bmm reads it without a copy).
     */
    private static boolean shouldFold(Tensor t1, int dim2) {
        int d1 = t1.dim();
        if (d1 < 3 || (dim2 != 1 && dim2 != 2)) return false;
        return !(d1 == 3 && dim2 == 2 && t1.stride(-1) != 1 && t1.stride(0) == t1.size(1) * t1.size(2));
    }

    /** [b..., n, k] @ [k(, p)] as one [b*n, k] product; 2-D @ batched goes through the transposes. */
    private static Tensor folded(Tensor a, Tensor b) {
        int d1 = a.dim(), d2 = b.dim();
        boolean transpose = d2 > d1;
        Tensor t1 = transpose ? b.transpose(-2, -1) : a;
        Tensor t2 = !transpose ? b : d1 == 2 ? a.t() : a;
        int[] s1 = t1.layout().shape();
        int[] outShape = Arrays.copyOf(s1, s1.length - 1);
        boolean t2Matrix = t2.dim() == 2;
        if (t2Matrix) outShape = append(outShape, t2.size(1));
        Tensor t1Folded = foldedOperand(t1);
        if (!t2Matrix) return unsafeView(t1Folded.mv(t2), outShape);
        Tensor out = unsafeView(t1Folded.mm(t2), outShape);
        return transpose ? out.transpose(-2, -1).contiguous() : out;
    }

    /** Broadcast the batch dims, flatten them, one bmm, and view the result back. */
    private static Tensor batched(Tensor a, Tensor b) {
        Tensor[] operands = batchOperands(a, b);
        return unsafeView(operands[0].bmm(operands[1]), batchedShape(a, b));
    }

    /** The operands of the batched path: each expanded to the broadcast batch dims, flattened to [count, rows, cols]. */
    private static Tensor[] batchOperands(Tensor a, Tensor b) {
        int d1 = a.dim(), d2 = b.dim();
        int[] sa = a.layout().shape(), sb = b.layout().shape();
        int n = d1 > 1 ? sa[d1 - 2] : 1, m1 = sa[d1 - 1];
        int m2 = d2 > 1 ? sb[d2 - 2] : sb[0], p = d2 > 1 ? sb[d2 - 1] : 1;
        int[] batch = batchShape(a, b);
        int count = Shape.numel(batch);
        return new Tensor[] {a.expand(append(batch, n, m1)).reshape(count, n, m1), b.expand(append(batch, m2, p)).reshape(count, m2, p)};
    }

    private static int[] batchShape(Tensor a, Tensor b) {
        int[] sa = a.layout().shape(), sb = b.layout().shape();
        return Shape.broadcast(Arrays.copyOf(sa, Math.max(a.dim() - 2, 0)), Arrays.copyOf(sb, Math.max(b.dim() - 2, 0)));
    }

    private static int[] batchedShape(Tensor a, Tensor b) {
        int[] outShape = batchShape(a, b);
        if (a.dim() > 1) outShape = append(outShape, a.size(-2));
        if (b.dim() > 1) outShape = append(outShape, b.size(-1));
        return outShape;
    }

    /**
     * {@code matmul(a, b, out=out)}: not differentiable. As ATen 1.13's {@code _matmul_impl}: dot, and the folded and
     * batched paths, resize out before their kernel checks its dtype; mv and mm check first; a vector times a matrix
     * runs mm into out as a {@code [1, p]} matrix and then {@code squeeze_(0)}s it (two writes to its version).
     */
    static Tensor matmulOut(Tensor a, Tensor b, Tensor out) {
        String op = underlyingOp(a, b);
        if (GradMode.isEnabled() && (a.requiresGrad() || b.requiresGrad() || out.requiresGrad()))
            throw new IllegalStateException(op + "(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.");
        Tensor r;
        try (var g = GradMode.noGrad()) {
            r = matmul(a, b);
        } catch (UnsupportedOperationException noKernel) {
            // the shapes passed; ATen's out= meta then checks out's dtype before the kernel's dispatch finds none
            DType want = a.dim() == 1 && b.dim() > 2 ? b.dtype() : a.dtype();
            if (out.dtype() != want && op.equals("dot")) {
                Resize.resizeOutput(out, new int[0]);
                throw new IllegalArgumentException("result dtype " + TypePromotion.typeName(out.dtype()) + " does not match input dtype " + TypePromotion.typeName(want));
            }
            if (out.dtype() != want) {
                if (a.dim() > 2 || b.dim() > 2) Resize.resizeOutput(out, batchedShape(a, b)); // folded and batched paths resize first
                throw new IllegalArgumentException("Expected out tensor to have dtype " + TypePromotion.cppTypeName(want) + ", but got " + TypePromotion.cppTypeName(out.dtype()) + " instead");
            }
            throw noKernel;
        }
        int d1 = a.dim(), d2 = b.dim(); // out may be an operand, whose shape the resize below changes
        boolean vecMat = d1 == 1 && d2 == 2;
        int[] shape = vecMat ? new int[] {1, b.size(1)} : r.layout().shape();
        boolean resizesFirst = op.equals("dot") || d1 > 2 || d2 > 2;
        // The batched path and the folds into mm/mv (of a batched left operand, or of a batched right one times a
        // vector) run bmm_out/mm_out/mv_out into a reshape of out, on operand views taken before out is resized: an
        // operand that is out keeps its old shape there, or is out, with its new one. (2-D @ batched computes apart.)
        boolean replays = AliasedProducts.replays(out, a, b) && !out.dtype().isReducedFloat() && out.dtype() != DType.BOOL;
        boolean batchedPath = op.equals("bmm");
        Tensor lhs = vecMat ? a.unsqueeze(0) : a; // mm_out(out, a.unsqueeze(0), b): the view is taken before out is resized
        Tensor[] operands = !replays ? null
                : batchedPath ? batchOperands(a, b)
                : d1 > 2 ? new Tensor[] {foldedOperand(a), b}
                : d1 == 1 && d2 > 2 ? new Tensor[] {foldedOperand(b.transpose(-2, -1)), a}
                : null;
        if (resizesFirst) Resize.resizeOutput(out, shape);
        if (out.dtype() != r.dtype()) {
            if (op.equals("dot"))
                throw new IllegalArgumentException("result dtype " + TypePromotion.typeName(out.dtype()) + " does not match input dtype " + TypePromotion.typeName(r.dtype()));
            throw new IllegalArgumentException("Expected out tensor to have dtype " + TypePromotion.cppTypeName(r.dtype()) + ", but got " + TypePromotion.cppTypeName(out.dtype()) + " instead");
        }
        // dot resizes an out that is an operand to 0-dim before it looks at the operands, which then fail its check
        if (op.equals("dot") && (out == a || out == b)) dot(a, b);
        if (!resizesFirst) Resize.resizeOutput(out, shape);
        // an out of the right shape is kept, and may be expanded: mm refuses that, and so does bmm where it splits
        // into one mm per batch, but with nothing to contract ATen only fills out with zeros, which any out takes;
        // mv and bmm's own small-product loop write through it, the last write to a shared element winning
        if (a.size(-1) != 0 && (op.equals("mm") || batchedPath && !smallBatched(a, b))) MemoryOverlap.assertNoInternalOverlap(out);
        Autograd.checkInplace(out);
        if (operands != null) {
            productInto(out, operands[0], operands[1], batchedPath, d1 == 1 || d2 == 1);
        } else if (AliasedProducts.replays(out, a, b) && d1 <= 2 && d2 <= 2 && !out.dtype().isReducedFloat()) {
            if (d2 == 1) AliasedProducts.mv(out, a, b);
            else AliasedProducts.mm(out, lhs, b);
        } else {
            out.backend().copy(r.strided().expand(shape), out.strided());
        }
        out.bumpVersion();
        return vecMat ? out.squeeze_(0) : out;
    }

    /**
     * {@code bmm_out} (or the folded {@code mm_out}/{@code mv_out}) into {@code out.reshape(...)} and, when that reshape
     * had to copy, {@code out.copy_} of it. The product's own checks see the operands as they are now.
     */
    private static void productInto(Tensor out, Tensor a, Tensor b, boolean batched, boolean vector) {
        Tensor clean = batched ? bmm(a, b) : vector ? mv(a, b) : mm(a, b);
        Tensor target = out.reshape(clean.layout().shape());
        if (!AliasedProducts.replays(target, a, b)) target.copy_(clean);
        else if (!batched) {
            if (vector) AliasedProducts.mv(target, a, b);
            else AliasedProducts.mm(target, a, b);
        } else if (smallBatched(a, b)) {
            AliasedProducts.bmm(target, a, b);
        } else {
            for (int i = 0; i < a.size(0); i++) AliasedProducts.mm(target.select(0, i), a.select(0, i), b.select(0, i));
        }
        if (target.storage() != out.storage()) out.copy_(target.view(out.layout().shape()));
    }

    /** bmm's test for its own loop over small products (contraction x rows x cols under 400), else one mm per batch. */
    private static boolean smallBatched(Tensor a, Tensor b) { return (long) a.size(-1) * a.size(-2) * b.size(-1) < 400; }

    /** {@code t.reshape(-1, t.size(-1))}, with the rows counted (a last dim of 0 leaves -1 undecided). */
    private static Tensor foldedOperand(Tensor t) { return t.reshape(Shape.numel(Arrays.copyOf(t.layout().shape(), t.dim() - 1)), t.size(-1)); }

    /** The ATen op {@code matmul} dispatches to, which is the name PyTorch's out= errors carry. */
    private static String underlyingOp(Tensor a, Tensor b) {
        int d1 = a.dim(), d2 = b.dim();
        if (d1 == 1 && d2 == 1) return "dot";
        if (d1 == 2 && d2 == 1) return "mv";
        if (d1 <= 2 && d2 <= 2) return "mm";
        if (shouldFold(a, d2) || shouldFold(b, d1)) return Math.min(d1, d2) == 1 ? "mv" : "mm";
        return "bmm";
    }

    // ------------------------------------------------------------ mm, bmm, mv, dot, outer

    static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2) throw new IllegalArgumentException("self must be a matrix");
        if (b.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix");
        checkShapes(a, b);
        Tensor out = checkedProduct(a, b, new int[] {a.size(0), b.size(1)}, a.dtype(), "addmm_impl_cpu_", a, b, ProductKernel.GEMM);
        boolean aColumns = columnMajor(a), bColumns = columnMajor(b);
        return Autograd.record("MmBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> {
            // self is unpacked first, so that when both were modified in place the version error names self, as PyTorch's
            Tensor self = c.needs(1) ? c.saved(0) : null, mat2 = c.needs(0) ? c.saved(1) : null;
            return new Tensor[] {mat2 == null ? null : mat1Grad(c.grad(), mat2, aColumns), self == null ? null : mat2Grad(c.grad(), self, bColumns)};
        });
    }

    /**
     * A column-major matrix by ATen's test ({@code strides[0] == 1 && strides[1] == sizes[0]}), as {@code w.t()} in
     * linear is: mm_mat1_backward and mm_mat2_backward then compute its gradient transposed, so that it comes back
     * in the operand's own layout (and {@code w.t()}'s TBackward0 hands the weight a row-major gradient).
     */
    private static boolean columnMajor(Tensor m) { return m.strides()[0] == 1 && m.strides()[1] == m.size(0); }

    /** mm_mat1_backward: {@code grad @ mat2ᵀ}, or {@code (mat2 @ gradᵀ)ᵀ} for a column-major mat1. */
    private static Tensor mat1Grad(Tensor grad, Tensor mat2, boolean columnMajor) {
        return columnMajor ? mat2.mm(grad.t()).t() : grad.mm(mat2.t());
    }

    /** mm_mat2_backward: {@code mat1ᵀ @ grad}, or {@code (gradᵀ @ mat1)ᵀ} for a column-major mat2. */
    private static Tensor mat2Grad(Tensor grad, Tensor mat1, boolean columnMajor) {
        return columnMajor ? grad.t().mm(mat1).t() : mat1.t().mm(grad);
    }

    static Tensor bmm(Tensor a, Tensor b) {
        checkBatchShapes(a, b);
        int[] shape = {a.size(0), a.size(1), b.size(2)};
        // ATen runs small products in its own loop (dispatched on batch1) and larger ones batch by batch through
        // addmm's kernel (dispatched on the result, which takes batch2's dtype)
        boolean small = batchLoop(a, shape);
        Tensor out = small ? checkedProduct(a, b, shape, b.dtype(), "bmm", a, b, ProductKernel.BATCH_LOOP)
                : checkedProduct(a, b, shape, b.dtype(), "addmm_impl_cpu_", b, a, ProductKernel.GEMM);
        return Autograd.record("BmmBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> {
            Tensor self = c.needs(1) ? c.saved(0) : null, mat2 = c.needs(0) ? c.saved(1) : null; // self first, as mm's
            return new Tensor[] {mat2 == null ? null : c.grad().bmm(mat2.transpose(1, 2)), self == null ? null : self.transpose(1, 2).bmm(c.grad())};
        });
    }

    static Tensor mv(Tensor a, Tensor v) {
        if (a.dim() != 2 || v.dim() != 1)
            throw new IllegalArgumentException("vector + matrix @ vector expected, got 1, " + a.dim() + ", " + v.dim());
        if (a.size(1) != v.size(0))
            throw new IllegalArgumentException("size mismatch, got " + a.size(0) + ", " + a.size(0) + "x" + a.size(1) + "," + v.size(0));
        // ATen's mv allocates the result from the vector and runs addmv_ into it
        Tensor product = checkedProduct(a, new Tensor(v.storage(), columnLayout(v)), new int[] {a.size(0), 1}, v.dtype(), "addmv_impl_cpu", a, v, ProductKernel.GEMV);
        Tensor out = new Tensor(product.storage(), Layout.contiguous(a.size(0)));
        return Autograd.record("MvBackward0", out, new Tensor[] {a, v}, new Tensor[] {a, v}, c -> new Tensor[] {
                c.needs(0) ? c.grad().outer(c.saved(1)) : null,
                c.needs(1) ? c.saved(0).t().mv(c.grad()) : null});
    }

    /**
     * {@code torch.inner}: sums over the last dim of both, the result's shape is {@code a.shape[:-1] + b.shape[:-1]}.
     * Written as PyTorch's {@code tensordot(a, b, [[-1], [-1]])}: permute, reshape to matrices, mm, reshape back, so
     * the graph has its nodes (ReshapeAliasBackward0 over MmBackward0); a 0-dim operand multiplies.
     */
    static Tensor inner(Tensor a, Tensor b) {
        if (a.dim() == 0 || b.dim() == 0) return a.mul(b);
        int k = a.size(-1);
        if (b.size(-1) != k)
            throw new IllegalArgumentException("inner() the last dimension must match on both input tensors but got shapes "
                    + Shape.str(a.shape()) + " and " + Shape.str(b.shape()));
        // ATen's tensordot over the last dims, quirks included: a last dim of size 1 is summed out of self first,
        // which promotes an integer self to int64 before mm compares the dtypes
        return TensorProducts.tensordot(a, b, new int[] {-1}, new int[] {-1});
    }

    static Tensor dot(Tensor a, Tensor b) { return dot(a, b, "DotBackward0"); }

    /** dot, or vdot (the same for real tensors, but a node of its own). */
    static Tensor dot(Tensor a, Tensor b, String node) {
        if (a.dim() != 1 || b.dim() != 1)
            throw new IllegalArgumentException("1D tensors expected, but got " + a.dim() + "D and " + b.dim() + "D tensors");
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("dot : expected both vectors to have same dtype, but found " + TypePromotion.typeName(a.dtype())
                    + " and " + TypePromotion.typeName(b.dtype()));
        if (a.numel() != b.numel())
            throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.numel() + "] and src [" + b.numel()
                    + "] to have the same number of elements, but got " + a.numel() + " and " + b.numel() + " elements respectively");
        checkImplemented("dot", a);
        Kernels.checkSameDevice(a, b);
        Tensor out = Kernels.zeros(new int[0], a.dtype(), a.device());
        Layout row = a.layout(), col = b.layout();
        a.backend().matmul(new dev.ember.tensor.spi.Strided(a.storage(), new Layout(new int[] {1, row.shape()[0]}, new int[] {0, row.strides()[0]}, row.offset())),
                asColumn(b), new dev.ember.tensor.spi.Strided(out.storage(), new Layout(new int[] {1, 1}, new int[] {1, 1}, 0)), 0, 1, ProductKernel.GEMV);
        return Autograd.record(node, out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> new Tensor[] {
                c.needs(0) ? c.grad().mul(c.saved(1)) : null,
                c.needs(1) ? c.grad().mul(c.saved(0)) : null});
    }

    /** {@code outer(self, vec2)} is {@code self.reshape(-1, 1) * vec2} in ATen, so it promotes dtypes like mul. */
    static Tensor outer(Tensor a, Tensor b) {
        if (a.dim() != 1) throw new IllegalArgumentException("outer: Expected 1-D argument self, but got " + a.dim() + "-D");
        if (b.dim() != 1) throw new IllegalArgumentException("outer: Expected 1-D argument vec2, but got " + b.dim() + "-D");
        return a.reshape(-1, 1).mul(b);
    }

    // ------------------------------------------------------------ addmm

    /** {@code beta * input + alpha * (mat1 @ mat2)}; with beta 0 the input is ignored (NaN in it does not propagate). */
    static Tensor addmm(Tensor input, Tensor m1, Tensor m2, Scalar betaNumber, double alpha) {
        if (m1.dim() != 2) throw new IllegalArgumentException("mat1 must be a matrix, got " + m1.dim() + "-D tensor");
        if (m2.dim() != 2) throw new IllegalArgumentException("mat2 must be a matrix, got " + m2.dim() + "-D tensor");
        if (input.dtype() != m2.dtype()) throw new IllegalArgumentException("self and mat2 must have the same dtype");
        if (m1.dtype() != m2.dtype()) throw new IllegalArgumentException("mat1 and mat2 must have the same dtype");
        checkShapes(m1, m2);
        int[] shape = {m1.size(0), m2.size(1)};
        input.layout().expand(shape, input.dtype()); // PyTorch's error text when input does not broadcast to the result
        // ATen's addmm_impl_cpu_ returns early for an empty result, and for an empty contraction scales a copy of the
        // input in place (mul_(beta), with its cast check), so bool reaches no kernel then
        boolean empty = Shape.numel(shape) == 0, noContraction = m1.size(1) == 0;
        if (!empty && !noContraction) checkImplemented("addmm_impl_cpu_", m1);
        checkScaledInPlace(input, betaNumber, !empty && noContraction);
        Kernels.checkSameDevice(input, m1);
        Tensor out = addProduct(input, () -> noContraction ? Kernels.zeros(shape, m1.dtype(), m1.device()) : product(m1, m2, shape, ProductKernel.GEMM),
                noContraction ? null : (r, beta) -> scaledProduct(m1, m2, r, beta, alpha, ProductKernel.GEMM), shape, m1, m1.dtype(), betaNumber, alpha);
        boolean m1Columns = columnMajor(m1), m2Columns = columnMajor(m2);
        return Autograd.record("AddmmBackward0", out, new Tensor[] {input, m1, m2}, new Tensor[] {m1, m2}, c -> new Tensor[] {
                c.needs(0) ? scaled(c.grad(), betaNumber.toDouble()) : null,
                c.needs(1) ? scaled(mat1Grad(c.grad(), c.saved(1), m1Columns), alpha) : null,
                c.needs(2) ? scaled(mat2Grad(c.grad(), c.saved(0), m2Columns), alpha) : null});
    }

    /**
     * {@code beta * input + alpha * (batch1 @ batch2)}, batch by batch; input broadcasts to [B, N, P]. The result
     * takes batch2's dtype (ATen's meta) and input is cast into it, whatever its own dtype.
     */
    static Tensor baddbmm(Tensor input, Tensor b1, Tensor b2, Scalar beta, double alpha) {
        // ATen expands input to the result's shape before checking the batches' ranks, so that error comes first
        if (b1.dim() >= 2 && b2.dim() >= 3) input.layout().expand(new int[] {b1.size(0), b1.size(1), b2.size(2)}, input.dtype());
        checkBatchShapes(b1, b2);
        int[] shape = {b1.size(0), b1.size(1), b2.size(2)};
        // as for bmm, an empty result or contraction returns before the kernel, whose dispatch checks the dtypes
        if (Shape.numel(shape) > 0 && b1.size(2) > 0) {
            checkSameType(b1, b2);
            checkImplemented("baddbmm", b1);
        }
        checkScaledInPlace(b2, beta, b1.size(2) == 0 && Shape.numel(shape) > 0);
        ProductKernel kernel = batchLoop(b1, shape) ? ProductKernel.BATCH_LOOP : ProductKernel.GEMM;
        Tensor out = contiguous(addProduct(input, () -> product(b1, b2, shape, kernel),
                b1.size(2) == 0 ? null : (r, scale) -> scaledProduct(b1, b2, r, scale, alpha, kernel), shape, b1, b2.dtype(), beta, alpha));
        return Autograd.record("BaddbmmBackward0", out, new Tensor[] {input, b1, b2}, new Tensor[] {b1, b2}, c -> new Tensor[] {
                c.needs(0) ? scaled(c.grad(), beta.toDouble()) : null,
                c.needs(1) ? scaled(c.grad().bmm(c.saved(1).transpose(1, 2)), alpha) : null,
                c.needs(2) ? scaled(c.saved(0).transpose(1, 2).bmm(c.grad()), alpha) : null});
    }

    /**
     * {@code beta * input + alpha * sum_b(batch1[b] @ batch2[b])}: the batches' products summed into one matrix of
     * input's dtype (ATen allocates the result like input).
     */
    static Tensor addbmm(Tensor input, Tensor b1, Tensor b2, Scalar beta, double alpha) {
        checkBatchShapes(b1, b2);
        int[] shape = {b1.size(1), b2.size(2)};
        input.layout().expand(shape, input.dtype());
        int batches = b1.size(0);
        // ATen runs addmm_ batch by batch into a result of input's dtype: its checks word the dtype errors, and
        // without batches nothing is checked but input * beta
        if (batches > 0) {
            if (input.dtype() != b2.dtype()) throw new IllegalArgumentException("self and mat2 must have the same dtype");
            if (b1.dtype() != b2.dtype()) throw new IllegalArgumentException("mat1 and mat2 must have the same dtype");
            // addmm_impl_cpu_ returns before its dtype dispatch for an empty result or contraction
            if (b1.size(2) > 0 && Shape.numel(shape) > 0) checkImplemented("addmm_impl_cpu_", b1);
        }
        checkScaledInPlace(input, beta, batches == 0 || (b1.size(2) == 0 && Shape.numel(shape) > 0));
        // the summed product is reshaped as a fresh result (a tracked view of it would make the output a view of a leaf)
        Tensor out = contiguous(addProduct(input, () -> unsafeView(Kernels.reduce(ReduceOp.SUM, product(b1, b2, new int[] {batches, shape[0], shape[1]}, ProductKernel.GEMM),
                new int[] {0}, b1.dtype()), shape), batches == 0 || b1.size(2) == 0 ? null : (r, scale) -> {
                    // ATen runs addmm_ batch by batch into the result, beta only on the first
                    for (int i = 0; i < batches; i++)
                        scaledProduct(new Tensor(b1.storage(), b1.layout().select(0, i)), new Tensor(b2.storage(), b2.layout().select(0, i)), r, i == 0 ? scale : 1,
                                alpha, ProductKernel.GEMM);
                }, shape, b1, input.dtype(), beta, alpha));
        return Autograd.record("AddbmmBackward0", out, new Tensor[] {input, b1, b2}, new Tensor[] {b1, b2}, c -> {
            Tensor g = c.grad().expand(batches, shape[0], shape[1]);
            return new Tensor[] {
                    c.needs(0) ? scaled(c.grad(), beta.toDouble()) : null,
                    c.needs(1) ? scaled(g.bmm(c.saved(1).transpose(1, 2)), alpha) : null,
                    c.needs(2) ? scaled(c.saved(0).transpose(1, 2).bmm(g), alpha) : null};
        });
    }

    /** {@code beta * input + alpha * (mat @ vec)}, in vec's dtype (ATen's meta), input cast into it. */
    static Tensor addmv(Tensor input, Tensor mat, Tensor vec, Scalar betaNumber, double alpha) {
        if (mat.dim() != 2 || vec.dim() != 1 || input.dim() > 1)
            throw new IllegalArgumentException("vector + matrix @ vector expected, got " + input.dim() + ", " + mat.dim() + ", " + vec.dim());
        if (mat.size(1) != vec.size(0) || (input.dim() == 1 && input.size(0) != mat.size(0) && input.size(0) != 1))
            throw new IllegalArgumentException("size mismatch, got " + (input.dim() == 1 ? input.size(0) : 1) + ", " + mat.size(0) + "x" + mat.size(1) + "," + vec.size(0));
        int[] shape = {mat.size(0)};
        double beta = betaNumber.toDouble();
        DType t = vec.dtype();
        // ATen's shortcut for an empty matrix checks no dtypes but the cast: zeros when beta is 0, else
        // mul_out(result, input, beta), computed in input's dtype and taking input's own shape, not the product's
        if (mat.numel() == 0) {
            Kernels.checkSameDevice(input, mat);
            if (beta != 0) InPlace.checkCastable(input.dtype(), t);
        } else {
            checkSameType(mat, vec);
            checkImplemented("addmv_impl_cpu", mat);
        }
        Tensor out = mat.numel() == 0 ? (beta == 0 ? Kernels.zeros(shape, t, input.device())
                : Kernels.binary(BinaryOp.MUL, input, scalar(input, beta), t)) : contiguous(addProduct(input, () -> {
            Tensor r = Kernels.zeros(shape, mat.dtype(), mat.device());
            mat.backend().matmul(mat.strided(), asColumn(vec), asColumn(r), 0, 1, ProductKernel.GEMV);
            return r;
        }, (r, scale) -> mat.backend().matmul(mat.strided(), asColumn(vec), asColumn(r), scale, alpha, ProductKernel.GEMV), shape, mat, t, betaNumber, alpha));
        return Autograd.record("AddmvBackward0", out, new Tensor[] {input, mat, vec}, new Tensor[] {mat, vec}, c -> new Tensor[] {
                c.needs(0) ? scaled(c.grad(), betaNumber.toDouble()) : null,
                c.needs(1) ? scaled(c.grad().outer(c.saved(1)), alpha) : null,
                c.needs(2) ? scaled(c.saved(0).t().mv(c.grad()), alpha) : null});
    }

    /**
     * {@code beta * input + alpha * product} with BLAS's conventions: alpha 0 skips the product (NaN or inf in the
     * factors then leave no trace) and beta 0 ignores the input (NaN in it does not propagate). A bfloat16 result is
     * made as ATen makes it, the input copied in and the product summed into it by {@code scaled} (when there is one),
     * since its kernels round the running sum.
     */
    private static Tensor addProduct(Tensor input, java.util.function.Supplier<Tensor> product, ScaledProduct scaled, int[] shape, Tensor factor,
                                     DType t, Scalar betaNumber, double alpha) {
        Kernels.checkSameDevice(input, factor);
        double beta = betaNumber.toDouble();
        if (t == DType.BFLOAT16 && factor.dtype() == t && scaled != null && alpha != 0 && Shape.numel(shape) > 0) {
            Tensor out = beta == 0 ? Kernels.empty(shape, t, factor.device())
                    : Kernels.cast(Kernels.copy(new Tensor(input.storage(), input.layout().expand(shape, input.dtype()))), t);
            scaled.into(out, beta);
            return out;
        }
        // ATen allocates the result row-major before it computes, whatever the input's layout
        Tensor out = alpha == 0 ? Kernels.zeros(shape, t, factor.device()) : Kernels.cast(product.get(), t);
        if (alpha != 1 && alpha != 0) out = Kernels.binary(BinaryOp.MUL, out, scalar(out, alpha), t, Layout.contiguous(shape));
        if (beta != 0) {
            // ATen copies input into the result first, so it is rounded to the result's dtype before beta scales it
            Tensor in = Kernels.cast(input, t);
            out = Kernels.binary(BinaryOp.ADD, beta == 1 ? in : Kernels.binary(BinaryOp.MUL, in, scalar(in, beta), t), out, t, Layout.contiguous(shape));
        }
        return out;
    }

    /** A product summed into {@code dst} by the backend, {@code dst = beta * dst + alpha * product}. */
    private interface ScaledProduct {
        void into(Tensor dst, double beta);
    }

    private static void scaledProduct(Tensor a, Tensor b, Tensor dst, double beta, double alpha, ProductKernel kernel) {
        a.backend().matmul(a.strided(), b.strided(), dst.strided(), beta, alpha, kernel);
    }

    /** Whether ATen's bmm and baddbmm run their own loop ({@link ProductKernel#BATCH_LOOP}): under 400 multiply-adds. */
    private static boolean batchLoop(Tensor batch1, int[] shape) { return (long) batch1.size(2) * shape[1] * shape[2] < 400; }

    /** baddbmm, addbmm and addmv allocate their result row-major, whatever the input's layout. */
    private static Tensor contiguous(Tensor out) {
        int[] shape = out.layout().shape();
        return java.util.Arrays.equals(out.layout().strides(), Layout.contiguous(shape).strides()) ? out : Kernels.copy(out);
    }

    /**
     * ATen skips a product with an empty inner dim and scales the result by beta in place instead (mul_), whose cast
     * check refuses a beta the result's dtype cannot hold (a fraction for an integer result, any number for bool);
     * the product path truncates beta to the integer type instead. {@code like} has the result's dtype.
     */
    private static void checkScaledInPlace(Tensor like, Scalar beta, boolean scaledInPlace) {
        if (!scaledInPlace || beta.toDouble() == 0) return;
        Object number = beta.isFloating() ? (Object) beta.doubleValue() : (Object) beta.longValue();
        InPlace.checkCastable(TypePromotion.resultTypeWithScalar(like, number), like.dtype());
    }

    private static void checkBatchShapes(Tensor a, Tensor b) {
        if (a.dim() != 3) throw new IllegalArgumentException("batch1 must be a 3D tensor");
        if (b.dim() != 3) throw new IllegalArgumentException("batch2 must be a 3D tensor");
        if (b.size(0) != a.size(0) || b.size(1) != a.size(2))
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: [" + a.size(0) + ", " + a.size(2)
                    + "] but got: [" + b.size(0) + ", " + b.size(1) + "].");
    }

    /** Integer tensors take alpha and beta truncated to integers, as ATen's scalar conversion does. */
    private static Tensor scalar(Tensor like, double v) {
        return like.dtype().isFloatingPoint() ? Pointwise.wrapScalar(like, v) : Pointwise.wrapScalar(like, (long) v);
    }

    private static Tensor scaled(Tensor t, double factor) { return factor == 1 ? t : t.mul(factor); }

    // ------------------------------------------------------------ helpers

    /**
     * mm, mv and bmm as ATen 1.13 runs them on the CPU: an empty result, or an empty contraction (zeros), never
     * reaches the kernel, so only then are dtypes looked at. The kernel is chosen by {@code dispatched}'s dtype
     * (bool has none) and reads {@code other} as that type, so {@code mm} of an empty float32 and a float64
     * matrix runs while a non-empty one fails; the result takes the dtype of the operand ATen allocates it from.
     */
    private static Tensor checkedProduct(Tensor a, Tensor b, int[] outShape, DType outType, String kernel, Tensor dispatched, Tensor other,
                                         ProductKernel product) {
        if (Shape.numel(outShape) == 0 || a.size(-1) == 0) {
            // an integer result of a recorded product: PyTorch 1.13 attaches the node anyway and trips its own assert
            if (!outType.isFloatingPoint() && Autograd.isRecording(a, b))
                throw new IllegalStateException("isDifferentiableType(variable.scalar_type()) INTERNAL ASSERT FAILED at \"./torch/csrc/autograd/functions/utils.h\":75, "
                        + "please report a bug to PyTorch. ");
            return Kernels.zeros(outShape, outType, a.device());
        }
        checkImplemented(kernel, dispatched);
        checkSameType(dispatched, other);
        return product(a, b, outShape, product);
    }

    /**
     * The backend product of [..., M, K] and [..., K, N] with equal batch dims into a new tensor. The backend writes
     * every element (an empty contraction as zeros), so reused memory needs no zeroing first.
     */
    private static Tensor product(Tensor a, Tensor b, int[] outShape, ProductKernel kernel) {
        Kernels.checkSameDevice(a, b);
        Tensor out = Kernels.empty(outShape, a.dtype(), a.device());
        scaledProduct(a, b, out, 0, 1, kernel);
        return out;
    }

    private static dev.ember.tensor.spi.Strided asColumn(Tensor v) { return new dev.ember.tensor.spi.Strided(v.storage(), columnLayout(v)); }

    /** A vector [K] seen as a [K, 1] matrix. */
    private static Layout columnLayout(Tensor v) {
        Layout l = v.layout();
        return new Layout(new int[] {l.shape()[0], 1}, new int[] {l.strides()[0], 1}, l.offset());
    }

    /** ATen's {@code _unsafe_view}: a reshape of a fresh result that autograd does not treat as a view. */
    static Tensor unsafeView(Tensor t, int[] shape) { return unsafeView(t, shape, false); }

    /**
     * {@code _unsafe_view} of an op's input: PyTorch's result shares the input's memory but has a version counter of
     * its own, so a later in-place write to the input does not trip a node that saved the result, which then reads
     * the new values.
     */
    static Tensor unsafeViewOfInput(Tensor t, int[] shape) { return unsafeView(t, shape, true); }

    /** {@code t}'s _unsafe_view; an input's keeps a version counter of its own. */
    private static Tensor unsafeView(Tensor t, int[] shape, boolean ofInput) {
        int[] in = t.layout().shape();
        Layout l = t.layout().view(shape);
        if (l == null) throw Movement.notViewable();
        Tensor v = ofInput ? Tensor.unsafeAlias(t, l) : new Tensor(t.storage(), l);
        return Autograd.record("UnsafeViewBackward0", v, t, c -> new Tensor[] {c.grad().reshape(in)});
    }

    /** The in-place {@code squeeze_(0)} ATen applies to a fresh 1 x N result (grad_fn {@code SqueezeBackward3}). */
    private static Tensor squeezeFirst(Tensor t) {
        boolean[] drop = new boolean[t.dim()];
        drop[0] = true;
        t.bumpVersion(); // an in-place op: a tensor saved from the result is at version 1, as in PyTorch
        return Autograd.record("SqueezeBackward3", new Tensor(t.storage(), t.layout().squeeze(drop)), t, c -> new Tensor[] {c.grad().unsqueeze(0)});
    }

    private static void checkShapes(Tensor m1, Tensor m2) {
        if (m1.size(1) != m2.size(0))
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m1.size(0) + "x" + m1.size(1) + " and "
                    + m2.size(0) + "x" + m2.size(1) + ")");
    }

    private static void checkSameType(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("expected scalar type " + TypePromotion.typeName(a.dtype()) + " but found " + TypePromotion.typeName(b.dtype()));
    }

    /** bool and (in 1.13) float16 have no CPU matmul kernel in PyTorch; the message names the kernel, as ATen's dispatch macro does. */
    private static void checkImplemented(String kernel, Tensor t) {
        if (t.dtype() == DType.BOOL || t.dtype() == DType.FLOAT16)
            throw new UnsupportedOperationException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
    }

    private static int[] append(int[] s, int... more) {
        int[] out = Arrays.copyOf(s, s.length + more.length);
        System.arraycopy(more, 0, out, s.length, more.length);
        return out;
    }
}
