package dev.ember.tensor;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;

/**
 * lerp, addcmul and addcdiv (and lerp_, addcdiv_): the ternary pointwise ops PyTorch runs as one fused kernel, so a
 * reduced float computes in float32 (opmath) and rounds once, the result is laid out from all operands, and the
 * dtype and value checks come in that kernel's order.
 */
final class FusedPointwise {
    private FusedPointwise() {}

    static Tensor lerp(Tensor self, Tensor end, Scalar weightNumber) {
        checkLerpDtypes(self, end);
        int[] shape = Shape.broadcast(self.layout().shape(), end.layout().shape()); // TensorIterator's, before the kernel
        // PyTorch 1.13's CPU kernel has float, double and bfloat16 instances only
        if (!self.isFloatingPoint() || self.dtype() == DType.FLOAT16)
            throw new IllegalArgumentException("\"lerp_kernel_scalar\" not implemented for '" + TypePromotion.typeName(self.dtype()) + "'");
        double weight = weightNumber.toDouble();
        Tensor out = Kernels.empty(Layout.following(shape, self.layout(), end.layout()), self.dtype(), self.device());
        try (var g = GradMode.noGrad()) {
            // PyTorch 1.13's lerp: from self when weight < 0.5 (a negative weight too, no abs yet), else from end, so
            // lerp(inf, 1, 0.5) is inf rather than inf - inf; a reduced float computes in float32 and rounds once
            DType op = self.dtype().isReducedFloat() ? DType.FLOAT32 : self.dtype();
            Tensor s = self.to(op), e = end.to(op);
            Kernels.write(weight < 0.5 ? s.add(e.sub(s).mul(weight)) : e.sub(e.sub(s).mul(1 - weight)), out);
        }
        return Autograd.record("LerpBackward0", out, new Tensor[] {self, end}, new Tensor[0],
                c -> new Tensor[] {c.grad().mul(1 - weight), c.grad().mul(weight)});
    }

    /**
     * {@code lerp(end, weight)} with a weight tensor that broadcasts with both (of their dtype: lerp does not promote),
     * from self where the weight is below 0.5 and from end elsewhere, as the scalar form.
     */
    static Tensor lerp(Tensor self, Tensor end, Tensor weight) {
        checkLerpDtypes(self, end);
        if (weight.dtype() != self.dtype())
            throw new IllegalArgumentException("expected dtype " + Scalar.typeMetaName(self.dtype()) + " for `weight` but got dtype " + Scalar.typeMetaName(weight.dtype()));
        int[] shape = Shape.broadcast(Shape.broadcast(self.layout().shape(), end.layout().shape()), weight.layout().shape());
        if (!self.isFloatingPoint() || self.dtype() == DType.FLOAT16)
            throw new IllegalArgumentException("\"lerp_kernel_tensor\" not implemented for '" + TypePromotion.typeName(self.dtype()) + "'");
        Tensor out = Kernels.empty(Layout.following(shape, self.layout(), end.layout(), weight.layout()), self.dtype(), self.device());
        try (var g = GradMode.noGrad()) {
            DType op = self.dtype().isReducedFloat() ? DType.FLOAT32 : self.dtype();
            Tensor s = self.to(op), e = end.to(op), w = weight.to(op), diff = e.sub(s);
            Kernels.write(Tensor.where(w.lt(0.5), s.add(w.mul(diff)), e.sub(diff.mul(w.rsub(1L)))), out);
        }
        // 1.13's saved set, unpacked whole before the rule runs: the weight (self's and end's formulas read it) always,
        // self and end only for the weight's gradient; unpacked weight first, then self, as PyTorch's node does
        Tensor[] saved = {weight, Autograd.savedFor(self, weight), Autograd.savedFor(end, weight)};
        return Autograd.record("LerpBackward1", out, new Tensor[] {self, end, weight}, saved, c -> {
            c.unpackAll();
            return new Tensor[] {
                    c.needs(0) ? c.grad().mul(c.saved(0).rsub(1L)) : null,
                    c.needs(1) ? c.grad().mul(c.saved(0)) : null,
                    c.needs(2) ? c.grad().mul(c.saved(2).sub(c.saved(1))) : null};
        });
    }

    static Tensor lerp_(Tensor self, Tensor end, Tensor weight) {
        Autograd.checkInplace(self, end, weight);
        checkLerpDtypes(self, end);
        return InPlace.pointwise(self, x -> lerp(x[0], x[1], x[2]), end, weight);
    }

    /** {@code lerp_}: PyTorch checks the dtypes after autograd's leaf check and before overlap and broadcast shape. */
    static Tensor lerp_(Tensor self, Tensor end, Scalar weight) {
        Autograd.checkInplace(self, end);
        checkLerpDtypes(self, end);
        return InPlace.pointwise(self, x -> lerp(x[0], x[1], weight), end);
    }

    /**
     * lerp does not promote: both tensors must already have the same floating dtype (the dtype check comes first:
     * an int64 self with a float end names the mismatch, not the kernel).
     */
    private static void checkLerpDtypes(Tensor self, Tensor end) {
        if (end.dtype() != self.dtype())
            throw new IllegalArgumentException("expected dtype " + Scalar.typeMetaName(self.dtype()) + " for `end` but got dtype " + Scalar.typeMetaName(end.dtype()));
    }

