package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.Tensor.ValuesIndices;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.ReduceOp;
import dev.ember.tensor.spi.UnaryOp;

import java.util.List;

/**
 * Reductions ({@code sum}, {@code mean}, {@code prod}, {@code max}, {@code amax}, {@code argmax},
 * {@code all}, ...) with backward rules. Dims are normalised with {@link #reduceDims}: null means every
 * dim, as in PyTorch. Variance, norms, softmax and scans live in {@link Statistics}, {@link Norms},
 * {@link Softmax} and {@link Scans}.
 */
final class Reductions {
    private Reductions() {}

    /** Sorted distinct wrapped dims; null (or empty, PyTorch's legacy spelling) means all dims. */
    static int[] reduceDims(int[] dims, int ndim) {
        if (dims == null || dims.length == 0) {
            int[] all = new int[ndim];
            for (int i = 0; i < ndim; i++) all[i] = i;
            return all;
        }
        boolean[] seen = new boolean[Math.max(ndim, 1)];
        int[] out = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.wrapDim(dims[i], ndim);
            if (seen[d]) throw new IllegalArgumentException("dim " + d + " appears multiple times in the list of dims");
            seen[d] = true;
            out[i] = d;
        }
        java.util.Arrays.sort(out);
        if (ndim == 0) return new int[0];
        return out;
    }

    /** Drops the reduced (size-1) dims unless keepdim. */
    static Tensor squeezeReduced(Tensor r, int[] dims, boolean keepdim) {
        if (keepdim || dims.length == 0) return r;
        boolean[] drop = new boolean[r.dim()];
        for (int d : dims) drop[d] = true;
        return Tensor.viewOf(r, r.layout().squeeze(drop)).detach();
    }

    /** A reduced gradient with its reduced dims back as size 1 (PyTorch's restore_reduced_dims). */
    static Tensor unsqueezeReduced(Tensor g, int[] dims, boolean keepdim) {
        if (!keepdim) for (int d : dims) g = g.unsqueeze(d);
        return g;
    }

    /** Brings a reduced gradient back to the input's shape: re-insert the dims, then expand. */
    static Tensor expandBack(Tensor g, int[] inShape, int[] dims, boolean keepdim) {
        return unsqueezeReduced(g, dims, keepdim).expand(inShape);
    }

    /** PyTorch's sum_backward: a reduction over every dim without a dim list expands its 0-d gradient directly. */
    private static Tensor sumBackward(Tensor g, int[] inShape, int[] givenDims, int[] dims, boolean keepdim) {
        return givenDims == null && !keepdim ? g.expand(inShape) : expandBack(g, inShape, dims, keepdim);
    }

    /** The dtype sum and prod give: integer and bool inputs accumulate in int64. */
    private static DType accumulateType(DType t) { return t.isFloatingPoint() ? t : DType.INT64; }

    static Tensor sum(Tensor t, int[] dims, boolean keepdim, DType dtype) {
        int[] rd = reduceDims(dims, t.dim());
        DType out = dtype != null ? dtype : accumulateType(t.dtype());
        Tensor r = squeezeReduced(Kernels.reduce(ReduceOp.SUM, t, rd, out), rd, keepdim);
        int[] in = t.layout().shape();
        return Autograd.record(dims == null ? "SumBackward0" : "SumBackward1", r, t, c -> new Tensor[] {sumBackward(c.grad(), in, dims, rd, keepdim)});
    }

    /** {@code nansum}: the sum with NaN counted as zero; its gradient skips the NaN elements (NansumBackward0). */
    static Tensor nansum(Tensor t, int[] dims, boolean keepdim, DType dtype) {
        if (!t.isFloatingPoint()) return sum(t, dims, keepdim, dtype);
        int[] rd = reduceDims(dims, t.dim());
        Tensor zeroed = Kernels.where(Kernels.unary(UnaryOp.ISNAN, t), Pointwise.wrapScalar(t, 0.0), t, t.dtype());
        Tensor r = squeezeReduced(Kernels.reduce(ReduceOp.SUM, zeroed, rd, dtype != null ? dtype : t.dtype()), rd, keepdim);
        int[] in = t.layout().shape();
        return Autograd.record("NansumBackward0", r, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {expandBack(c.grad(), in, rd, keepdim).mul(c.saved(0).isnan().logicalNot())});
    }

    /** {@code nanmean}: nansum over the count of non-NaN elements, composed as in ATen (so its node is DivBackward0). */
    static Tensor nanmean(Tensor t, int[] dims, boolean keepdim) {
        if (!t.isFloatingPoint())
            throw new IllegalArgumentException("nanmean(): expected input to have floating point dtype but got " + TypePromotion.typeName(t.dtype()));
        Tensor count = sum(t.isnan().logicalNot(), dims, keepdim, null);
        return nansum(t, dims, keepdim, null).div(count);
    }

    /** {@code mean(dims, keepdim, dtype=...)}: the input converts to a floating dtype first, so integer tensors can average. */
    static Tensor mean(Tensor t, int[] dims, boolean keepdim, DType dtype) {
        if (!dtype.isFloatingPoint())
            throw new IllegalArgumentException("mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: "
                    + TypePromotion.typeName(dtype));
        // one node (MeanBackward1) on self, as PyTorch's: the cast is part of the op, and self is what it saves
        return mean(t, Kernels.cast(t, dtype), dims, keepdim);
    }

    static Tensor mean(Tensor t, int[] dims, boolean keepdim) {
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: "
                    + TypePromotion.typeName(t.dtype()));
        return mean(t, t, dims, keepdim);
    }

    /** The mean of {@code values} (t, or t cast to the asked dtype), recorded on t. */
    private static Tensor mean(Tensor t, Tensor values, int[] dims, boolean keepdim) {
        int[] rd = reduceDims(dims, t.dim());
        long n = 1;
        for (int d : rd) n *= t.layout().shape()[d];
        Tensor r = squeezeReduced(Kernels.reduce(ReduceOp.SUM, values, rd, values.dtype()), rd, keepdim);
        // divided in place, as PyTorch's mean (sum_out, then div_), so the result keeps the sum's row-major layout
        Tensor divisor = Kernels.cast(Pointwise.wrapScalar(r, (double) n), r.dtype());
        r.backend().binary(BinaryOp.DIV, r.strided(), divisor.strided().expand(r.layout().shape()), r.strided());
        int[] in = t.layout().shape();
        long count = n;
        // PyTorch 1.13's MeanBackward1 saves the input (unused), so writing to it in place fails backward as there
        Tensor[] saved = dims == null ? new Tensor[0] : new Tensor[] {t};
        return Autograd.record(dims == null ? "MeanBackward0" : "MeanBackward1", r, new Tensor[] {t}, saved, c -> {
            if (saved.length > 0) c.saved(0); // unpacking checks the saved version, as PyTorch's node does
            return new Tensor[] {sumBackward(c.grad(), in, dims, rd, keepdim).div((double) count)};
        });
    }

    /** {@code torch.count_nonzero(t, dims)}: int64 counts; every dim when none is given. */
    static Tensor countNonzero(Tensor t, int[] dims) {
        try (var g = dev.ember.autograd.GradMode.noGrad()) {
            return sum(t.ne(0L), dims, false, null);
        }
    }

    // ------------------------------------------------------------ prod

    static Tensor prod(Tensor t, int[] dims, boolean keepdim) {
        checkProdKernel(t);
        int[] rd = reduceDims(dims, t.dim());
        Tensor r = squeezeReduced(Kernels.reduce(ReduceOp.PROD, t, rd, accumulateType(t.dtype())), rd, keepdim);
        // both saved tensors are unpacked first, as PyTorch's ProdBackward does, so an in-place change of the result
        // fails backward even where the formula would not read it
        return Autograd.record("ProdBackward0", r, new Tensor[] {t}, new Tensor[] {t, r}, c -> {
            Tensor x = c.saved(0), result = c.saved(1), g = c.grad();
            if (x.dim() == 0) return new Tensor[] {g};
            long zeros = x.numel() == 0 ? 0 : x.eq(0.0).sum().itemLong();
            if (zeros == 0) return new Tensor[] {g.mul(result.div(x))};
            // PyTorch's prod_backward over all elements: with two zeros or more every gradient is zero, even next to inf or nan
            if (zeros > 1) return new Tensor[] {Tensor.zerosLike(x)};
            return new Tensor[] {prodSafeZerosBackward(g, x.reshape(-1), 0).view(x.shape())};
        });
    }

    static Tensor prod(Tensor t, int dim, boolean keepdim) {
        int d = Shape.wrapDim(dim, t.dim());
        checkProdKernel(t);
        int[] rd = t.dim() == 0 ? new int[0] : new int[] {d};
        Tensor r = squeezeReduced(Kernels.reduce(ReduceOp.PROD, t, rd, accumulateType(t.dtype())), rd, keepdim);
        return Autograd.record("ProdBackward1", r, new Tensor[] {t}, new Tensor[] {t, r}, c -> {
            Tensor x = c.saved(0), saved = c.saved(1);
            if (x.dim() == 0) return new Tensor[] {c.grad()};
            Tensor g = unsqueezeReduced(c.grad(), rd, keepdim), result = unsqueezeReduced(saved, rd, keepdim);
            if (!hasZero(x)) return new Tensor[] {g.mul(result.div(x))};
            return new Tensor[] {prodSafeZerosBackward(g, x, d)};
        });
    }

    private static boolean hasZero(Tensor x) { return x.numel() > 0 && x.eq(0.0).any().itemBool(); }

    /** PyTorch 1.13's CPU prod has no float16 or bfloat16 kernel; an empty input never reaches the kernel. */
    private static void checkProdKernel(Tensor t) {
        if (t.numel() > 0 && t.device().isCpu() && (t.dtype() == DType.FLOAT16 || t.dtype() == DType.BFLOAT16))
            throw new IllegalArgumentException("\"prod_cpu\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
    }

    /**
     * The gradient of a product along {@code dim} that stays right when inputs are zero: the product of all
     * other elements is the exclusive cumulative product from the left times the one from the right.
     */
    private static Tensor prodSafeZerosBackward(Tensor g, Tensor x, int dim) {
        if (x.numel() == 0) return g.expand(x.shape());
        int size = x.size(dim);
        int[] onesShape = x.shape();
        onesShape[dim] = 1;
        Tensor ones = Tensor.ones(onesShape, x.dtype());
        Tensor left = Tensor.cat(List.of(ones, x.narrow(dim, 0, size - 1)), dim).cumprod(dim);
        Tensor right = Tensor.cat(List.of(ones, x.narrow(dim, 1, size - 1).flip(dim)), dim).cumprod(dim).flip(dim);
        return g.mul(left.mul(right));
    }

    // ------------------------------------------------------------ max / min

    static Tensor maxAll(Tensor t) { return extremeAll(ReduceOp.MAX, "max", "MaxBackward1", t); }

    static Tensor minAll(Tensor t) { return extremeAll(ReduceOp.MIN, "min", "MinBackward1", t); }

    private static final double ALL_ONES_NAN = Double.longBitsToDouble(-1L);

    /**
     * The NaN of a whole-tensor max, min or aminmax: PyTorch 1.13 combines float32/float64 lanes with Vectorized
     * maximum/minimum, which turn a NaN into x86's all-ones NaN (its sign bit set), so from two elements on a NaN
     * anywhere comes out as that one; a single element is returned as it is.
     */
    private static Tensor wholeTensorNaN(Tensor t, Tensor r) {
        boolean lanes = (t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64) && t.numel() >= 2;
        if (lanes && Double.isNaN(r.item())) r.fill_(ALL_ONES_NAN);
        return r;
    }

    private static Tensor extremeAll(ReduceOp op, String name, String node, Tensor t) {
        if (t.numel() == 0)
            throw new IllegalArgumentException(name + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        int[] rd = reduceDims(null, t.dim());
        Tensor r = wholeTensorNaN(t, squeezeReduced(Kernels.reduce(op, t, rd, t.dtype()), rd, false));
        return Autograd.record(node, r, new Tensor[] {t}, new Tensor[] {t, r}, c -> new Tensor[] {evenlyDistribute(c.grad(), c.saved(0), c.saved(1))});
    }

    /**
     * PyTorch's evenly_distribute_backward, the gradient of a whole-tensor max, min or median {@code v} of {@code x}:
     * the elements equal to it (or the NaNs, when it is NaN) share the gradient.
     */
    static Tensor evenlyDistribute(Tensor grad, Tensor x, Tensor v) {
        Tensor mask = v.isnan().itemBool() ? x.isnan() : x.eq(v);
        return Tensor.where(mask, grad.div(mask.sum()), 0.0);
    }

    static ValuesIndices maxDim(Tensor t, int dim, boolean keepdim) { return extremeDim(ReduceOp.MAX, "max", "MaxBackward0", t, dim, keepdim); }

    static ValuesIndices minDim(Tensor t, int dim, boolean keepdim) { return extremeDim(ReduceOp.MIN, "min", "MinBackward0", t, dim, keepdim); }

    private static ValuesIndices extremeDim(ReduceOp op, String name, String node, Tensor t, int dim, boolean keepdim) {
        int d = Shape.wrapDim(dim, t.dim());
        OrderStatistics.checkReductionDim(t, d, name + "()");
        return OrderStatistics.selectAlong(node, t, d, keepdim, (s, v, i) -> t.backend().argReduce(op, s, d, v, i));
    }

    /** Values and int64 indices of the first extreme along d, both with d kept as size 1. */
    private static Tensor[] argReduce(ReduceOp op, String name, Tensor t, int d) {
        if (t.layout().shape()[d] == 0)
            throw new IndexOutOfBoundsException(name + "(): Expected reduction dim " + d + " to have non-zero size.");
        int[] shape = t.layout().shape().clone();
        shape[d] = 1;
        Tensor values = Kernels.zeros(shape, t.dtype(), t.device()), indices = Kernels.zeros(shape, DType.INT64, t.device());
        t.backend().argReduce(op, t.strided(), d, values.strided(), indices.strided());
        return new Tensor[] {values, indices};
    }

    static Tensor amax(Tensor t, int[] dims, boolean keepdim) { return aExtreme(ReduceOp.MAX, "amax", "AmaxBackward0", t, dims, keepdim); }

    static Tensor amin(Tensor t, int[] dims, boolean keepdim) { return aExtreme(ReduceOp.MIN, "amin", "AminBackward0", t, dims, keepdim); }

    private static Tensor aExtreme(ReduceOp op, String name, String node, Tensor t, int[] dims, boolean keepdim) {
        int[] rd = reduceDims(dims, t.dim());
        if (t.numel() == 0) {
            if (dims == null || dims.length == 0)
                throw new IllegalArgumentException(name + "(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
            for (int d : dims)
                if (t.dim() > 0 && t.layout().shape()[Shape.wrapDim(d, t.dim())] == 0)
                    throw new IndexOutOfBoundsException(name + "(): Expected reduction dim " + d + " to have non-zero size.");
        }
        Tensor r = squeezeReduced(Kernels.reduce(op, t, rd, t.dtype()), rd, keepdim);
        // the result itself is saved, as in PyTorch, so an in-place write to it names this node when backward fails
        return Autograd.record(node, r, new Tensor[] {t}, new Tensor[] {t, r}, c -> {
            // ties share the gradient equally (PyTorch's scale_grad_by_count)
            Tensor mask = unsqueezeReduced(c.saved(1), rd, keepdim).eq(c.saved(0));
            return new Tensor[] {unsqueezeReduced(c.grad(), rd, keepdim).div(mask.sum(rd, true)).mul(mask)};
        });
    }

    /**
     * {@code aminmax}: amin and amax together, over every element ({@code dim} null; keepdim then keeps every dim as
     * 1) or over one dim. PyTorch 1.13 has no derivative for it: both results share a node that fails in backward.
     */
    static Tensor.MinMax aminmax(Tensor t, Integer dim, boolean keepdim) {
        if (dim == null && t.numel() == 0)
            throw new IllegalArgumentException("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
        int d = dim == null ? 0 : Shape.wrapDim(dim, t.dim());
        if (dim != null && t.dim() > 0 && t.layout().shape()[d] == 0)
            throw new IndexOutOfBoundsException("aminmax: Expected reduction dim " + d + " to have non-zero size.");
        int[] rd = reduceDims(dim == null ? null : new int[] {d}, t.dim());
        Tensor min = squeezeReduced(Kernels.reduce(ReduceOp.MIN, t, rd, t.dtype()), rd, keepdim);
        Tensor max = squeezeReduced(Kernels.reduce(ReduceOp.MAX, t, rd, t.dtype()), rd, keepdim);
        if (dim == null) {
            min = wholeTensorNaN(t, min);
            max = wholeTensorNaN(t, max);
        }
        if (dim != null && keepdim && t.dim() == 0) {
            // ATen's aminmax.out resizes a 0-dim input's results to the kept dim: [1], still fresh tensors (not views)
            min = new Tensor(min.storage(), Layout.contiguous(new int[] {1}));
            max = new Tensor(max.storage(), Layout.contiguous(new int[] {1}));
        }
        Tensor[] outs = Autograd.recordMulti("torch::autograd::NotImplemented", new Tensor[] {min, max}, new Tensor[] {t}, new Tensor[0], c -> {
            throw new IllegalStateException("derivative for aten::aminmax is not implemented");
        });
        return new Tensor.MinMax(outs[0], outs[1]);
    }

    static Tensor argmax(Tensor t, Integer dim, boolean keepdim) { return argExtreme(ReduceOp.MAX, "argmax", t, dim, keepdim); }

    static Tensor argmin(Tensor t, Integer dim, boolean keepdim) { return argExtreme(ReduceOp.MIN, "argmin", t, dim, keepdim); }

    private static Tensor argExtreme(ReduceOp op, String name, Tensor t, Integer dim, boolean keepdim) {
        if (t.dtype() == DType.BOOL) {
            // PyTorch has no bool kernel but calls none, so checks no dtype, when the dim has size 1 (it fills
            // zeros) or the input is empty; the answer is then the same as for uint8
            boolean kernel = dim == null ? t.numel() != 0 : t.dim() == 0 || (t.layout().shape()[Shape.wrapDim(dim, t.dim())] != 1 && t.numel() != 0);
            if (kernel) throw new IllegalArgumentException("\"" + name + "_cpu\" not implemented for 'Bool'");
            return argExtreme(op, name, t.to(DType.UINT8), dim, keepdim);
        }
        if (dim == null) {
            if (t.numel() == 0)
                throw new IndexOutOfBoundsException(name + "(): Expected reduction dim to be specified for input.numel() == 0.");
            Tensor flat = t.detach().reshape(-1);
            Tensor idx = argReduce(op, name, flat, 0)[1];
            int[] shape = new int[keepdim ? t.dim() : 0];
            java.util.Arrays.fill(shape, 1);
            return idx.view(shape);
        }
        int d = Shape.wrapDim(dim, t.dim());
        if (t.dim() == 0) return Tensor.zeros(new int[0], DType.INT64);
        return squeezeReduced(argReduce(op, name, t, d)[1], new int[] {d}, keepdim);
    }

    // ------------------------------------------------------------ all / any

    /** all/any give bool, except for uint8 input, which gives uint8 (PyTorch's legacy rule). */
    static Tensor all(Tensor t, Integer dim, boolean keepdim) { return logical(ReduceOp.ALL, t, dim, keepdim); }

    static Tensor any(Tensor t, Integer dim, boolean keepdim) { return logical(ReduceOp.ANY, t, dim, keepdim); }

    private static Tensor logical(ReduceOp op, Tensor t, Integer dim, boolean keepdim) {
        int[] rd = reduceDims(dim == null ? null : new int[] {dim}, t.dim());
        DType out = t.dtype() == DType.UINT8 ? DType.UINT8 : DType.BOOL;
        return squeezeReduced(Kernels.reduce(op, t, rd, out), rd, keepdim);
    }

    static UnsupportedOperationException notYet(String op) {
        return new UnsupportedOperationException("Ember: " + op + " is not implemented yet");
    }
}
