package dev.ember.nn.functional;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

/** dropout as ATen computes it on the CPU: {@code input * (bernoulli(1 - p) / (1 - p))}, so grad_fn is MulBackward0. */
final class Dropouts {
    private Dropouts() {}

    static Tensor dropout(Tensor x, double p, boolean training, boolean inplace, Generator gen) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        if (!training || p == 0 || x.numel() == 0) return x;
        Tensor noise;
        try (var g = GradMode.noGrad()) {
            noise = Raw.zerosLike(x, x.shape());
            if (p < 1) noise.bernoulli_(gen, 1 - p).div_(1 - p);
        }
        return inplace ? x.mul_(noise) : x.mul(noise);
    }

    /** dropout1d/2d/3d: one draw per (sample, channel), broadcast over the spatial dims. */
    static Tensor featureDropout(Tensor x, double p, boolean training, boolean inplace, Generator gen, int spatialDims, String op) {
        if (p < 0 || p > 1) throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        int batched = spatialDims + 2;
        if (x.dim() != batched && x.dim() != batched - 1)
            throw new IllegalArgumentException(op + ": Expected " + (batched - 1) + "D or " + batched + "D input, but received a " + x.dim() + "D input. ");
        if (!training || p == 0 || x.numel() == 0) return x;
        boolean unbatched = x.dim() == batched - 1;
        Tensor in = unbatched ? x.unsqueeze(0) : x;
        int[] shape = new int[in.dim()];
        java.util.Arrays.fill(shape, 1);
        shape[0] = in.size(0);
        shape[1] = in.size(1);
        Tensor noise;
        try (var g = GradMode.noGrad()) {
            noise = Raw.zerosLike(x, shape);
            if (p < 1) noise.bernoulli_(gen, 1 - p).div_(1 - p);
        }
        if (unbatched) noise = noise.squeeze(0);
        return inplace ? x.mul_(noise) : x.mul(noise);
    }
}