    static Tensor addcmul(Tensor self, Tensor t1, Tensor t2, Scalar valueNumber) {
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = inOpmath("addcmul_cpu_out", self, t1, t2, valueNumber, (a, scaled, c) -> a.add(scaled.mul(c)));
        }
        double value = valueNumber.toDouble();
        // each of tensor1 and tensor2 is read by the other's formula only, so 1.13 saves it only when that gradient is
        // wanted, and unpacks what it saved (tensor1 first) before the rule runs
        Tensor[] saved = {Autograd.savedFor(t1, t2), Autograd.savedFor(t2, t1)};
        return Autograd.record("AddcmulBackward0", out, new Tensor[] {self, t1, t2}, saved, c -> {
            c.unpackAll();
            return new Tensor[] {
                c.grad(),
                // derivatives.yaml's grouping, which decides the roundings of a reduced-precision operand
                c.needs(1) ? c.grad().mul(c.saved(1).mul(value)) : null,
                c.needs(2) ? c.grad().mul(c.saved(0).mul(value)) : null};
        });
    }

    /**
     * PyTorch's addcmul/addcdiv kernels: all three operands in their common dtype (so uint8 tensors multiply without
     * wrapping when self is wider), computing {@code self + value * t1 op t2} left to right; a float16/bfloat16
     * result computes in float (opmath) and rounds once. The value converts to the computing dtype as
     * {@code Scalar::to}: checked for overflow, a float truncated for an integer dtype.
     */
    private static Tensor inOpmath(String kernel, Tensor self, Tensor t1, Tensor t2, Scalar value, TernaryFn f) {
        // TensorIterator's order: the operands broadcast (self, t1, t2) before the kernel looks at the dtype, and
        // the result is laid out from all three promoted to rt (not from the first step's operands)
        int[] shape = Shape.broadcast(self.layout().shape(), t1.layout().shape(), t2.layout().shape());
        DType rt = TypePromotion.resultType(self, t1, t2);
        // PyTorch 1.13's CPU kernels have a bfloat16 instance but no half or bool one
        if (rt == DType.BOOL || rt == DType.FLOAT16)
            throw new IllegalArgumentException("\"" + kernel + "\" not implemented for '" + TypePromotion.typeName(rt) + "'");
        DType op = rt.isReducedFloat() ? DType.FLOAT32 : rt;
        value.checkedFor(op);
        Tensor a = Kernels.cast(self, op), b = Kernels.cast(t1, op), c = Kernels.cast(t2, op);
        Tensor scaled = op.isFloatingPoint() ? b.mul(value.toDouble()) : b.mul(value.isFloating() ? (long) value.doubleValue() : value.longValue());
        Tensor out = Kernels.empty(Kernels.following(shape, rt, self, t1, t2), rt, self.device());
        Kernels.write(f.apply(a, scaled, c), out);
        return out;
    }

    private interface TernaryFn { Tensor apply(Tensor a, Tensor b, Tensor c); }

    static Tensor addcdiv(Tensor self, Tensor t1, Tensor t2, Scalar valueNumber) {
        checkDivisible(t1, t2);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = inOpmath("addcdiv_cpu_out", self, t1, t2, valueNumber, (a, scaled, c) -> a.add(scaled.div(c)));
        }
        double value = valueNumber.toDouble();
        // tensor2 is read by both tensor1's and tensor2's formulas, so 1.13 saves it whatever is wanted (a later write to it
        // fails backward even when only self requires grad); tensor1 only for tensor2's gradient
        Tensor[] saved = {Autograd.savedFor(t1, t2), t2};
        return Autograd.record("AddcdivBackward0", out, new Tensor[] {self, t1, t2}, saved, c -> {
            c.unpackAll();
            return new Tensor[] {
                c.grad(),
                // derivatives.yaml's grad * (value / t2) and -grad * (value * t1 / (t2 * t2)), grouped as written (a
                // Scalar over a tensor is full_like(t2, value) / t2), which decides the roundings of a bfloat16 t2
                c.needs(1) ? c.grad().mul(Tensor.fullLike(c.saved(1), value).div(c.saved(1))) : null,
                c.needs(2) ? c.grad().neg().mul(c.saved(0).mul(value).div(c.saved(1).mul(c.saved(1)))) : null};
        });
    }

    /** {@code addcdiv_}: PyTorch refuses integer operands before its in-place checks (overlap, leaf) run. */
    static Tensor addcdiv_(Tensor self, Tensor t1, Tensor t2, Scalar value) {
        checkDivisible(t1, t2);
        return InPlace.pointwise(self, x -> addcdiv(x[0], x[1], x[2], value), t1, t2);
    }

    private static void checkDivisible(Tensor t1, Tensor t2) {
        if (!t1.isFloatingPoint() && !t2.isFloatingPoint()) // PyTorch refuses rather than pick a division
            throw new IllegalArgumentException("Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. "
                    + "The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs "
                    + "and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: "
                    + "(input + value * tensor1 / tensor2), for all dtypes.");
    }

    // ------------------------------------------------------------ unary

}
