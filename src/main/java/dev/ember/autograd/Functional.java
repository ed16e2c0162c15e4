package dev.ember.autograd;

import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * {@code torch.autograd.functional}: Jacobians, Hessians and vector products of a function, by reverse mode (one
 * backward per output element), as PyTorch 1.13 computes them without {@code vectorize}. The function runs on
 * detached copies of the inputs that require grad; with {@code createGraph} the results keep a graph to the
 * original inputs, without it they are detached. An input an output does not depend on gets zeros, or in strict
 * mode PyTorch's error.
 */
public final class Functional {
    private Functional() {}

    /** A function's output with a product of its derivative ({@code vjp}, {@code jvp}, {@code vhp}, {@code hvp}). */
    public record Product(Tensor output, Tensor value) {}

    /** {@code jacobian(f, x)}: shape {@code f(x).shape + x.shape}. */
    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x) { return jacobian(f, x, false, false); }

    public static Tensor jacobian(UnaryOperator<Tensor> f, Tensor x, boolean createGraph, boolean strict) {
        return jacobian(in -> new Tensor[] {f.apply(in[0])}, new Tensor[] {x}, createGraph, strict)[0][0];
    }

    /** {@code jacobian(f, (x0, x1, ...))}: element [i][j] is output i's Jacobian with respect to input j. */
    public static Tensor[][] jacobian(Function<Tensor[], Tensor[]> f, Tensor[] inputs, boolean createGraph, boolean strict) {
        Tensor[] in = prepare(inputs, createGraph);
        Tensor[] outs;
        try (var grad = GradMode.enableGrad()) {
            outs = f.apply(in);
        }
        Tensor[][] jac = new Tensor[outs.length][in.length];
        for (int i = 0; i < outs.length; i++) {
            Tensor out = outs[i];
            Tensor[][] rows = new Tensor[in.length][out.numel()];
            for (int k = 0; k < out.numel(); k++) {
                Tensor[] grads = out.requiresGrad() ? gradOfElement(out, k, in, createGraph) : new Tensor[in.length];
                for (int j = 0; j < in.length; j++) {
                    if (grads[j] == null && strict)
                        throw new IllegalStateException("Output " + i + " of the user-provided function is independent of input " + j + ". This is not allowed in strict mode.");
                    rows[j][k] = grads[j] != null ? grads[j] : Tensor.zerosLike(in[j]);
                }
            }
            for (int j = 0; j < in.length; j++) {
                Tensor stacked = out.numel() == 0 ? Tensor.zeros(new int[] {0}, in[j].dtype()) : Tensor.stack(Arrays.asList(rows[j]), 0);
                jac[i][j] = finish(stacked.view(concat(out.shape(), in[j].shape())), createGraph);
            }
        }
        return jac;
    }

    /** {@code hessian(f, x)} for a function returning a single element: shape {@code x.shape + x.shape}. */
    public static Tensor hessian(UnaryOperator<Tensor> f, Tensor x) { return hessian(in -> f.apply(in[0]), new Tensor[] {x}, false, false)[0][0]; }

    /** {@code hessian(f, (x0, x1, ...))}: element [i][j] holds the second derivatives in x_i and x_j. */
    public static Tensor[][] hessian(Function<Tensor[], Tensor> f, Tensor[] inputs, boolean createGraph, boolean strict) {
        Function<Tensor[], Tensor[]> gradient = in -> {
            Tensor out = scalarOutput(f.apply(in));
            Tensor[] g = Autograd.grad(new Tensor[] {out}, in, null, true, true, true);
            for (int j = 0; j < g.length; j++) {
                if (g[j] == null && strict)
                    throw new IllegalStateException("The output of the user-provided function is independent of input " + j + ". This is not allowed in strict mode.");
                if (g[j] == null) g[j] = Tensor.zerosLike(in[j]);
            }
            return g;
        };
        return jacobian(gradient, inputs, createGraph, strict);
    }

    /** {@code vjp(f, x, v)}: {@code v}ᵀ·J, and f(x). {@code v} may be null when f returns a single element. */
    public static Product vjp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        Tensor in = prepare(new Tensor[] {x}, false)[0];
        Tensor out = run(f, in);
        if (v == null && out.numel() != 1)
            throw new IllegalStateException("The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
        Tensor seed = v == null ? Tensor.onesLike(out) : checkedShape(v, out);
        Tensor g = out.requiresGrad() ? Autograd.grad(new Tensor[] {out}, new Tensor[] {in}, new Tensor[] {seed}, true, false, true)[0] : null;
        return new Product(out.detach(), g != null ? g.detach() : Tensor.zerosLike(in));
    }

    /**
     * {@code jvp(f, x, v)}: J·{@code v}, and f(x), by PyTorch's double-backward trick (the backward of a backward
     * against a dummy output gradient). {@code v} may be null when x is a single element.
     */
    public static Product jvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        if (v == null && x.numel() != 1)
            throw new IllegalStateException("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
        Tensor in = prepare(new Tensor[] {x}, false)[0];
        Tensor seed = v == null ? Tensor.onesLike(in) : checkedShape(v, in);
        Tensor out = run(f, in);
        if (!out.requiresGrad()) return new Product(out.detach(), Tensor.zerosLike(out));
        Tensor dummy = Tensor.zerosLike(out).requiresGrad_();
        Tensor back = Autograd.grad(new Tensor[] {out}, new Tensor[] {in}, new Tensor[] {dummy}, true, true, true)[0];
        Tensor g = back == null || !back.requiresGrad() ? null : Autograd.grad(new Tensor[] {back}, new Tensor[] {dummy}, new Tensor[] {seed}, true, false, true)[0];
        return new Product(out.detach(), g != null ? g.detach() : Tensor.zerosLike(out));
    }

    /** {@code vhp(f, x, v)}: {@code v}ᵀ·H for a function returning a single element, and f(x). */
    public static Product vhp(UnaryOperator<Tensor> f, Tensor x, Tensor v) { return hessianProduct(f, x, v); }

    /** {@code hvp(f, x, v)}: H·{@code v}, which equals vᵀ·H since the Hessian is symmetric, and f(x). */
    public static Product hvp(UnaryOperator<Tensor> f, Tensor x, Tensor v) { return hessianProduct(f, x, v); }

    private static Product hessianProduct(UnaryOperator<Tensor> f, Tensor x, Tensor v) {
        Tensor in = prepare(new Tensor[] {x}, false)[0];
        if (v == null && in.numel() != 1)
            throw new IllegalStateException("The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
        Tensor seed = v == null ? Tensor.onesLike(in) : checkedShape(v, in);
        Tensor out = scalarOutput(run(f, in));
        Tensor g = out.requiresGrad() ? Autograd.grad(new Tensor[] {out}, new Tensor[] {in}, null, true, true, true)[0] : null;
        Tensor h = g == null || !g.requiresGrad() ? null : Autograd.grad(new Tensor[] {g}, new Tensor[] {in}, new Tensor[] {seed}, true, false, true)[0];
        return new Product(out.detach(), h != null ? h.detach() : Tensor.zerosLike(in));
    }

    private static Tensor run(UnaryOperator<Tensor> f, Tensor in) {
        try (var grad = GradMode.enableGrad()) {
            return f.apply(in);
        }
    }

    /** PyTorch's _grad_preprocess: a detached copy that requires grad, or with createGraph a view keeping the input's graph. */
    private static Tensor[] prepare(Tensor[] inputs, boolean createGraph) {
        Tensor[] in = new Tensor[inputs.length];
        for (int i = 0; i < in.length; i++)
            in[i] = createGraph && inputs[i].requiresGrad() ? inputs[i].viewAs(inputs[i]) : inputs[i].detach().requiresGrad_();
        return in;
    }

    private static Tensor[] gradOfElement(Tensor out, int k, Tensor[] in, boolean createGraph) {
        Tensor seed = Tensor.zeros(new int[] {out.numel()}, out.dtype());
        try (var ng = GradMode.noGrad()) {
            seed.select(0, k).fill_(1.0);
        }
        return Autograd.grad(new Tensor[] {out}, in, new Tensor[] {seed.view(out.shape())}, true, createGraph, true);
    }

    private static Tensor finish(Tensor t, boolean createGraph) { return createGraph ? t : t.detach(); }

    private static Tensor scalarOutput(Tensor out) {
        if (out.numel() != 1) throw new IllegalStateException("The Tensor returned by the function given to hessian should contain a single element");
        return out;
    }

    private static Tensor checkedShape(Tensor v, Tensor like) {
        if (!Arrays.equals(v.shape(), like.shape()))
            throw new IllegalStateException("v has invalid size: should be torch.Size(" + Shape.str(like.shape()) + ") but got torch.Size(" + Shape.str(v.shape()) + ").");
        return v;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
