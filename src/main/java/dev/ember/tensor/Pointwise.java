package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.spi.BinaryOp;
import dev.ember.tensor.spi.UnaryOp;

/**
 * Elementwise ops with their backward rules (PyTorch's derivatives.yaml, written in tensor ops so that
 * gradients of gradients work). Type promotion follows {@link TypePromotion}; the engine sums broadcast
 * gradients back to each input's shape.
 */
final class Pointwise {
    private Pointwise() {}

    private static final Tensor[] NONE = new Tensor[0];

    static Tensor wrapScalar(Tensor like, double v) { return wrapped(Creation.full(new int[0], v, DType.FLOAT64, like.device())); }

    static Tensor wrapScalar(Tensor like, long v) { return wrapped(Creation.fullLong(new int[0], v, DType.INT64, like.device())); }

    static Tensor wrapScalar(Tensor like, Scalar v) { return v.isFloating() ? wrapScalar(like, v.doubleValue()) : wrapScalar(like, v.longValue()); }

    private static Tensor wrapped(Tensor s) {
        s.wrappedNumber = true;
        s.cppScalar = Autograd.inBackwardRule();
        return s;
    }

    /** A number operand passed inside a backward rule: the C++ Scalar overload, whose node has self as its only input. */
    private static boolean isScalarOverload(Tensor other) { return other.cppScalar && Autograd.inBackwardRule(); }

    // ------------------------------------------------------------ arithmetic

    static Tensor add(Tensor a, Tensor b, Scalar alphaNumber) {
        Shape.broadcast(a.layout().shape(), b.layout().shape()); // PyTorch's meta: shapes before alpha
        checkAlpha(TypePromotion.resultType(a, b), alphaNumber);
        double alpha = alphaNumber.toDouble();
        Tensor out = scaled(BinaryOp.ADD, a, b, alpha, TypePromotion.resultType(a, b));
        if (isScalarOverload(b)) return Autograd.record("AddBackward1", out, a, c -> new Tensor[] {c.grad()});
        return Autograd.record("AddBackward0", out, new Tensor[] {a, b}, NONE,
                c -> new Tensor[] {c.grad(), alpha == 1 ? c.grad() : c.grad().mul(alpha)});
    }

    static Tensor sub(Tensor a, Tensor b, Scalar alphaNumber) {
        checkSub(a, b);
        Shape.broadcast(a.layout().shape(), b.layout().shape());
        checkAlpha(TypePromotion.resultType(a, b), alphaNumber);
        double alpha = alphaNumber.toDouble();
        Tensor out = scaled(BinaryOp.SUB, a, b, alpha, TypePromotion.resultType(a, b));
        // rsub(self, number) has self alone as input, in Python too
        if (a.wrappedNumber) return Autograd.record("RsubBackward1", out, b, c -> new Tensor[] {negated(c.grad(), alpha)});
        if (isScalarOverload(b)) return Autograd.record("SubBackward1", out, a, c -> new Tensor[] {c.grad()});
        return Autograd.record("SubBackward0", out, new Tensor[] {a, b}, NONE, c -> new Tensor[] {c.grad(), negated(c.grad(), alpha)});
    }

    /** PyTorch's {@code maybe_multiply(-grad, alpha)}: a NegBackward0, multiplied only when alpha is not 1. */
    private static Tensor negated(Tensor grad, double alpha) {
        return alpha == 1 ? grad.neg() : grad.neg().mul(alpha);
    }

