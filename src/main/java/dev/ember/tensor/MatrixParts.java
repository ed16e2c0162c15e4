package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

/**
 * The parts of a matrix: {@code diagonal} (a view), {@code diag}, {@code trace}, and the triangles {@code triu} and
 * {@code tril}, each over the last two dims or the two dims given, with PyTorch's backward rules and grad_fn names.
 */
final class MatrixParts {
    private MatrixParts() {}

    /**
     * {@code torch.diagonal(t, offset, dim1, dim2)}: the view whose last dim walks diagonal {@code offset} of the
     * (dim1, dim2) planes, one step being a step along both dims; the two dims leave the shape.
     */
    static Tensor diagonal(Tensor t, int offset, int dim1, int dim2) {
        int n = t.dim();
        int d1 = Shape.wrapDim(dim1, n), d2 = Shape.wrapDim(dim2, n);
        if (d1 == d2) throw new IllegalArgumentException("diagonal dimensions cannot be identical " + dim1 + ", " + dim2);
        int[] shape = t.layout().shape(), strides = t.layout().strides();
        int len = Math.max(0, offset >= 0 ? Math.min(shape[d1], shape[d2] - offset) : Math.min(shape[d1] + offset, shape[d2]));
        int start = t.storageOffset();
        if (len > 0) start += offset >= 0 ? offset * strides[d2] : -offset * strides[d1];
        int[] vs = new int[n - 1], vt = new int[n - 1];
        for (int i = 0, j = 0; i < n; i++) {
            if (i == d1 || i == d2) continue;
            vs[j] = shape[i];
            vt[j++] = strides[i];
        }
        vs[n - 2] = len;
        vt[n - 2] = strides[d1] + strides[d2];
        int[] in = shape;
        return Autograd.record("DiagonalBackward0", Tensor.viewOf(t, new Layout(vs, vt, start)), t,
                c -> new Tensor[] {onDiagonal(c.grad(), in, offset, d1, d2)});
    }

    /**
     * {@code torch.diag(t, k)}: a vector becomes a square matrix with it on diagonal k, a matrix gives a new vector
     * holding its diagonal k. Each direction's gradient is the other direction applied to the incoming gradient.
     */
    static Tensor diag(Tensor t, int k) {
        if (t.dim() != 1 && t.dim() != 2) throw new IllegalArgumentException("matrix or a vector expected");
        int[] in = t.shape();
        Tensor out;
        try (var g = GradMode.noGrad()) {
            if (t.dim() == 1) out = onDiagonal(t, new int[] {in[0] + Math.abs(k), in[0] + Math.abs(k)}, k, 0, 1);
            else {
                // 1.13 sizes the result before checking it: a diagonal wholly outside the matrix is a negative size
                int len = k >= 0 ? Math.min(in[0], in[1] - k) : Math.min(in[0] + k, in[1]);
                if (len < 0) throw new IllegalArgumentException("numel: integer multiplication overflow");
                out = Kernels.copy(diagonal(t, k, 0, 1));
            }
        }
        return Autograd.record("DiagBackward0", out, t, c -> new Tensor[] {in.length == 1 ? diag(c.grad(), k) : onDiagonal(c.grad(), in, k, 0, 1)});
    }

    /**
     * {@code torch.diag_embed(t, offset, dim1, dim2)}: zeros with the last dim of t written onto diagonal offset of
     * the (dim1, dim2) planes, two new dims of size {@code |offset| + t.size(-1)}; the gradient is that diagonal.
     */
    static Tensor diagEmbed(Tensor t, int offset, int dim1, int dim2) {
        int n = t.dim() + 1;
        int d1 = Shape.wrapDim(dim1, n), d2 = Shape.wrapDim(dim2, n);
        if (d1 == d2) throw new IllegalArgumentException("diagonal dimensions cannot be identical " + dim1 + ", " + dim2);
        int len = Math.abs(offset) + t.size(-1);
        int[] in = t.layout().shape();
        int[] shape = new int[n]; // t's dims but the last, with the two new dims inserted
        for (int i = 0, j = 0; i < shape.length; i++) shape[i] = i == Math.min(d1, d2) || i == Math.max(d1, d2) ? len : in[j++];
        Tensor out = Creation.zeros(shape, t.dtype(), t.device());
        Kernels.write(t, diagonal(out, offset, d1, d2)); // not copy_: a fresh result is at version 0
        return Autograd.record("DiagEmbedBackward0", out, t, c -> new Tensor[] {c.grad().diagonal(offset, d1, d2)});
    }

