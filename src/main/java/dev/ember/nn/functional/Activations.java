package dev.ember.nn.functional;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.KernelLoops;
import dev.ember.tensor.Opmath;
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

    /** The kernels PyTorch 1.13 dispatches for float, double and bfloat16 only. */
    static void requireFloatOrBFloat16(Tensor x, String op) {
        if (x.dtype() == DType.FLOAT16) throw new IllegalArgumentException("\"" + op + "\" not implemented for 'Half'");
        requireFloating(x, op);
    }

    /** A backend unary primitive applied into a fresh tensor. */
    private static Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = Raw.emptyElementwise(x);
        x.backend().unary(op, x.strided(), out.strided());
        return out;
    }

    static Tensor leakyRelu(Tensor x, double slope) {
        requireFloatOrBFloat16(x, "leaky_relu_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Opmath.inFloat(x, t -> Tensor.where(t.gt(0.0), t, t.mul(slope)));
        }
        return Autograd.record("LeakyReluBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.leakyReluBackward(c.grad(), c.saved(0), slope)});
    }

    static Tensor elu(Tensor x, double alpha, double scale, double inputScale, String name) {
        requireFloatOrBFloat16(x, "elu_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            // PyTorch 1.13's elu kernel computes exp(x) - 1, not expm1: elu(-0.) is 0., and tiny x round alike
            out = Opmath.inFloat(x, t -> Tensor.where(t.gt(0.0), t.mul(scale), t.mul(inputScale).exp().sub(1.0).mul(alpha * scale)));
        }
        return Autograd.record(name, out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.eluBackward(c.grad(), c.saved(0), alpha, scale, inputScale)});
    }

    /**
     * x * relu6(x + 3) / 6 with PyTorch's hardswish_backward: 0 below -3, grad * (x/3 + 1/2) up to 3, grad above.
     * Its scalar loop scales up to 3 inclusive and passes grad at NaN (both comparisons fail); its vectorized loop
     * passes grad from 3 up ({@code >= 3}) and scales a NaN, so the element's place decides (KernelLoops).
     */
    static Tensor hardswish(Tensor x) {
        requireFloatOrBFloat16(x, "hardswish_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Opmath.inFloat(x, t -> t.mul(t.add(3.0).clamp(0.0, 6.0)).div(6.0));
        }
        return Autograd.record("HardswishBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            Tensor s = c.saved(0), g = c.grad();
            Tensor vectorized = KernelLoops.vectorized(g, s);
            return new Tensor[] {Opmath.inFloat(g, s, (gf, sf) -> {
                Tensor scaled = gf.mul(sf.div(3.0).add(0.5));
                Tensor upper = vectorized == null ? Tensor.where(sf.le(3.0), scaled, gf)
                        : Tensor.where(Tensor.where(vectorized, sf.ge(3.0), sf.le(3.0).logicalNot()), gf, scaled);
                return Tensor.where(sf.lt(-3.0), 0.0, upper);
            })};
        });
    }

    /** PyTorch's one_sixth in hardsigmoid_backward is the float 1.0f / 6.0f, also for float64. */
    private static final double ONE_SIXTH_FLOAT = 1.0f / 6.0f;

    /** relu6(x + 3) / 6; the gradient is grad / 6 strictly inside (-3, 3), else 0 (NaN included). */
    static Tensor hardsigmoid(Tensor x) {
        requireFloatOrBFloat16(x, "hardsigmoid_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Opmath.inFloat(x, t -> t.add(3.0).clamp(0.0, 6.0).div(6.0));
        }
        return Autograd.record("HardsigmoidBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            Tensor s = c.saved(0);
            return new Tensor[] {Opmath.inFloat(c.grad(), s, (gf, sf) -> Tensor.where(sf.gt(-3.0).logicalAnd(sf.lt(3.0)), gf.mul(ONE_SIXTH_FLOAT), 0.0))};
        });
    }

    static Tensor gelu(Tensor x, String approximate) {
        requireFloatOrBFloat16(x, "GeluKernelImpl");
        boolean tanh = switch (approximate) {
            case "none" -> false;
            case "tanh" -> true;
            default -> throw new IllegalArgumentException("approximate argument must be either none or tanh.");
        };
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.dtype() == DType.BFLOAT16 ? BFloat16Activations.gelu(x, tanh) : unary(tanh ? UnaryOp.GELU_TANH : UnaryOp.GELU, x);
        }
        return Autograd.record("GeluBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.geluBackward(c.grad(), c.saved(0), tanh)});
    }

    static Tensor silu(Tensor x) {
        requireFloatOrBFloat16(x, "silu_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.dtype() == DType.BFLOAT16 ? BFloat16Activations.silu(x) : unary(UnaryOp.SILU, x);
        }
        // infinitely_differentiable_silu_backward: grad * sigmoid * (1 + x (1 - sigmoid)), with C++'s number operands;
        // without a graph to build PyTorch runs the silu_backward kernel, whose bfloat16 rounds per operation
        return Autograd.record("SiluBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            if (!GradMode.isEnabled() && c.saved(0).dtype() == DType.BFLOAT16 && c.grad().dtype() == DType.BFLOAT16)
                return new Tensor[] {BFloat16Activations.siluBackward(c.grad(), c.saved(0))};
            if (!GradMode.isEnabled() && c.saved(0).dtype() == DType.FLOAT32 && c.grad().dtype() == DType.FLOAT32) {
                // the float32 kernel's 1 + x * (1 - s) is one fused multiply-add (GCC contracts it): float64 holds the
                // product exactly, so its sum rounded to float is the FMA's (but for a double rounding once in ~2^29)
                Tensor self = c.saved(0), s = self.sigmoid();
                Tensor fused = self.to(DType.FLOAT64).mul(oneMinus(s).to(DType.FLOAT64)).add(1.0).to(DType.FLOAT32);
                return new Tensor[] {c.grad().mul(s).mul(fused)};
            }
            Tensor s = c.saved(0).sigmoid();
            return new Tensor[] {c.grad().mul(s).mul(c.saved(0).mul(oneMinus(s)).add(1.0))};
        });
    }

    /** C++'s {@code 1.0 - t}: a tensor filled with 1, then {@code sub_(t)} (SubBackward0 whose first edge is none). */
    static Tensor oneMinus(Tensor t) { return Tensor.onesLike(t).sub(t); }

    /** x * tanh(softplus(x)); the backward is infinitely_differentiable_mish_backward, one MishBackward0 node forward. */
    static Tensor mish(Tensor x) {
        if (x.dtype().isReducedFloat()) throw new IllegalArgumentException("\"mish_cpu\" not implemented for '" + Convolution.scalarName(x) + "'");
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
        requireFloatOrBFloat16(x, "softplus_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = Opmath.inFloat(x, t -> {
                Tensor bx = t.mul(beta);
                return Tensor.where(bx.gt(threshold), t, bx.exp().log1p().div(beta));
            });
        }
        return Autograd.record("SoftplusBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.softplusBackward(c.grad(), c.saved(0), beta, threshold)});
    }

    static Tensor hardtanh(Tensor x, double min, double max) {
        if (min > max) throw new IllegalArgumentException("min_val cannot be greater than max_val");
        if (x.dtype() == DType.FLOAT16) throw new IllegalArgumentException("\"clamp_scalar_cpu\" not implemented for 'Half'");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = x.clamp(min, max);
        }
        return Autograd.record("HardtanhBackward0", out, new Tensor[] {x}, new Tensor[] {x}, c -> {
            return new Tensor[] {ActivationBackwards.hardtanhBackward(c.grad(), c.saved(0), min, max)};
        });
    }

    static Tensor logsigmoid(Tensor x) {
        requireFloatOrBFloat16(x, "log_sigmoid_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            // PyTorch's log_sigmoid gives a row-major result whatever x's memory order
            out = Opmath.inFloat(x.contiguous(), r -> r.clampMax(0.0).sub(r.abs().neg().exp().log1p()));
        }
        return Autograd.record("LogSigmoidBackward0", out, new Tensor[] {x}, new Tensor[] {x},
                c -> new Tensor[] {ActivationBackwards.logSigmoidBackward(c.grad(), c.saved(0))});
    }

    /**
     * max(0, x) + weight * min(0, x), one weight per channel (dim 1) or one for all, as PyTorch 1.13's prelu kernel: its
     * checks in that kernel's order, a row-major result whatever x's memory order, and one PreluBackward0 node that
     * saves x and the weight and reads both whichever gradient is asked for, so an in-place change of either before
     * backward is refused as PyTorch refuses it.
     */
    static Tensor prelu(Tensor x, Tensor weight) {
        int n = weight.numel();
        if (n != 1) {
            if (x.dim() == 0) throw new IllegalArgumentException("Not allow zero-dim input tensor.");
            int channels = x.dim() > 1 ? x.size(1) : 1;
            if (channels != n)
                throw new IllegalArgumentException("Mismatch of parameter numbers and input channel size. Found parameter numbers = " + n
                        + " and channel size = " + channels + ".");
        }
        if (weight.dim() > 1)
            throw new IllegalArgumentException("prelu: Expected `weight` to be a scalar or 1D tensor, but got ndim = " + weight.dim());
        if (weight.dtype() != x.dtype())
            throw new IllegalArgumentException("Found dtype " + Convolution.scalarName(weight) + " but expected " + Convolution.scalarName(x));
        requireFloatOrBFloat16(x, "prelu_cpu");
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor r = x.contiguous();
            out = Tensor.where(r.gt(0.0), r, r.mul(preluWeight(weight, x.dim())));
        }
        return Autograd.record("PreluBackward0", out, new Tensor[] {x, weight}, new Tensor[] {x, weight}, c -> {
            c.unpackAll();
            Tensor self = c.saved(0), w = c.saved(1), positive = self.gt(0.0);
            Tensor gw = null;
            if (c.needs(1)) {
                Tensor slopeGrad = Tensor.where(positive, Tensor.zerosLike(self), self.mul(c.grad()));
                gw = (n == 1 ? slopeGrad.sum() : slopeGrad.sum(allDimsBut1(self.dim()), false)).reshape(w.shape());
            }
            return new Tensor[] {c.needs(0) ? Tensor.where(positive, c.grad(), c.grad().mul(preluWeight(w, self.dim()))) : null, gw};
        });
    }

    private static int[] allDimsBut1(int dims) {
        int[] out = new int[dims - 1];
        for (int d = 0, k = 0; d < dims; d++) if (d != 1) out[k++] = d;
        return out;
    }

    /** The weight shaped to broadcast along x's channel dim (dim 1), or as a 0-dim slope for all. */
    private static Tensor preluWeight(Tensor weight, int dims) {
        if (weight.numel() == 1) return weight.reshape();
        int[] shape = new int[dims];
        java.util.Arrays.fill(shape, 1);
        shape[1] = weight.numel();
        return weight.reshape(shape);
    }
}