    /**
     * {@code a op alpha * b} (op ADD or SUB) in {@code rt}, rounded as PyTorch's add kernel rounds it: float32 and
     * float64 fuse the multiply-add (one backend FMA pass), bfloat16 takes alpha as a bfloat16 and computes in
     * float, rounding once; other types multiply, then add, each in their own type.
     */
    static Tensor scaled(BinaryOp op, Tensor a, Tensor b, double alpha, DType rt) {
        if (alpha == 1) return Kernels.binary(op, a, b, rt);
        if (rt == DType.FLOAT32 || rt == DType.FLOAT64) return Kernels.addScaled(a, b, op == BinaryOp.SUB ? -alpha : alpha, rt);
        DType compute = rt == DType.BFLOAT16 ? DType.FLOAT32 : rt;
        double scale = rt == DType.BFLOAT16 ? Scalar.of(alpha).asStoredIn(DType.BFLOAT16) : alpha;
        Tensor rhs = Kernels.binary(BinaryOp.MUL, b, wrapScalar(b, scale), compute);
        // PyTorch runs a + alpha * b as one TensorIterator over a and b, so the result is laid out from b, not from rhs
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape());
        return Kernels.cast(Kernels.binary(op, a, rhs, compute, Kernels.following(shape, compute, a, b)), rt);
    }

    /** PyTorch's sub_check: no bool operand at all, with a different hint when both are bool. */
    static void checkSub(Tensor a, Tensor b) {
        if (a.dtype() == DType.BOOL && b.dtype() == DType.BOOL)
            throw new IllegalArgumentException("Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or `logical_xor()` operator instead.");
        if (a.dtype() == DType.BOOL || b.dtype() == DType.BOOL)
            throw new IllegalArgumentException("Subtraction, the `-` operator, with a bool tensor is not supported. "
                    + "If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
    }

    /** PyTorch's alpha_check: a float alpha (a Java double, even 2.0) on an integral or bool result fails. */
    static void checkAlpha(DType resultType, Scalar alpha) {
        if (!resultType.isFloatingPoint() && alpha.isFloating())
            throw new IllegalArgumentException("For integral input tensors, argument alpha must not be a floating point number.");
    }

    static Tensor mul(Tensor a, Tensor b) { return mul(a, b, isScalarOverload(b)); }

    /**
     * A number saved by a node is a tensor to its rule: PyTorch's {@code grad * other} is {@code mul.Tensor} even when
     * other wrapped a Python number or the node is mul.Scalar's ({@code MulBackward1} multiplies by the scalar as a
     * wrapped tensor), so the rules pass {@code scalarOverload} false.
     */
    private static Tensor mul(Tensor a, Tensor b, boolean scalarOverload) {
        Tensor out = Kernels.binary(BinaryOp.MUL, a, b);
        if (scalarOverload) return Autograd.record("MulBackward1", out, a, c -> new Tensor[] {mul(c.grad(), b, false)});
        Tensor[] saved = {Autograd.savedFor(a, b), Autograd.savedFor(b, a)};
        return Autograd.record("MulBackward0", out, new Tensor[] {a, b}, saved, c -> {
            c.unpackAll();
            // self is unpacked first, so that when both were modified in place the version error names self, as PyTorch's
            Tensor self = c.needs(1) ? c.saved(0) : null, other = c.needs(0) ? c.saved(1) : null;
            return new Tensor[] {other == null ? null : mul(c.grad(), other, false), self == null ? null : mul(c.grad(), self, false)};
        });
    }

    /** {@code floor_divide}: div with {@code rounding_mode="floor"}, but PyTorch gives it no derivative. */
    static Tensor floorDivide(Tensor a, Tensor b) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = div(a, b, "floor");
        }
        return Autograd.notImplemented("floor_divide", out, a, b);
    }

    static Tensor div(Tensor a, Tensor b, String roundingMode) {
        DType rt = TypePromotion.resultType(a, b);
        if (roundingMode == null) return trueDiv(a, b, isScalarOverload(b));
        Tensor out;
        Shape.broadcast(a.layout().shape(), b.layout().shape()); // before the kernel's dtype check, as TensorIterator
        switch (roundingMode) {
            case "floor" -> out = Kernels.binary(BinaryOp.FLOOR_DIVIDE, a, b, refuseBool("div_floor_cpu", rt));
            case "trunc" -> {
                if (!rt.isFloatingPoint()) {
                    out = Kernels.binary(BinaryOp.TRUNC_DIVIDE, a, b, refuseBool("div_trunc_cpu", rt));
                } else {
                    out = Kernels.unaryInPlace(UnaryOp.TRUNC, Kernels.binary(BinaryOp.DIV, a, b, rt));
                }
            }
            default -> throw new IllegalArgumentException("div expected rounding_mode to be one of None, 'trunc', or 'floor' but found '" + roundingMode + "'");
        }
        // the gradients are zero, but PyTorch saves and unpacks other (both formulas name it) and self (other's formula
        // does, so only when other's gradient is wanted): an in-place write to either before backward fails there too
        Tensor[] saved = {b, Autograd.savedFor(a, b)};
        return Autograd.record("DivBackward2", out, new Tensor[] {a, b}, saved, c -> {
            c.unpackAll();
            return new Tensor[] {Tensor.zerosLike(c.grad()), Tensor.zerosLike(c.grad())};
        });
    }

    /** {@code a / b} without rounding; its rules divide by the saved other as a tensor (see {@link #mul(Tensor, Tensor, boolean)}). */
    private static Tensor trueDiv(Tensor a, Tensor b, boolean scalarOverload) {
        Tensor out = Kernels.binary(BinaryOp.DIV, a, b, TypePromotion.toFloating(TypePromotion.resultType(a, b)));
        if (scalarOverload) return Autograd.record("DivBackward1", out, a, c -> new Tensor[] {trueDiv(c.grad(), b, false)});
        // other is read by both formulas, so PyTorch saves it whatever is needed; self only for other's
        Tensor[] saved = {Autograd.savedFor(a, b), b};
        return Autograd.record("DivBackward0", out, new Tensor[] {a, b}, saved, c -> {
            c.unpackAll();
            return new Tensor[] {
                    c.needs(0) ? trueDiv(c.grad(), c.saved(1), false) : null, // -grad * ((self / other) / other)
                    c.needs(1) ? mul(c.grad().neg(), trueDiv(trueDiv(c.saved(0), c.saved(1), false), c.saved(1), false), false) : null};
        });
    }

    /** PyTorch's integer kernels for these ops have no bool instance, so a bool result type is refused. */
    private static DType refuseBool(String kernel, DType rt) {
        if (rt == DType.BOOL) throw new IllegalArgumentException("\"" + kernel + "\" not implemented for 'Bool'");
        return rt;
    }

    static Tensor remainder(Tensor a, Tensor b) {
        Tensor out = Kernels.binary(BinaryOp.REMAINDER, a, b, refuseBool("remainder_cpu", TypePromotion.resultType(a, b)));
        // remainder.Scalar records RemainderBackward0, remainder.Tensor RemainderBackward1 (fmod likewise)
        return Autograd.record(b.wrappedNumber ? "RemainderBackward0" : "RemainderBackward1", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> new Tensor[] {
                c.grad(),
                c.needs(1) ? c.grad().neg().mul(c.saved(0).div(c.saved(1), "floor")) : null});
    }

    /**
     * {@code xlogy(a, b)}: {@code a * log(b)}, 0 where a is 0 unless b is NaN; a floating result, as PyTorch's kernel.
     * A Python number on either side is its own overload (Scalar_Self, Scalar_Other) with its own node and rule.
     */
    static Tensor xlogy(Tensor a, Tensor b) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            DType rt = TypePromotion.toFloating(TypePromotion.resultType(a, b));
            Tensor x = a.to(rt), y = b.to(rt);
            // xlogy's kernel calls std::log, which gives -nan below 0 (torch.log's kernels give +nan there)
            Tensor logY = y.log().maskedFill_(y.lt(0.0), Double.longBitsToDouble(0xFFF8_0000_0000_0000L));
            out = Tensor.where(x.eq(0.0).logicalAnd(y.isnan().logicalNot()), 0.0, x.mul(logY));
        }
        if (a.wrappedNumber) {
            double self = a.item();
            return Autograd.record("XlogyBackward1", out, new Tensor[] {b}, new Tensor[] {b}, c -> new Tensor[] {c.grad().mul(self).div(c.saved(0))});
        }
        if (b.wrappedNumber) {
            double other = b.item();
            return Autograd.record("XlogyBackward2", out, new Tensor[] {a}, new Tensor[] {a}, c -> {
                Tensor gx = c.grad().xlogy(other);
                return new Tensor[] {other > 0 ? gx : gx.maskedFill(c.saved(0).eq(0.0), 0.0)};
            });
        }
        return Autograd.record("XlogyBackward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> {
            Tensor self = c.saved(0), other = c.saved(1);
            return new Tensor[] {
                    c.needs(0) ? xlogy(c.grad(), other).maskedFill(self.eq(0.0).logicalAnd(other.le(0.0)), 0.0) : null,
                    c.needs(1) ? c.grad().mul(self).div(other) : null};
        });
    }

    static Tensor fmod(Tensor a, Tensor b) {
        Tensor out = Kernels.binary(BinaryOp.FMOD, a, b, refuseBool("fmod_cpu", TypePromotion.resultType(a, b)));
        return Autograd.record(b.wrappedNumber ? "FmodBackward0" : "FmodBackward1", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> new Tensor[] {
                c.grad(),
                c.needs(1) ? c.grad().neg().mul(c.saved(0).div(c.saved(1), "trunc")) : null});
    }

    /** {@code pow(self, exponent)} with a Python-number exponent. */
    static Tensor pow(Tensor a, double exponent) { return pow(a, wrapScalar(a, exponent), exponent); }

    /** {@code pow} with an integer exponent keeps an integer tensor's dtype. */
    static Tensor pow(Tensor a, long exponent) {
        checkIntegerPower(a, exponent);
        return pow(a, wrapScalar(a, exponent), exponent);
    }

    /** PyTorch's first check of pow with a Python int (pow_ too, before its dtype check): bool counts as integral. */
    static void checkIntegerPower(Tensor a, long exponent) {
        if (!a.dtype().isFloatingPoint() && exponent < 0)
            throw new IllegalArgumentException("Integers to negative integer powers are not allowed.");
    }

    private static Tensor pow(Tensor a, Tensor e, double exponent) {
        DType rt = refuseBool("pow", TypePromotion.resultType(a, e));
        // the kernel converts the exponent to the tensor's type (float and double take it as a double), with
        // the usual overflow check: int8 ** 200 and float16 ** 1e5 fail
        if (rt != DType.FLOAT32 && rt != DType.FLOAT64) checkFits(e, rt);
        Tensor out;
        // PyTorch's pow_tensor_scalar computes a floating x ** 0.5 as sqrt and x ** -0.5 as rsqrt, which differ
        // from C's pow at -0.0 (-0.0, -inf) and -inf (NaN, NaN); x ** 3 as x * x * x and x ** -2 as 1 / (x * x),
        // each product rounded, so they can differ from a correctly rounded pow in the last bit. A tensor
        // exponent uses pow itself (float16 has none of these fast paths on the CPU, so it keeps pow's values).
        Tensor x = rt.isFloatingPoint() && rt != DType.FLOAT16 ? Kernels.cast(a, rt) : null;
        if (x != null && exponent == 0.5) out = Kernels.unary(UnaryOp.SQRT, x);
        else if (x != null && exponent == -0.5) out = rsqrtKernel(x);
        else if (x != null && exponent == 3) {
            out = Kernels.binary(BinaryOp.MUL, x, x);
            out.backend().binary(BinaryOp.MUL, out.strided(), x.strided(), out.strided()); // in place: one kernel's layout
        } else if (x != null && exponent == -2) out = Kernels.unaryInPlace(UnaryOp.RECIPROCAL, Kernels.binary(BinaryOp.MUL, x, x));
        else out = Kernels.unaryWithScalar(BinaryOp.POW, a, e, rt);
        return Autograd.record("PowBackward0", out, new Tensor[] {a}, new Tensor[] {a}, c -> {
            if (exponent == 0) return new Tensor[] {Tensor.zerosLike(c.grad())};
            return new Tensor[] {c.grad().mul(c.saved(0).pow(exponent - 1).mul(exponent))};
        });
    }

    static Tensor pow(Tensor a, Tensor b) {
        if (b.wrappedNumber && b.dim() == 0) return b.dtype().isFloatingPoint() ? pow(a, b.item()) : pow(a, b.itemLong());
        int[] shape = Shape.broadcast(a.layout().shape(), b.layout().shape()); // before the kernel's dtype check, as TensorIterator
        // a Python-number base (torch.pow(2.0, t)) is PyTorch's pow.Scalar overload, whose node is PowBackward2 and
        // whose result is allocated row-major before it redispatches to the tensor overload
        Tensor out = Kernels.binary(BinaryOp.POW, a, b, refuseBool("pow", TypePromotion.resultType(a, b)), a.wrappedNumber ? Layout.contiguous(shape) : null);
        return Autograd.record(a.wrappedNumber ? "PowBackward2" : "PowBackward1", out, new Tensor[] {a, b}, new Tensor[] {a, b, out}, c -> {
            // the result is unpacked even when the exponent needs no gradient, as PyTorch's PowBackward1 does
            Tensor x = c.saved(0), y = c.saved(1), result = c.saved(2);
            Tensor gx = null, gy = null;
            // where(exponent == 0, 0, grad * (exponent * self.pow(exponent - 1))), PyTorch's operand order
            if (c.needs(0)) gx = Tensor.where(y.eq(0.0), Tensor.zerosLike(c.grad()), c.grad().mul(y.mul(x.pow(y.sub(1L)))));
            if (c.needs(1)) {
                Tensor zero = x.eq(0.0).logicalAnd(y.ge(0.0));
                gy = c.grad().mul(Tensor.where(zero, 0.0, result.mul(x.log())));
            }
            return new Tensor[] {gx, gy};
        });
    }

    static Tensor atan2(Tensor a, Tensor b) {
        DType rt = TypePromotion.toFloating(TypePromotion.resultType(a, b));
        Tensor out = Kernels.binary(BinaryOp.ATAN2, a, b, rt);
        return Autograd.record("Atan2Backward0", out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> {
            // PyTorch's atan2_backward: recip = (self * self + other * other).reciprocal(); grad * other * recip, grad * -self * recip
            Tensor x = c.saved(0), y = c.saved(1);
            Tensor recip = x.mul(x).add(y.mul(y)).reciprocal();
            return new Tensor[] {c.needs(0) ? c.grad().mul(y).mul(recip) : null, c.needs(1) ? c.grad().mul(x.neg()).mul(recip) : null};
        });
    }

    static Tensor maximum(Tensor a, Tensor b) { return extremum(BinaryOp.MAXIMUM, "MaximumBackward0", a, b); }

    static Tensor minimum(Tensor a, Tensor b) { return extremum(BinaryOp.MINIMUM, "MinimumBackward0", a, b); }

    /**
     * maximum/minimum: ties split the gradient in halves, as PyTorch does. Each gradient is its own where() filled
     * in place, as 1.13's formula: the fill keeps where()'s layout, which an out-of-place masked_fill would not.
     */
    private static Tensor extremum(BinaryOp op, String name, Tensor a, Tensor b) {
        Tensor out = Kernels.binary(op, a, b);
        boolean max = op == BinaryOp.MAXIMUM;
        return Autograd.record(name, out, new Tensor[] {a, b}, new Tensor[] {a, b}, c -> {
            Tensor x = c.saved(0), y = c.saved(1), g = c.grad();
            Tensor gx = c.needs(0) ? Tensor.where(x.eq(y), g.div(2.0), g).maskedFill_(max ? x.lt(y) : x.gt(y), 0.0) : null;
            Tensor gy = c.needs(1) ? Tensor.where(x.eq(y), g.div(2.0), g).maskedFill_(max ? x.gt(y) : x.lt(y), 0.0) : null;
            return new Tensor[] {gx, gy};
        });
    }

    static Tensor where(Tensor cond, Tensor x, Tensor y) {
        if (cond.dtype() != DType.BOOL && cond.dtype() != DType.UINT8)
            throw new IllegalArgumentException("where expected condition to be a boolean tensor, but got a tensor with dtype " + TypePromotion.typeName(cond.dtype()));
        DType rt = TypePromotion.resultType(x, y);
        checkFits(x, rt);
        checkFits(y, rt);
        Tensor out = Kernels.where(cond, x, y, rt);
        // the condition is not differentiable, so not an input: next_functions are self's and other's, as PyTorch's
        return Autograd.record("WhereBackward0", out, new Tensor[] {x, y}, new Tensor[] {cond}, c -> {
            Tensor m = c.saved(0), g = c.grad();
            Tensor z = Tensor.zerosLike(g);
            return new Tensor[] {c.needs(0) ? Tensor.where(m, g, z) : null, c.needs(1) ? Tensor.where(m, z, g) : null};
        });
    }

    /**
     * A Python-number operand of where/clamp reaches PyTorch's kernel as a c10::Scalar converted to the
     * result dtype with checked_convert, so a number the dtype cannot hold is refused (arithmetic wraps instead).
     */
    private static void checkFits(Tensor operand, DType rt) {
        if (!operand.wrappedNumber) return;
        Scalar s = operand.dtype().isFloatingPoint() ? Scalar.of(operand.item()) : Scalar.of(operand.itemLong());
        s.checkedFor(rt);
    }

    /** A float op (exp, log, ...): integer input computes in float32, as in PyTorch. */
    static Tensor floatUnary(UnaryOp op, Tensor t) {
        return Kernels.unary(op, Kernels.cast(t, TypePromotion.toFloating(t.dtype())));
    }

    /** Unary plus returns the tensor itself, as PyTorch's positive (no copy, no node). */
    static Tensor positive(Tensor t) {
        if (t.dtype() == DType.BOOL) throw new IllegalArgumentException("The `+` operator, on a bool tensor is not supported.");
        return t;
    }

    static Tensor neg(Tensor t) {
        if (t.dtype() == DType.BOOL)
            throw new IllegalArgumentException("Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.");
        return Autograd.record("NegBackward0", Kernels.unary(UnaryOp.NEG, t), t, c -> new Tensor[] {c.grad().neg()});
    }

    static Tensor abs(Tensor t) {
        if (t.dtype() == DType.BOOL) throw new IllegalArgumentException("\"abs_cpu\" not implemented for 'Bool'");
        Tensor out = Kernels.unary(UnaryOp.ABS, t);
        return Autograd.record("AbsBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().mul(c.saved(0).sgn())});
    }

    static Tensor sign(Tensor t) {
        return Autograd.record("SignBackward0", Kernels.unary(UnaryOp.SIGN, t), t, c -> new Tensor[] {Tensor.zerosLike(c.grad())});
    }

    /** {@code sgn}: sign for real dtypes, under its own node name (abs's backward uses it, as PyTorch's). */
    static Tensor sgn(Tensor t) {
        // PyTorch's SgnBackward0 saves self and the result (for complex inputs) and unpacks both, so changing either
        // in place fails backward
        Tensor out = Kernels.unary(UnaryOp.SIGN, t);
        return Autograd.record("SgnBackward0", out, new Tensor[] {t}, new Tensor[] {t, out}, c -> {
            c.saved(0);
            c.saved(1);
            return new Tensor[] {Tensor.zerosLike(c.grad())};
        });
    }

    /**
     * {@code angle} of a real tensor: pi where x is below zero, 0 elsewhere (-0.0 included), NaN kept as it is; integers
     * and bools compute in the default float dtype. Its derivative is zero, but AngleBackward0 saves self (for the
     * complex formula) and unpacks it, so an in-place change of self before backward fails as in PyTorch.
     */
    static Tensor angle(Tensor t) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            Tensor x = t.isFloatingPoint() ? t : t.to(TypePromotion.toFloating(t.dtype()));
            out = Tensor.where(x.isnan(), x, Tensor.where(x.lt(0L), Math.PI, Tensor.zerosLike(x)));
        }
        return Autograd.record("AngleBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> {
            c.unpackAll();
            return new Tensor[] {Tensor.zerosLike(c.saved(0))};
        });
    }

    static Tensor reciprocal(Tensor t) {
        Tensor out = floatUnary(UnaryOp.RECIPROCAL, t);
        return Autograd.record("ReciprocalBackward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {c.grad().neg().mul(c.saved(0).mul(c.saved(0)))}); // -grad * (result * result), as PyTorch's
    }

    static Tensor square(Tensor t) {
        Tensor in = t.dtype() == DType.BOOL ? Kernels.cast(t, DType.INT64) : t;
        return pow(in, 2L);
    }

    static Tensor exp(Tensor t) {
        Tensor out = floatUnary(UnaryOp.EXP, t);
        return Autograd.record("ExpBackward0", out, new Tensor[] {t}, new Tensor[] {out}, c -> new Tensor[] {c.grad().mul(c.saved(0))});
    }

    static Tensor exp2(Tensor t) {
        Tensor out = floatUnary(UnaryOp.EXP2, t);
        return Autograd.record("Exp2Backward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {c.grad().mul(c.saved(0)).mul(Math.log(2))});
    }

    static Tensor expm1(Tensor t) {
        Tensor out = floatUnary(UnaryOp.EXPM1, t);
        return Autograd.record("Expm1Backward0", out, new Tensor[] {t}, new Tensor[] {out}, c -> new Tensor[] {c.grad().mul(c.saved(0).add(1.0))});
    }

    static Tensor log(Tensor t) {
        Tensor out = floatUnary(UnaryOp.LOG, t);
        return Autograd.record("LogBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().div(c.saved(0))});
    }

    static Tensor log2(Tensor t) {
        Tensor out = floatUnary(UnaryOp.LOG2, t);
        return Autograd.record("Log2Backward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().div(c.saved(0).mul(Math.log(2)))});
    }

    static Tensor log10(Tensor t) {
        Tensor out = floatUnary(UnaryOp.LOG10, t);
        return Autograd.record("Log10Backward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().div(c.saved(0).mul(Math.log(10)))});
    }

    static Tensor log1p(Tensor t) {
        Tensor out = floatUnary(UnaryOp.LOG1P, t);
        return Autograd.record("Log1PBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().div(c.saved(0).add(1.0))});
    }

    static Tensor sqrt(Tensor t) {
        Tensor out = floatUnary(UnaryOp.SQRT, t);
        return Autograd.record("SqrtBackward0", out, new Tensor[] {t}, new Tensor[] {out}, c -> new Tensor[] {c.grad().div(c.saved(0).mul(2.0))});
    }

    static Tensor rsqrt(Tensor t) {
        Tensor out = rsqrtKernel(Kernels.cast(t, TypePromotion.toFloating(t.dtype())));
        return Autograd.record("RsqrtBackward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {c.grad().mul(-0.5).mul(c.saved(0).pow(3.0))}); // -0.5 * grad * result.pow(3), as PyTorch's
    }

    /**
     * PyTorch's float32 rsqrt is {@code 1.0f / sqrtf(x)} (Vectorized<float>::rsqrt): two roundings, where the
     * correctly rounded kernel can be an ulp away (1 / sqrt(127) ends ...419 in PyTorch, ...131 rounded once). Its
     * bfloat16 rsqrt rounds twice to bfloat16 ({@code 1 / std::sqrt(BFloat16)}, rsqrt(0.99609375) = 1.0078125) on
     * the scalar path, but its vectorized loop (32-element blocks of a contiguous run) takes the float32 kernel's
     * value and rounds that once.
     */
    private static Tensor rsqrtKernel(Tensor x) {
        if (x.dtype() != DType.FLOAT32 && x.dtype() != DType.BFLOAT16) return Kernels.unary(UnaryOp.RSQRT, x);
        Tensor out = Kernels.unaryInPlace(UnaryOp.RECIPROCAL, Kernels.unary(UnaryOp.SQRT, x));
        Layout[] vectorized = x.dtype() == DType.BFLOAT16 ? VectorLoop.vectorized(x.layout(), out.layout(), BF16_VECTOR_BLOCK) : null;
        if (vectorized != null) {
            Tensor once = rsqrtKernel(Kernels.cast(new Tensor(x.storage(), vectorized[0]), DType.FLOAT32));
            out.backend().copy(once.strided(), new Tensor(out.storage(), vectorized[1]).strided());
        }
        return out;
    }

    /** The elements of a block in ATen's vectorized loop for bfloat16 on AVX2: two 16-lane vectors. */
    private static final int BF16_VECTOR_BLOCK = 32;

    static Tensor sin(Tensor t) {
        Tensor out = floatUnary(UnaryOp.SIN, t);
        return Autograd.record("SinBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().mul(c.saved(0).cos())});
    }

    static Tensor cos(Tensor t) {
        Tensor out = floatUnary(UnaryOp.COS, t);
        return Autograd.record("CosBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().mul(c.saved(0).sin().neg())});
    }

    static Tensor tan(Tensor t) {
        Tensor out = floatUnary(UnaryOp.TAN, t);
        return Autograd.record("TanBackward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {c.grad().mul(c.saved(0).square().add(1.0))});
    }

    static Tensor asin(Tensor t) {
        Tensor out = floatUnary(UnaryOp.ASIN, t);
        return Autograd.record("AsinBackward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(c.saved(0).square().neg().add(1.0).rsqrt())});
    }

    static Tensor acos(Tensor t) {
        Tensor out = floatUnary(UnaryOp.ACOS, t);
        return Autograd.record("AcosBackward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().mul(c.saved(0).square().neg().add(1.0).rsqrt()).neg()});
    }

    static Tensor atan(Tensor t) {
        Tensor out = floatUnary(UnaryOp.ATAN, t);
        return Autograd.record("AtanBackward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.grad().div(c.saved(0).square().add(1.0))});
    }

    static Tensor sinh(Tensor t) {
        Tensor out = floatUnary(UnaryOp.SINH, t);
        return Autograd.record("SinhBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().mul(c.saved(0).cosh())});
    }

    static Tensor cosh(Tensor t) {
        Tensor out = floatUnary(UnaryOp.COSH, t);
        return Autograd.record("CoshBackward0", out, new Tensor[] {t}, new Tensor[] {t}, c -> new Tensor[] {c.grad().mul(c.saved(0).sinh())});
    }

    static Tensor tanh(Tensor t) {
        Tensor out = floatUnary(UnaryOp.TANH, t);
        return Autograd.record("TanhBackward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {BackwardOps.tanhBackward(c.grad(), c.saved(0))});
    }

    static Tensor sigmoid(Tensor t) {
        Tensor out = floatUnary(UnaryOp.SIGMOID, t);
        return Autograd.record("SigmoidBackward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {BackwardOps.sigmoidBackward(c.grad(), c.saved(0))});
    }

    static Tensor relu(Tensor t) {
        checkNotBoolForRelu(t);
        Tensor out = Kernels.unary(UnaryOp.RELU, t);
        return Autograd.record("ReluBackward0", out, new Tensor[] {t}, new Tensor[] {out},
                c -> new Tensor[] {BackwardOps.thresholdBackward(c.grad(), c.saved(0), 0)});
    }

    /** {@code relu_}: ATen's relu_ refuses bool itself, before clamp_min_'s in-place checks. */
    static Tensor relu_(Tensor t) {
        checkNotBoolForRelu(t);
        return InPlace.pointwise(t, Tensor::relu);
    }

    private static void checkNotBoolForRelu(Tensor t) {
        if (t.dtype() == DType.BOOL) throw new IllegalArgumentException("Boolean inputs not supported for relu");
    }

    static Tensor erf(Tensor t) {
        Tensor out = floatUnary(UnaryOp.ERF, t);
        return Autograd.record("ErfBackward0", out, new Tensor[] {t}, new Tensor[] {t},
                c -> new Tensor[] {c.saved(0).square().neg().exp().mul(2 / Math.sqrt(Math.PI)).mul(c.grad())}); // PyTorch's factor order
    }

    /** An op whose gradient is zero almost everywhere (floor, ceil, round, trunc). */
    private static Tensor stepFunction(UnaryOp op, String name, Tensor t) {
        // integers pass through unchanged, but PyTorch's vectorized kernel has no bool instance
        if (t.dtype() == DType.BOOL) throw notImplemented(op.name().toLowerCase() + "_vml_cpu", t);
        Tensor out = t.dtype().isFloatingPoint() ? Kernels.unary(op, t) : Kernels.copyElementwise(t);
        return Autograd.record(name, out, t, c -> new Tensor[] {Tensor.zerosLike(c.grad())});
    }

    static Tensor floor(Tensor t) { return stepFunction(UnaryOp.FLOOR, "FloorBackward0", t); }

    static Tensor ceil(Tensor t) { return stepFunction(UnaryOp.CEIL, "CeilBackward0", t); }

    static Tensor round(Tensor t) { return stepFunction(UnaryOp.ROUND, "RoundBackward0", t); }

    static Tensor trunc(Tensor t) { return stepFunction(UnaryOp.TRUNC, "TruncBackward0", t); }

    /** {@code round(decimals=d)}: scales by 10^d, rounds half to even, scales back. */
    static Tensor round(Tensor t, int decimals) {
        // unlike round(), PyTorch's round(decimals=) has only floating kernels, even for decimals=0
        if (!t.dtype().isFloatingPoint()) throw notImplemented(decimals == 0 ? "round_vml_cpu" : "round_cpu", t);
        // one kernel in PyTorch: the result takes a unary op's layout, not that of the scaling steps
        Tensor out = Kernels.empty(Layout.following(t.layout().shape(), t.layout()), t.dtype(), t.device());
        double scale = Math.pow(10, Math.abs(decimals));
        try (var g = GradMode.noGrad()) {
            Kernels.write(decimals >= 0 ? t.mul(scale).round().div(scale) : t.div(scale).round().mul(scale), out);
        }
        return Autograd.record("RoundBackward1", out, t, c -> new Tensor[] {Tensor.zerosLike(c.grad())});
    }

    static Tensor frac(Tensor t) {
        if (!t.dtype().isFloatingPoint()) throw notImplemented("frac_cpu", t);
        return Autograd.record("FracBackward0", Kernels.unary(UnaryOp.FRAC, t), t, c -> new Tensor[] {c.grad()});
    }

    private static IllegalArgumentException notImplemented(String kernel, Tensor t) {
        return new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(t.dtype()) + "'");
    }

    /**
     * logical_not, isnan, isinf and isfinite, laid out as PyTorch lays them out. logical_not and isnan
     * ({@code self != self}) are one elementwise op. isinf and isfinite are composites: of an integer tensor,
     * zeros_like / ones_like (preserve_format); of a float tensor, {@code self.abs() == inf} and
     * {@code (self == self) * (self.abs() != inf)}, where the comparison with a number is a binary op, so size-1 and
     * zero-size dims are ordered as a binary op orders them.
     */
    static Tensor unaryBool(UnaryOp op, Tensor t) {
        if (op != UnaryOp.ISINF && op != UnaryOp.ISFINITE) return Kernels.unary(op, t);
        if (!t.dtype().isFloatingPoint()) return Kernels.unary(op, t, Layout.preserving(t.layout()));
        int[] shape = t.layout().shape();
        Layout elementwise = Layout.following(shape, t.layout()), number = Layout.contiguous();
        Layout vsNumber = Layout.following(shape, elementwise, number);
        return Kernels.unary(op, t, op == UnaryOp.ISINF ? vsNumber : Layout.following(shape, elementwise, vsNumber));
    }

    // ------------------------------------------------------------ conversion

    static Tensor to(Tensor t, DType dtype) {
        if (t.dtype() == dtype) return t;
        Tensor out = Kernels.cast(t, dtype);
        if (!dtype.isFloatingPoint()) return out;
        return Autograd.record("ToCopyBackward0", out, t, c -> new Tensor[] {c.grad()});
    }

    static Tensor to(Tensor t, Device device) {
        if (t.device().equals(device)) return t;
        Tensor host = t.contiguous();
        var target = Backends.forDevice(device);
        Tensor out = new Tensor(target.fromHost(host.backend().toHost(host.storage()), device), Layout.contiguous(t.layout().shape()));
        return Autograd.record("ToCopyBackward0", out, t, c -> new Tensor[] {c.grad().to(t.device())});
    }
}