    /** {@code torch.diagflat(t, offset)}: ATen's {@code t.contiguous().view(-1).diag(offset)}. */
    static Tensor diagflat(Tensor t, int offset) { return diag(t.contiguous().view(-1), offset); }

    /** {@code torch.trace}: the sum of a matrix's main diagonal (integer inputs sum to int64). */
    static Tensor trace(Tensor t) {
        // the CPU kernel's dtype dispatch comes before its shape check
        if (t.dtype() == DType.BOOL || t.dtype().isReducedFloat())
            throw new UnsupportedOperationException("\"trace\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
        if (t.dim() != 2) throw new IllegalArgumentException("trace: expected a matrix, but got tensor with dim " + t.dim());
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = diagonal(t, 0, 0, 1).sum();
        }
        int[] in = t.shape();
        int len = Math.min(in[0], in[1]);
        return Autograd.record("TraceBackward0", out, t, c -> new Tensor[] {onDiagonal(c.grad().expand(len), in, 0, 0, 1)});
    }

    /** Zeros of {@code shape} with {@code v} copied onto a diagonal (a recorded copy_, so it differentiates). */
    private static Tensor onDiagonal(Tensor v, int[] shape, int offset, int d1, int d2) {
        Tensor z = Creation.zeros(shape, v.dtype(), v.device());
        Kernels.write(v, diagonal(z, offset, d1, d2)); // not copy_: a fresh result is at version 0, as ATen's diag gives
        return z;
    }

    /** {@code torch.triu(t, k)}: the elements on and above diagonal k of each matrix in the last two dims, else zero. */
    static Tensor triu(Tensor t, int k) { return triangle(t, k, true); }

    /** {@code torch.tril(t, k)}: the elements on and below diagonal k of each matrix in the last two dims, else zero. */
    static Tensor tril(Tensor t, int k) { return triangle(t, k, false); }

    private static Tensor triangle(Tensor t, int k, boolean upper) {
        int n = t.dim();
        if (n == 0) throw new IndexOutOfBoundsException("Dimension specified as -2 but tensor has no dimensions");
        if (n == 1 && t.numel() == 0) // 1.13 returns an empty input before it looks at its dims
            return Autograd.record(upper ? "TriuBackward0" : "TrilBackward0", Kernels.copy(t), t, c -> new Tensor[] {c.grad()});
        int rows = t.size(Shape.wrapDim(-2, n)), cols = t.size(-1); // a 1-d input fails here, as in PyTorch
        // keep[i][j]: column minus row against k; broadcast over the batch dims
        Tensor diff = Tensor.arange(cols).sub(Tensor.arange(rows).unsqueeze(1)).to(t.device());
        Tensor keep = upper ? diff.ge((long) k) : diff.le((long) k);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            // row-major whatever the input's order, as PyTorch's triu/tril allocate their result
            out = Kernels.where(keep, t, Creation.zeros(new int[0], t.dtype(), t.device()), t.dtype(), true);
        }
        return Autograd.record(upper ? "TriuBackward0" : "TrilBackward0", out, t,
                c -> new Tensor[] {upper ? triu(c.grad(), k) : tril(c.grad(), k)});
    }

    /**
     * {@code fill_diagonal_(value, wrap)}: the elements at equal indices of a matrix (or of a tensor whose dims are all
     * equal) set to {@code value}, through an as_strided view of self as ATen writes it (so with autograd self's node is
     * a CopySlices); with {@code wrap} a tall matrix's diagonal restarts every {@code width + 1} rows.
     */
    static Tensor fillDiagonal_(Tensor self, double value, boolean wrap) {
        int nDims = self.dim();
        if (nDims < 2) throw new IllegalArgumentException("dimensions must larger than 1");
        int height = self.size(0), width = self.size(1);
        if (nDims > 2)
            for (int i = 1; i < nDims; i++)
                if (self.size(i) != height) throw new IllegalArgumentException("all dimensions of input must be of equal length");
        int stride = 0;
        for (int s : self.strides()) stride += s;
        int size = Math.min(height, width);
        self.asStrided(new int[] {size}, new int[] {stride}, self.storageOffset()).fill_(value);
        if (wrap && nDims == 2 && height > width + 1) {
            int step = width + 1;
            int wrapSize = (self.numel() + step - 1) / step - size;
            self.asStrided(new int[] {wrapSize}, new int[] {stride}, self.storageOffset() + self.strides()[0] * step).fill_(value);
        }
        return self;
    }
}
