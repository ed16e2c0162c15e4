package dev.ember.testing;

import dev.ember.autograd.Autograd;
import dev.ember.autograd.GradMode;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code torch.autograd.gradcheck}: analytical gradients from backward against central finite differences,
 * in float64, with PyTorch's defaults (eps 1e-6, atol 1e-5, rtol 1e-3). The function's outputs are
 * reduced with fixed random weights so every output element takes part.
 */
public final class GradCheck {
    private GradCheck() {}

    public static final double EPS = 1e-6, ATOL = 1e-5, RTOL = 1e-3;

    /** Checks {@code f} at {@code inputs} (float64 leaves; the ones requiring grad are perturbed). */
    public static void check(Function<Tensor[], List<Tensor>> f, Tensor... inputs) {
        for (Tensor t : inputs)
            if (t.requiresGrad() && t.dtype() != DType.FLOAT64) throw new IllegalArgumentException("gradcheck needs float64 inputs, got " + t.dtype());
        List<Tensor> outs = f.apply(inputs);
        Generator g = new Generator(1234);
        List<Tensor> weights = new ArrayList<>();
        for (Tensor o : outs) weights.add(o != null && o.requiresGrad() ? Tensor.randn(g, o.shape(), DType.FLOAT64) : null);
        List<Tensor> diffInputs = new ArrayList<>();
        for (Tensor t : inputs) if (t.requiresGrad()) diffInputs.add(t);
        Tensor[] analytical = analytical(outs, weights, diffInputs);
        for (int k = 0; k < diffInputs.size(); k++) {
            Tensor x = diffInputs.get(k);
            double[] num = new double[x.numel()];
            double[] data = x.toDoubleArray();
            for (int i = 0; i < num.length; i++) {
                double orig = data[i];
                set(x, i, orig + EPS);
                double plus = weighted(f.apply(inputs), weights);
                set(x, i, orig - EPS);
                double minus = weighted(f.apply(inputs), weights);
                set(x, i, orig);
                num[i] = (plus - minus) / (2 * EPS);
            }
            double[] ana = analytical[k] == null ? new double[num.length] : analytical[k].toDoubleArray();
            for (int i = 0; i < num.length; i++) {
                if (Math.abs(ana[i] - num[i]) > ATOL + RTOL * Math.abs(num[i]))
                    throw new AssertionError("gradcheck: input " + k + " element " + TensorAssert.index(i, x.shape()) + ": analytical " + ana[i]
                            + " vs numerical " + num[i]);
            }
        }
    }

    private static Tensor[] analytical(List<Tensor> outs, List<Tensor> weights, List<Tensor> inputs) {
        List<Tensor> os = new ArrayList<>(), ws = new ArrayList<>();
        for (int i = 0; i < outs.size(); i++) if (weights.get(i) != null) {
            os.add(outs.get(i));
            ws.add(weights.get(i));
        }
        if (os.isEmpty()) return new Tensor[inputs.size()];
        return Autograd.grad(os.toArray(new Tensor[0]), inputs.toArray(new Tensor[0]), ws.toArray(new Tensor[0]), false, false, true);
    }

    private static double weighted(List<Tensor> outs, List<Tensor> weights) {
        double s = 0;
        try (var ng = GradMode.noGrad()) {
            for (int i = 0; i < outs.size(); i++) if (weights.get(i) != null) s += outs.get(i).to(DType.FLOAT64).mul(weights.get(i)).sum().item();
        }
        return s;
    }

    private static void set(Tensor x, int flat, double v) {
        try (var ng = GradMode.noGrad()) {
            x.view(-1).select(0, flat).fill_(v);
        }
    }
}
