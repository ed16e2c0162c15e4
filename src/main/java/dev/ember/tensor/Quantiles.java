package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

import java.util.ArrayList;
import java.util.List;

/**
 * quantile and nanquantile, composed as ATen's quantile_compute is: sort along the reduced dim, rank each q among the
 * sorted values (NaNs, which sort last, make the rank point at one), gather the values below and above and lerp
 * between them in place. Composing the same ops gives PyTorch's graph (SqueezeBackward3 over LerpBackward1 over
 * GatherBackward0) and its float32 rank rounding.
 */
final class Quantiles {
    private Quantiles() {}

    private static final List<String> MODES = List.of("linear", "lower", "higher", "midpoint", "nearest");

    static Tensor quantile(Tensor self, double q, Integer dim, boolean keepdim, String interpolation, boolean ignoreNan) {
        if (!(q >= 0 && q <= 1)) throw new IllegalArgumentException("quantile() q must be in the range [0, 1] but got " + NumberFormat.cpp(q));
        Tensor qt = self.isFloatingPoint() ? Tensor.scalar(q, self.dtype()) : Tensor.scalar(q);
        return quantile(self, qt, dim, keepdim, interpolation, ignoreNan);
    }

    static Tensor quantile(Tensor self, Tensor q, Integer dim, boolean keepdim, String interpolation, boolean ignoreNan) {
        try (var cpp = Autograd.cppComposite()) {
            return compute(self, q, dim, keepdim, interpolation, ignoreNan);
        }
    }

    private static Tensor compute(Tensor self, Tensor q, Integer dim, boolean keepdim, String interpolation, boolean ignoreNan) {
        check(self, q);
        int mode = MODES.indexOf(interpolation);
        if (mode < 0)
            throw new IllegalArgumentException("quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got " + interpolation);
        if (self.device().isCpu()) {
            boolean inRange;
            try (var g = GradMode.noGrad()) {
                inRange = q.ge(0L).logicalAnd(q.le(1L)).all().itemBool();
            }
            if (!inRange) throw new IllegalArgumentException("quantile() q values must be in the range [0, 1]");
        }
        int wrapped = dim == null ? 0 : Shape.wrapDim(dim, self.dim());
        Tensor sorted;
        if (dim == null) sorted = self.flatten().sort().values();
        else if (wrapped == self.dim() - 1) sorted = self.sort().values();
        else sorted = self.unsqueeze(-1).transpose(wrapped, -1).sort().values();

        List<Integer> outShape = outputShape(self, q, dim, wrapped, keepdim);
        if (q.dim() == 0) outShape.add(0, 1);
        int[] inShape = new int[outShape.size()];
        for (int i = 1; i < outShape.size(); i++) inShape[i - 1] = outShape.get(i);
        inShape[inShape.length - 1] = sorted.size(-1);
        sorted = sorted.view(inShape);

        Tensor ranks;
        try (var g = GradMode.noGrad()) {
            if (ignoreNan) {
                // ranks among the non-NaN values; all NaN gives rank 0, whose value is NaN
                ranks = q.mul(sorted.isnan().logicalNot().sum(new int[] {-1}, true).sub(1L));
                ranks = ranks.maskedFill(ranks.lt(0L), 0L);
            } else {
                // a NaN in the slice makes its quantile NaN: the rank points at the last (NaN) value
                long last = sorted.size(-1) - 1;
                Tensor rank = q.mul(last), hasNan = sorted.isnan().any(-1, true);
                int[] shape = Shape.broadcast(rank.layout().shape(), hasNan.layout().shape());
                ranks = rank.expand(shape).maskedFill(hasNan.expand(shape), last);
            }
            if (mode == 1) ranks = ranks.floor();
            else if (mode == 2) ranks = ranks.ceil();
            else if (mode == 4) ranks = ranks.round();
        }
        Tensor below = ranks.to(DType.INT64);
        Tensor values = sorted.gather(-1, below);
        if (mode == 0 || mode == 3) {
            Tensor weights;
            Tensor above;
            try (var g = GradMode.noGrad()) {
                weights = mode == 3 ? Tensor.fullLike(ranks, 0.5) : ranks.sub(below);
                above = ranks.ceil().to(DType.INT64);
            }
            values.lerp_(sorted.gather(-1, above), weights);
        }
        if (q.dim() == 0) return values.squeeze_(-1);
        return values.unsqueeze_(0).transpose_(0, -1).squeeze_(-1);
    }

    /** ATen's quantile_checks, in its order (nanquantile's messages name quantile too). */
    private static void check(Tensor self, Tensor q) {
        if (self.numel() == 0) throw new IllegalArgumentException("quantile() input tensor must be non-empty");
        if (q.dim() > 1) throw new IllegalArgumentException("quantile() q must be a scalar or 1D tensor");
        if (self.dtype() != DType.FLOAT32 && self.dtype() != DType.FLOAT64)
            throw new IllegalArgumentException("quantile() input tensor must be either float or double dtype");
        if (self.dtype() != q.dtype()) throw new IllegalArgumentException("quantile() q tensor must be same dtype as the input tensor");
    }

    /** The result's shape: the q dim (when q is 1-d) before the input's shape without (or with a size-1) reduced dim. */
    private static List<Integer> outputShape(Tensor self, Tensor q, Integer dim, int wrapped, boolean keepdim) {
        List<Integer> shape = new ArrayList<>();
        if (dim != null && self.dim() > 0) {
            for (int s : self.layout().shape()) shape.add(s);
            if (keepdim) shape.set(wrapped, 1);
            else shape.remove(wrapped);
        } else if (keepdim) {
            for (int i = 0; i < self.dim(); i++) shape.add(1);
        }
        if (q.dim() > 0) shape.add(0, q.numel());
        return shape;
    }
}
