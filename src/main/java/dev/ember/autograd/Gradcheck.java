package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * {@code torch.autograd.gradcheck} and {@code gradgradcheck} (PyTorch 1.13's slow mode): the analytical Jacobian of
 * each differentiable output with respect to each input that requires grad, one backward per output element, against
 * central finite differences, with PyTorch's defaults, checks and messages. Use it on a custom {@link Function} as
 * PyTorch users do: in float64, where the finite differences are accurate.
 */
public final class Gradcheck {
    private Gradcheck() {}

    private static final Logger LOG = Logger.getLogger(Gradcheck.class.getName());

    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** PyTorch's {@code GradcheckError}: a gradient that does not match, or a backward that misbehaves. */
    public static final class GradcheckError extends IllegalStateException {
        GradcheckError(String message) { super(message); }
    }

    private static final String NOT_REENTRANT = "Backward is not reentrant, i.e., running backward with same input and grad_output multiple times "
            + "gives different values, although analytical gradient matches numerical gradient.The tolerance for nondeterminism was %s.\n\n"
            + "NOTE: If your op relies on non-deterministic operations i.e., it is listed here:\n"
            + "https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html\nthis failure might be expected.\n\n"
            + "If you are adding a new operator, please file an issue and then use one of the\n"
            + "workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.\nIf the test\n"
            + "- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck\n  with `nondet_tol=<tol>` as a keyword argument.\n"
            + "- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test\n  to have `gradcheck_nondet_tol=<tol>`.\n"
            + "- is a Module test (e.g., in common_nn.py), then modify the corresponding\n  module_test entry to have `gradcheck_nondet_tol=<tol>`\n";

    /** {@code gradcheck(fn, inputs)} with PyTorch's defaults: true, or a {@link GradcheckError}. */
    public static boolean gradcheck(Function<Tensor[], Tensor[]> fn, Tensor... inputs) {
        return gradcheck(fn, inputs, EPS, ATOL, RTOL, 0.0, true);
    }

    /**
     * {@code gradcheck(fn, inputs, eps, atol, rtol, nondet_tol, raise_exception)}: with {@code raiseException} false a
     * failure returns false instead of throwing.
     */
    public static boolean gradcheck(Function<Tensor[], Tensor[]> fn, Tensor[] inputs, double eps, double atol, double rtol, double nondetTol,
                                    boolean raiseException) {
        try {
            check(fn, inputs, eps, atol, rtol, nondetTol);
            return true;
        } catch (GradcheckError e) {
            if (raiseException) throw e;
            return false;
        }
    }

    /**
     * {@code gradgradcheck(fn, inputs)}: gradcheck of the gradients themselves, taken with {@code create_graph} against
     * random output gradients in [-1, 1) that require grad too.
     */
    public static boolean gradgradcheck(Function<Tensor[], Tensor[]> fn, Tensor... inputs) {
        Tensor[] outs = differentiable(call(fn, inputs));
        Generator g = new Generator(0);
        Tensor[] all = java.util.Arrays.copyOf(inputs, inputs.length + outs.length);
        for (int i = 0; i < outs.length; i++)
            all[inputs.length + i] = Tensor.rand(g, outs[i].shape(), outs[i].dtype()).mul(2.0).sub(1.0).requiresGrad_();
        int n = inputs.length;
        Function<Tensor[], Tensor[]> gradients = args -> {
            Tensor[] in = java.util.Arrays.copyOf(args, n);
            Tensor[] grads = java.util.Arrays.copyOfRange(args, n, args.length);
            Tensor[] o = differentiable(call(fn, in));
            Tensor[] diff = requiringGrad(in);
            List<Tensor> out = new ArrayList<>();
            for (Tensor t : Autograd.grad(o, diff, grads, true, true, true)) if (t != null) out.add(t);
            return out.toArray(new Tensor[0]);
        };
        return gradcheck(gradients, all);
    }

    private static void check(Function<Tensor[], Tensor[]> fn, Tensor[] inputs, double eps, double atol, double rtol, double nondetTol) {
        boolean any = false;
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) continue;
            any = true;
            if (t.dtype() != DType.FLOAT64)
                LOG.warning("Input #" + i + " requires gradient and is not a double precision floating point or complex. This check will likely fail if all "
                        + "the inputs are not of double precision floating point or complex. ");
        }
        if (!any) throw new IllegalArgumentException("gradcheck expects at least one input tensor to require gradient, but none of the them have requires_grad=True.");
        Tensor[] diffInputs = requiringGrad(inputs);
        Tensor[] outs = call(fn, inputs);
        Tensor[][] numerical = numericalJacobians(fn, inputs, diffInputs.length, outs, eps); // [input][output]
        Tensor[] diffOuts = differentiable(outs);
        if (diffOuts.length == 0) {
            for (Tensor[] perInput : numerical)
                for (Tensor j : perInput) if (j.ne(0.0).sum().item() > 0) throw new GradcheckError("Numerical gradient for function expected to be zero");
            return;
        }
        int d = 0;
        for (int o = 0; o < outs.length; o++) {
            if (outs[o] == null || !outs[o].requiresGrad()) continue;
            Tensor[] analytical = analyticalJacobians(outs[o], diffInputs);
            Tensor[] again = analyticalJacobians(outs[o], diffInputs);
            for (int j = 0; j < analytical.length; j++)
                if (analytical[j].numel() > 0 && analytical[j].sub(again[j]).abs().max().item() > nondetTol)
                    throw new GradcheckError(String.format(NOT_REENTRANT, nondetTol)); // Java prints the default 0.0 as Python does
            for (int j = 0; j < diffInputs.length; j++) {
                Tensor a = analytical[j], n = numerical[j][o];
                DType common = DType.promote(a.dtype(), n.dtype());
                if (!a.to(common).allclose(n.to(common), rtol, atol))
                    throw new GradcheckError("Jacobian mismatch for output " + d + " with respect to input " + j + ",\nnumerical:" + n + "\nanalytical:" + a + "\n");
            }
            d++;
        }
        checkZeroGradOutputs(diffOuts, diffInputs);
    }

    /**
     * PyTorch's last two checks: zero output gradients give zero (or no) input gradients, one output at a time and
     * all together, each of the input's dtype and shape.
     */
    private static void checkZeroGradOutputs(Tensor[] outs, Tensor[] inputs) {
        for (Tensor o : outs) {
            for (Tensor g : Autograd.grad(new Tensor[] {o}, inputs, new Tensor[] {Tensor.zerosLike(o)}, true, false, true))
                if (g != null && g.ne(0.0).any().item() != 0)
                    throw new GradcheckError("Expected all input grads to be undefined or zero when all output grads are undefined or zero. Please look at "
                            + "\"Notes about undefined output gradients\" in \"tools/autograd/derivatives.yaml\"");
        }
        Tensor[] zeros = new Tensor[outs.length];
        for (int i = 0; i < outs.length; i++) zeros[i] = Tensor.zerosLike(outs[i]);
        Tensor[] grads = Autograd.grad(outs, inputs, zeros, true, false, true);
        for (int i = 0; i < grads.length; i++) {
            Tensor g = grads[i];
            if (g == null) continue;
            if (g.ne(0.0).any().item() != 0) throw new GradcheckError("backward not multiplied by grad_output");
            if (g.dtype() != inputs[i].dtype()) throw new GradcheckError("grad is incorrect type");
            if (!java.util.Arrays.equals(g.shape(), inputs[i].shape())) throw new GradcheckError("grad is incorrect size");
        }
    }

    /**
     * For each input that requires grad and each output: (input.numel, output.numel), central differences, in the
     * output's dtype. PyTorch perturbs {@code x.data}, whose version counter is its own; Ember perturbs a copy of each
     * input, so that the graph of the outputs being checked sees its inputs unchanged.
     */
    private static Tensor[][] numericalJacobians(Function<Tensor[], Tensor[]> fn, Tensor[] inputs, int diffInputs, Tensor[] outs, double eps) {
        Tensor[][] jac = new Tensor[diffInputs][outs.length];
        Tensor[] copies = inputs.clone();
        for (int p = 0; p < inputs.length; p++)
            if (inputs[p] != null && inputs[p].requiresGrad()) copies[p] = inputs[p].detach().clone().requiresGrad_();
        int j = 0;
        for (int p = 0; p < inputs.length; p++) {
            if (inputs[p] == null || !inputs[p].requiresGrad()) continue;
            Tensor x = copies[p];
            for (int o = 0; o < outs.length; o++)
                jac[j][o] = Tensor.zeros(new int[] {x.numel(), outs[o] == null ? 0 : outs[o].numel()}, outs[o] == null ? DType.FLOAT64 : outs[o].dtype());
            for (int e = 0; e < x.numel(); e++) {
                Tensor entry = element(x.detach(), e);
                Tensor orig;
                try (var ng = GradMode.noGrad()) {
                    orig = entry.clone();
                    entry.copy_(orig.sub(eps));
                }
                Tensor[] minus = call(fn, copies);
                try (var ng = GradMode.noGrad()) {
                    entry.copy_(orig.add(eps));
                }
                Tensor[] plus = call(fn, copies);
                try (var ng = GradMode.noGrad()) {
                    entry.copy_(orig);
                    for (int o = 0; o < outs.length; o++)
                        if (outs[o] != null) jac[j][o].select(0, e).copy_(plus[o].detach().sub(minus[o].detach()).div(2 * eps).reshape(-1));
                }
            }
            j++;
        }
        return jac;
    }

    /** For each input that requires grad: (input.numel, output.numel), column k the gradient of output element k. */
    private static Tensor[] analyticalJacobians(Tensor out, Tensor[] inputs) {
        Tensor[] jac = new Tensor[inputs.length];
        for (int j = 0; j < inputs.length; j++) jac[j] = Tensor.zeros(new int[] {inputs[j].numel(), out.numel()}, inputs[j].dtype());
        for (int k = 0; k < out.numel(); k++) {
            Tensor seed = Tensor.zerosLike(out);
            try (var ng = GradMode.noGrad()) {
                element(seed, k).fill_(1.0);
            }
            Tensor[] grads = Autograd.grad(new Tensor[] {out}, inputs, new Tensor[] {seed}, true, false, true);
            try (var ng = GradMode.noGrad()) {
                for (int j = 0; j < inputs.length; j++) if (grads[j] != null) jac[j].select(1, k).copy_(grads[j].reshape(-1));
            }
        }
        return jac;
    }

    /** Element {@code flat} (row-major) of {@code t} as a 0-dim view, for any strides. */
    private static Tensor element(Tensor t, int flat) {
        int[] shape = t.shape();
        Tensor v = t;
        int[] idx = new int[shape.length];
        for (int dim = shape.length - 1, rest = flat; dim >= 0; dim--) {
            idx[dim] = rest % shape[dim];
            rest /= shape[dim];
        }
        for (int i : idx) v = v.select(0, i);
        return v;
    }

    private static Tensor[] call(Function<Tensor[], Tensor[]> fn, Tensor[] inputs) {
        Tensor[] out = fn.apply(inputs);
        return out == null ? new Tensor[0] : out;
    }

    private static Tensor[] differentiable(Tensor[] outs) {
        List<Tensor> d = new ArrayList<>();
        for (Tensor o : outs) if (o != null && o.requiresGrad()) d.add(o);
        return d.toArray(new Tensor[0]);
    }

    private static Tensor[] requiringGrad(Tensor[] inputs) {
        List<Tensor> d = new ArrayList<>();
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) d.add(t);
        return d.toArray(new Tensor[0]);
    }
}
