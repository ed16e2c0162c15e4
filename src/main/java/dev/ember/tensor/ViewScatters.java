package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.Arrays;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

/**
 * The out-of-place writes through a view: {@code select_scatter}, {@code slice_scatter} and {@code diagonal_scatter}
 * (a clone of self, in self's layout, with src copied where the view looks; src converts to self's dtype as copy_
 * does), and {@code narrow_copy}, the contiguous copy of a narrowed view that PyTorch 1.13 gives no derivative.
 */
final class ViewScatters {
    private ViewScatters() {}

    static Tensor selectScatter(Tensor t, Tensor src, int dim, int index) {
        return scatter("SelectScatterBackward0", t, src, v -> v.select(dim, index), (g, z) -> selectScatter(g, z, dim, index));
    }

    static Tensor sliceScatter(Tensor t, Tensor src, int dim, Integer start, Integer end, int step) {
        return scatter("SliceScatterBackward0", t, src, v -> v.slice(dim, start, end, step), (g, z) -> sliceScatter(g, z, dim, start, end, step));
    }

    static Tensor diagonalScatter(Tensor t, Tensor src, int offset, int dim1, int dim2) {
        return scatter("DiagonalScatterBackward0", t, src, v -> v.diagonal(offset, dim1, dim2), (g, z) -> diagonalScatter(g, z, offset, dim1, dim2));
    }

    /** The gradient goes to src through the view and to self everywhere else (the same scatter of zeros). */
    private static Tensor scatter(String node, Tensor t, Tensor src, UnaryOperator<Tensor> view, BinaryOperator<Tensor> again) {
        Tensor out = Kernels.copyPreserving(t);
        Tensor region;
        try (var g = GradMode.noGrad()) {
            region = view.apply(out);
        }
        int[] slice = region.layout().shape(), given = src.layout().shape();
        if (!Arrays.equals(slice, given))
            throw new IllegalArgumentException("expected src to have a size equal to the slice of self. src size = " + Shape.str(given) + ", slice size = " + Shape.str(slice));
        Kernels.checkSameDevice(t, src);
        int[] srcShape = src.layout().shape();
        if (region.numel() > 0) Kernels.write(Kernels.cast(src, t.dtype()), region);
        return Autograd.record(node, out, new Tensor[] {t, src}, new Tensor[0], c -> new Tensor[] {
                !c.needs(0) ? null : again.apply(c.grad(), Kernels.zeros(srcShape, c.grad().dtype(), c.grad().device())),
                !c.needs(1) ? null : view.apply(c.grad())});
    }

    /**
     * {@code narrow_copy(dim, start, length)}: its own checks, not narrow's: a dim past the end fails an unworded
     * check, and a start past the end is reported against the length rather than wrapped as a dim.
     */
    static Tensor narrowCopy(Tensor t, int dim, int start, int length) {
        if (t.dim() == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        if (dim >= t.dim())
            throw new IllegalArgumentException("Expected dim < static_cast<int64_t>(self_sizes.size()) to be true, but got false.  "
                    + "(Could this error message be improved?  If so, please report an enhancement request to PyTorch.)");
        int d = Shape.wrapDim(dim, t.dim());
        int size = t.size(d);
        if (start != size && start < 0) start = Shape.wrapDim(start, size);
        if (length < 0 || start > size - length)
            throw new IllegalArgumentException("start (" + start + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        Tensor out;
        int[] shape = t.layout().shape();
        if (t.numel() == 0 && shape[d] == length) {
            // an empty self of the result's shape: PyTorch's resize of empty_like(self) keeps self's strides
            out = Kernels.empty(new Layout(shape, t.layout().strides(), 0), t.dtype(), t.device());
        } else if (shape[d] == length) {
            // nothing to resize either: out keeps empty_like(self)'s strides (self's, or dense in self's order when self
            // has gaps: seed 326929). 1.13 then writes self's elements row-major through them, which moves the elements
            // of a self whose dims are not in row-major order, a bug 2.x fixed; Ember writes each where it belongs
            try (var g = GradMode.noGrad()) {
                out = Kernels.copyPreserving(t);
            }
        } else {
            try (var g = GradMode.noGrad()) {
                out = Kernels.copy(t.narrow(d, start, length));
            }
        }
        return Autograd.notImplemented("narrow_copy", out, t);
    }
}
