package dev.ember.nn.functional;

import dev.ember.tensor.Tensor;

/** PyTorch's reduction argument: "none", "mean" or "sum" (KLDiv adds "batchmean"). */
final class LossReduction {
    private LossReduction() {}

    static final int NONE = 0, MEAN = 1, SUM = 2;

    /** {@code _Reduction.get_enum}: the code of a reduction name, with PyTorch's message for anything else. */
    static int of(String reduction) {
        return switch (reduction) {
            case "none" -> NONE;
            case "mean" -> MEAN;
            case "sum" -> SUM;
            default -> throw new IllegalArgumentException(reduction + " is not a valid value for reduction");
        };
    }

    /** ATen's apply_loss_reduction. */
    static Tensor apply(Tensor loss, int reduction) {
        return switch (reduction) {
            case MEAN -> loss.mean();
            case SUM -> loss.sum();
            default -> loss;
        };
    }

    /** The gradient of a reduced loss brought back to the elementwise loss's shape. */
    static Tensor expandGrad(Tensor g, int reduction, int[] shape, long numel) {
        return switch (reduction) {
            case MEAN -> g.div((double) numel).expand(shape);
            case SUM -> g.expand(shape);
            default -> g;
        };
    }
}
