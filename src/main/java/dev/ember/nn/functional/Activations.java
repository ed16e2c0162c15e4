package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.spi.UnaryOp;

/**
 * Activations that Tensor does not name, each one node with PyTorch's grad_fn name and its derivative from
 * derivatives.yaml written in tensor ops (so second derivatives work). Forwards run under no-grad.
 */
final class Activations {
    private Activations() {}

    static void requireFloating(Tensor x, String op) {
        if (!x.isFloatingPoint())
            throw new IllegalArgumentException("\"" + op + "\" not implemented for '" + Convolution.scalarName(x) + "'");
    }

    /** A backend unary primitive applied into a fresh tensor. */
    private static Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = Raw.emptyElementwise(x);
        x.backend().unary(op, x.strided(), out.strided());
        return out;
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        requireFloating(x, "leaky_relu_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Tensor.where(x.gt(0.0), x, x.mul(slope));
        }
        return Autograd.record("LeakyReluBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.leakyReluBackward(c.grad(), c.saved(0), slope)});
    }

    static Tensor elu(Tensor x, double alpha, double scale, double inputScale, String name) {
        requireFloating(x, "elu_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            // PyTorch 1.13's elu kernel computes exp(x) - 1, not expm1: elu(-0.) is 0., and tiny x round alike
            out = Tensor.where(x.gt(0.0), x.mul(scale), x.mul(inputScale).exp().sub(1.0).mul(alpha * scale));
        }
        return Autograd.record(name, out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.eluBackward(c.grad(), c.saved(0), alpha, scale, inputScale)});
    }

    /**
     * x * relu6(x + 3) / 6 with PyTorch's hardswish_backward: 0 below -3, grad * (x/3 + 1/2) up to 3 inclusive,
     * grad above, and grad at NaN (both comparisons fail), where the composed product would give NaN.
     */
    static Tensor hardswish(Tensor x) {
        requireFloating(x, "hardswish");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.mul(x.add(3.0).clamp(0.0, 6.0)).div(6.0);
        }
        return Autograd.record("HardswishBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            Tensor s = c.saved(0), g = c.grad();
            return new Tensor[] {Tensor.where(s.lt(-3.0), 0.0, Tensor.where(s.le(3.0), g.mul(s.div(3.0).add(0.5)), g))};
        });
    }

    /** PyTorch's one_sixth in hardsigmoid_backward is the float 1.0f / 6.0f, also for float64. */
    private static final double ONE_SIXTH_FLOAT = 1.0f / 6.0f;

    /** relu6(x + 3) / 6; the gradient is grad / 6 strictly inside (-3, 3), else 0 (NaN included). */
    static Tensor hardsigmoid(Tensor x) {
        requireFloating(x, "hardsigmoid");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.add(3.0).clamp(0.0, 6.0).div(6.0);
        }
        return Autograd.record("HardsigmoidBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            Tensor s = c.saved(0);
            return new Tensor[] {Tensor.where(s.gt(-3.0).logicalAnd(s.lt(3.0)), c.grad().mul(ONE_SIXTH_FLOAT), 0.0)};
        });
    }

    static Tensor gelu(Tensor x, String approximate) {
        requireFloating(x, "GeluKernelImpl");
        boolean tanh = switch (approximate) {
            case "none" -> false;
            case "tanh" -> true;
            default -> throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        };
        Tensor out = unary(tanh ? UnaryOp.GELU_TANH : UnaryOp.GELU, x);
        return Autograd.record("GeluBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.geluBackward(c.grad(), c.saved(0), tanh)});
    }

    static Tensor silu(Tensor x) {
        requireFloating(x, "silu_cpu");
        Tensor out = unary(UnaryOp.SILU, x);
        // infinitely_differentiable_silu_backward: grad * sigmoid * (1 + x (1 - sigmoid)), with C++'s number operands
        return Autograd.record("SiluBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            Tensor s = c.saved(0).sigmoid();
            return new Tensor[] {c.grad().mul(s).mul(c.saved(0).mul(oneMinus(s)).add(1.0))};
        });
    }

    /** C++'s {@code 1.0 - t}: a tensor filled with 1, then {@code sub_(t)} (SubBackward0 whose first edge is none). */
    static Tensor oneMinus(Tensor t) { return Tensor.onesLike(t).sub(t); }

    /** x * tanh(softplus(x)); the backward is infinitely_differentiable_mish_backward, one MishBackward0 node forward. */
    static Tensor mish(Tensor x) {
        requireFloating(x, "mish_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.mul(softplus(x, 1, 20).tanh());
        }
        return Autograd.record("MishBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            Tensor self = c.saved(0), s = self.sigmoid(), t = self.exp().log1p().tanh();
            return new Tensor[] {c.grad().mul(t.add(self.mul(s).mul(oneMinus(t.mul(t)))))};
        });
    }

    static Tensor softplus(Tensor x, double beta, double threshold) {
        requireFloating(x, "softplus_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor bx = x.mul(beta);
            out = Tensor.where(bx.gt(threshold), x, bx.exp().log1p().div(beta));
        }
        return Autograd.record("SoftplusBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.softplusBackward(c.grad(), c.saved(0), beta, threshold)});
    }

    static Tensor hardtanh(Tensor x, double min, double max) {
        if (min > max) throw new IllegalArgumentException("min_val cannot be greater than max_val");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.clamp(min, max);
        }
        return Autograd.record("HardtanhBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            return new Tensor[] {ActivationBackwards.hardtanhBackward(c.grad(), c.saved(0), min, max)};
        });
    }

    static Tensor logsigmoid(Tensor x) {
        requireFloating(x, "log_sigmoid_forward");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor r = x.contiguous(); // PyTorch's log_sigmoid gives a row-major result whatever x's memory order
            out = r.clampMax(0.0).sub(r.abs().neg().exp().log1p());
        }
        return Autograd.record("LogSigmoidBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.logSigmoidBackward(c.grad(), c.saved(0))});
    }
}
