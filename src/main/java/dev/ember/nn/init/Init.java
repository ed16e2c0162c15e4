package dev.ember.nn.init;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

/**
 * {@code torch.nn.init}: in-place initialisers that run under no-grad, with PyTorch's fan and gain rules.
 * The numbers come from Ember's generator (the default one unless given), so they differ from PyTorch's,
 * but the distributions are the same.
 */
public final class Init {
    private Init() {}

    /** {@code calculate_gain(nonlinearity, param)}; param is the leaky_relu slope (default 0.01) or null. */
    public static double calculateGain(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2.0 / (1 + slope * slope));
            }
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("Unsupported nonlinearity " + nonlinearity);
        };
    }

    public static double calculateGain(String nonlinearity) { return calculateGain(nonlinearity, null); }

    /** {@code _calculate_fan_in_and_fan_out}: [fan_in, fan_out] of a weight of at least 2 dims. */
    public static int[] fanInAndFanOut(Tensor t) {
        if (t.dim() < 2) throw new IllegalArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        int receptive = 1;
        for (int d = 2; d < t.dim(); d++) receptive *= t.size(d);
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    private static int fan(Tensor t, String mode) {
        int[] f = fanInAndFanOut(t);
        return switch (mode) {
            case "fan_in" -> f[0];
            case "fan_out" -> f[1];
            default -> throw new IllegalArgumentException("Mode " + mode + " not supported, please use one of fan_in, fan_out");
        };
    }

    public static Tensor uniform_(Tensor t, double a, double b) { return uniform_(t, a, b, Generator.defaultGenerator()); }

    public static Tensor uniform_(Tensor t, double a, double b, Generator g) {
        try (var ng = GradMode.noGrad()) {
            return t.uniform_(g, a, b);
        }
    }

    public static Tensor normal_(Tensor t, double mean, double std) { return normal_(t, mean, std, Generator.defaultGenerator()); }

    public static Tensor normal_(Tensor t, double mean, double std, Generator g) {
        try (var ng = GradMode.noGrad()) {
            return t.normal_(g, mean, std);
        }
    }

    public static Tensor constant_(Tensor t, double value) {
        try (var ng = GradMode.noGrad()) {
            return t.fill_(value);
        }
    }

    public static Tensor zeros_(Tensor t) { return constant_(t, 0); }

    public static Tensor ones_(Tensor t) { return constant_(t, 1); }

    /** {@code eye_}: the identity in a 2-D tensor. */
    public static Tensor eye_(Tensor t) {
        if (t.dim() != 2) throw new IllegalArgumentException("Only tensors with 2 dimensions are supported");
        try (var ng = GradMode.noGrad()) {
            t.zero_();
            for (int i = 0; i < Math.min(t.size(0), t.size(1)); i++) t.select(0, i).select(0, i).fill_(1);
            return t;
        }
    }

    public static Tensor xavierUniform_(Tensor t) { return xavierUniform_(t, 1.0, Generator.defaultGenerator()); }

    /** {@code xavier_uniform_}: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform_(Tensor t, double gain, Generator g) {
        int[] f = fanInAndFanOut(t);
        double std = gain * Math.sqrt(2.0 / (f[0] + f[1]));
        double a = Math.sqrt(3.0) * std;
        return uniform_(t, -a, a, g);
    }

    public static Tensor xavierNormal_(Tensor t) { return xavierNormal_(t, 1.0, Generator.defaultGenerator()); }

    public static Tensor xavierNormal_(Tensor t, double gain, Generator g) {
        int[] f = fanInAndFanOut(t);
        return normal_(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])), g);
    }

    /** {@code kaiming_uniform_(t, a=0, mode='fan_in', nonlinearity='leaky_relu')}. */
    public static Tensor kaimingUniform_(Tensor t) { return kaimingUniform_(t, 0, "fan_in", "leaky_relu", Generator.defaultGenerator()); }

    /** U(-b, b) with b = gain(nonlinearity, a) * sqrt(3 / fan); a zero-element tensor is left as is, as in PyTorch. */
    public static Tensor kaimingUniform_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        if (t.numel() == 0) return t;
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        double bound = Math.sqrt(3.0) * std;
        return uniform_(t, -bound, bound, g);
    }

    public static Tensor kaimingNormal_(Tensor t) { return kaimingNormal_(t, 0, "fan_in", "leaky_relu", Generator.defaultGenerator()); }

    public static Tensor kaimingNormal_(Tensor t, double a, String mode, String nonlinearity, Generator g) {
        if (t.numel() == 0) return t;
        double std = calculateGain(nonlinearity, a) / Math.sqrt(fan(t, mode));
        return normal_(t, 0, std, g);
    }
}
