package dev.ember.optim;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adam}, with amsgrad, maximize and coupled (L2) weight decay, following PyTorch 1.13's
 * {@code _single_tensor_adam}:
 * <pre>
 * t += 1;  g = maximize ? −∇ : ∇;  if λ ≠ 0: g += λθ
 * m = β1·m + (1−β1)·g;   v = β2·v + (1−β2)·g²
 * v̂ = amsgrad ? (vmax = max(vmax, v)) : v              (the max of the raw, uncorrected v)
 * θ −= lr/(1−β1ᵗ) · m / (√v̂ / √(1−β2ᵗ) + ε)             (ε added after the bias correction)
 * </pre>
 * State: {@code step} (a float32 0-dim tensor, as PyTorch 1.12+ stores it), {@code exp_avg}, {@code exp_avg_sq},
 * and {@code max_exp_avg_sq} with amsgrad.
 */
public final class Adam extends Optimizer {

    /** Adam's keyword arguments, with PyTorch's defaults (lr 1e-3, betas (0.9, 0.999), eps 1e-8). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super("lr", 1e-3, "betas", PyValues.tuple(0.9, 0.999), "eps", 1e-8, "weight_decay", 0L, "amsgrad", false, "maximize", false,
                    "foreach", null, "capturable", false, "differentiable", false, "fused", false);
        }

        public Options betas(double beta1, double beta2) { return set("betas", PyValues.tuple(beta1, beta2)); }

        public Options eps(double eps) { return set("eps", eps); }

        public Options amsgrad(boolean amsgrad) { return set("amsgrad", amsgrad); }
    }

    public static Options options() { return new Options(); }

    public Adam(Iterable<? extends Tensor> params) { this(params, options()); }

    public Adam(Iterable<? extends Tensor> params, Options options) {
        validate(options);
        super(params, options);
    }

    public Adam(List<ParamGroup> groups, Options options) {
        validate(options);
        super(groups, options);
    }

    /** The checks Adam and AdamW share, with PyTorch's texts. */
    static void validate(OptimizerOptions<?> o) {
        double lr = o.number("lr"), eps = o.number("eps"), wd = o.number("weight_decay");
        double[] betas = PyValues.toDoubles(o.get("betas"), "betas");
        if (!(0.0 <= lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyValues.repr(lr));
        if (!(0.0 <= eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyValues.repr(eps));
        if (!(0.0 <= betas[0] && betas[0] < 1.0)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + PyValues.repr(betas[0]));
        if (!(0.0 <= betas[1] && betas[1] < 1.0)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + PyValues.repr(betas[1]));
        if (!(0.0 <= wd)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyValues.repr(wd));
    }

    @Override
    protected void update(ParamGroup group) { step(this, group, false); }

    /** One Adam (or, with {@code decoupled}, AdamW) update of a group. */
    static void step(Optimizer opt, ParamGroup group, boolean decoupled) {
        double lr = group.lr(), eps = group.getDouble("eps"), weightDecay = group.getDouble("weight_decay");
        double[] betas = group.getDoubles("betas");
        double beta1 = betas[0], beta2 = betas[1];
        boolean amsgrad = group.getBool("amsgrad"), maximize = group.getBool("maximize");
        for (Tensor param : group.params()) {
            Tensor grad = param.grad();
            if (grad == null) continue;
            Map<String, Object> state = opt.stateFor(param);
            if (state.isEmpty()) {
                state.put("step", Tensor.scalar(0.0, DType.FLOAT32));
                state.put("exp_avg", Tensor.zerosLike(param));
                state.put("exp_avg_sq", Tensor.zerosLike(param));
                if (amsgrad) state.put("max_exp_avg_sq", Tensor.zerosLike(param));
            }
            Tensor g = maximize ? grad.neg() : grad;
            Tensor expAvg = (Tensor) state.get("exp_avg"), expAvgSq = (Tensor) state.get("exp_avg_sq");
            double step = bumpStep(state);
            if (decoupled) param.mul_(1 - lr * weightDecay);
            else if (weightDecay != 0) g = g.add(param, weightDecay);
            expAvg.mul_(beta1).add_(g, 1 - beta1);
            expAvgSq.mul_(beta2).addcmul_(g, g, 1 - beta2);
            double biasCorrection1 = 1 - Math.pow(beta1, step), biasCorrection2 = 1 - Math.pow(beta2, step);
            double stepSize = lr / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
            Tensor second = expAvgSq;
            if (amsgrad) {
                if (!(state.get("max_exp_avg_sq") instanceof Tensor max))
                    throw new IllegalStateException("Adam state has no 'max_exp_avg_sq': amsgrad was switched on after the parameter's first step");
                max.copy_(max.maximum(expAvgSq));
                second = max;
            }
            Tensor denom = second.sqrt().div(biasCorrection2Sqrt).add_(eps);
            param.addcdiv_(expAvg, denom, -stepSize);
        }
    }

    @Override
    protected void afterLoadStateDict() {
        for (ParamGroup g : paramGroups()) {
            g.putIfAbsent("amsgrad", false);
            g.putIfAbsent("maximize", false);
            g.putIfAbsent("foreach", null);
            g.putIfAbsent("capturable", false);
            g.putIfAbsent("differentiable", false);
            g.putIfAbsent("fused", false);
        }
        stepsToTensors(this);
    }

    /** State dicts from before PyTorch 1.12 keep {@code step} as a number; it becomes a float32 tensor. */
    static void stepsToTensors(Optimizer opt) {
        var it = opt.states().iterator();
        if (!it.hasNext() || it.next().get("step") instanceof Tensor) return;
        for (Map<String, Object> s : opt.states()) s.put("step", Tensor.scalar(PyValues.toDouble(s.get("step"), "step"), DType.FLOAT32));
    }
}
