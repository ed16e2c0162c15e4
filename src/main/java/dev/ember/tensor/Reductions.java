package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.tensor.Tensor.ValuesIndices;
import dev.ember.tensor.spi.ReduceOp;

/**
 * Reductions ({@code sum}, {@code mean}, {@code max}, {@code var}, ...), softmax and scans, with backward
 * rules. Dims are normalised with {@link #reduceDims}: null means every dim, as in PyTorch.
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

    /** Brings a reduced gradient back to the input's shape: re-insert the dims, then expand. */
    static Tensor expandBack(Tensor g, int[] inShape, int[] dims, boolean keepdim) {
        if (!keepdim) for (int d : dims) g = g.unsqueeze(d);
        return g.expand(inShape);
    }

    static Tensor sum(Tensor t, int[] dims, boolean keepdim, DType dtype) {
        int[] rd = reduceDims(dims, t.dim());
        DType out = dtype != null ? dtype : t.dtype().isFloatingPoint() ? t.dtype() : DType.INT64;
        Tensor r = squeezeReduced(Kernels.reduce(ReduceOp.SUM, t, rd, out), rd, keepdim);
        int[] in = t.layout().shape();
        return Autograd.record(dims == null ? "SumBackward0" : "SumBackward1", r, t,
                c -> new Tensor[] {expandBack(c.grad(), in, rd, keepdim)});
    }

    static Tensor mean(Tensor t, int[] dims, boolean keepdim) {
        if (!t.dtype().isFloatingPoint())
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: "
                    + TypePromotion.typeName(t.dtype()));
        int[] rd = reduceDims(dims, t.dim());
        long n = 1;
        for (int d : rd) n *= t.layout().shape()[d];
        Tensor s = squeezeReduced(Kernels.reduce(ReduceOp.SUM, t, rd, t.dtype()), rd, keepdim);
        Tensor r = Kernels.binary(dev.ember.tensor.spi.BinaryOp.DIV, s, Pointwise.wrapScalar(s, (double) n), t.dtype());
        int[] in = t.layout().shape();
        long count = n;
        return Autograd.record(dims == null ? "MeanBackward0" : "MeanBackward1", r, t,
                c -> new Tensor[] {expandBack(c.grad(), in, rd, keepdim).div((double) count)});
    }

    static Tensor prod(Tensor t, int[] dims, boolean keepdim) { throw notYet("prod"); }

    static Tensor prod(Tensor t, int dim, boolean keepdim) { throw notYet("prod"); }

    static Tensor maxAll(Tensor t) { throw notYet("max"); }

    static Tensor minAll(Tensor t) { throw notYet("min"); }

    static ValuesIndices maxDim(Tensor t, int dim, boolean keepdim) { throw notYet("max"); }

    static ValuesIndices minDim(Tensor t, int dim, boolean keepdim) { throw notYet("min"); }

    static Tensor amax(Tensor t, int[] dims, boolean keepdim) { throw notYet("amax"); }

    static Tensor amin(Tensor t, int[] dims, boolean keepdim) { throw notYet("amin"); }

    static Tensor argmax(Tensor t, Integer dim, boolean keepdim) { throw notYet("argmax"); }

    static Tensor argmin(Tensor t, Integer dim, boolean keepdim) { throw notYet("argmin"); }

    static Tensor var(Tensor t, int[] dims, double correction, boolean keepdim) { throw notYet("var"); }

    static Tensor std(Tensor t, int[] dims, double correction, boolean keepdim) { throw notYet("std"); }

    static Tensor norm(Tensor t, double p, int[] dims, boolean keepdim) { throw notYet("norm"); }

    static Tensor logsumexp(Tensor t, int[] dims, boolean keepdim) { throw notYet("logsumexp"); }

    static Tensor all(Tensor t, Integer dim, boolean keepdim) {
        int[] rd = reduceDims(dim == null ? null : new int[] {dim}, t.dim());
        return squeezeReduced(Kernels.reduce(ReduceOp.ALL, t, rd, DType.BOOL), rd, keepdim);
    }

    static Tensor any(Tensor t, Integer dim, boolean keepdim) {
        int[] rd = reduceDims(dim == null ? null : new int[] {dim}, t.dim());
        return squeezeReduced(Kernels.reduce(ReduceOp.ANY, t, rd, DType.BOOL), rd, keepdim);
    }

    static Tensor softmax(Tensor t, int dim) { throw notYet("softmax"); }

    static Tensor logSoftmax(Tensor t, int dim) { throw notYet("log_softmax"); }

    static Tensor cumsum(Tensor t, int dim) { throw notYet("cumsum"); }

    static Tensor cumprod(Tensor t, int dim) { throw notYet("cumprod"); }

    static UnsupportedOperationException notYet(String op) {
        return new UnsupportedOperationException("Ember: " + op + " is not implemented yet");
    }
}
