package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * F.pad: {@code pad} lists (before, after) pairs from the last dim backwards. Constant padding (negative
 * amounts crop) is one node whose backward is the opposite pad; reflect, replicate and circular pad by
 * index_select along each padded dim.
 */
final class Padding {
    private Padding() {}

    static Tensor pad(Tensor x, int[] pad, String mode, double value) {
        if (pad.length % 2 != 0) throw new IllegalArgumentException("Padding length must be divisible by 2");
        if (pad.length / 2 > x.dim()) throw new IllegalArgumentException("Padding length too large");
        return switch (mode) {
            case "constant" -> constant(x, pad, value);
            case "reflect", "replicate", "circular" -> {
                if (value != 0) throw new IllegalArgumentException("Padding mode \"" + mode + "\"\" doesn't take in value argument");
                int n = pad.length / 2;
                if (n > 3 || x.dim() < n + 1 || x.dim() > n + 2)
                    throw new UnsupportedOperationException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now");
                yield byIndex(x, pad, mode);
            }
            default -> throw new IllegalArgumentException("Unrecognised padding mode " + mode);
        };
    }

    private static Tensor constant(Tensor x, int[] pad, double value) {
        int n = x.dim();
        int[] out = x.shape();
        for (int i = 0; i < pad.length / 2; i++) {
            int d = n - 1 - i;
            out[d] += pad[2 * i] + pad[2 * i + 1];
            if (out[d] < 0)
                throw new IllegalArgumentException("The input size " + x.size(d) + ", plus negative padding " + pad[2 * i] + " and " + pad[2 * i + 1]
                        + " resulted in a negative output size, which is invalid. Check dimension " + d + " of your input.");
        }
        Tensor y;
        try (var g = GradMode.noGrad()) {
            y = Raw.zerosLike(x, out);
            if (value != 0) y.fill_(value);
            Tensor dst = y, src = x;
            for (int i = 0; i < pad.length / 2; i++) {
                int d = n - 1 - i, before = pad[2 * i], after = pad[2 * i + 1];
                int srcStart = Math.max(0, -before), srcEnd = x.size(d) - Math.max(0, -after);
                int len = Math.max(0, srcEnd - srcStart);
                src = src.narrow(d, Math.min(srcStart, x.size(d)), len);
                dst = dst.narrow(d, Math.max(0, before), len);
            }
            if (src.numel() > 0) dst.copy_(src);
        }
        int[] back = new int[pad.length];
        for (int i = 0; i < pad.length; i++) back[i] = -pad[i];
        return Autograd.record("ConstantPadNdBackward0", y, x, c -> new Tensor[] {constant(c.grad(), back, 0)});
    }

    private static Tensor byIndex(Tensor x, int[] pad, String mode) {
        Tensor y = x;
        int n = x.dim();
        for (int i = 0; i < pad.length / 2; i++) {
            int d = n - 1 - i, before = pad[2 * i], after = pad[2 * i + 1], size = x.size(d);
            if (mode.equals("reflect") && (before >= size || after >= size))
                throw new IllegalArgumentException("Argument #4: Padding size should be less than the corresponding input dimension, but got: padding ("
                        + before + ", " + after + ") at dimension " + d + " of input " + x.dim());
            if (mode.equals("circular") && (before > size || after > size))
                throw new IllegalArgumentException("Padding value causes wrapping around more than once.");
            long[] idx = new long[size + before + after];
            for (int j = 0; j < idx.length; j++) {
                int p = j - before;
                idx[j] = switch (mode) {
                    case "reflect" -> p < 0 ? -p : p >= size ? 2 * (size - 1) - p : p;
                    case "replicate" -> Math.clamp(p, 0, size - 1);
                    default -> Math.floorMod(p, size);
                };
            }
            y = y.indexSelect(d, Tensor.fromArray(idx, idx.length).to(x.device()));
        }
        return y;
    }
}
