package dev.ember.optim;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.ASGD}, averaged SGD (Polyak &amp; Juditsky), following PyTorch 1.13's
 * {@code _single_tensor_asgd}:
 * <pre>
 * θ ← θ·(1 − λ·η);  θ −= η·g;  ax = (μ == 1) ? θ : ax + μ·(θ − ax)
 * η = lr / (1 + λ·lr·t)^α;  μ = 1 / max(1, t − t0)
 * </pre>
 * State: {@code step}, {@code eta}, {@code mu} (float32 0-dim tensors, so η starts at lr rounded to float32, as
 * in PyTorch) and {@code ax}, the running average of the parameter.
 */
public final class ASGD extends Optimizer {

    /** ASGD's keyword arguments, with PyTorch's defaults (lr 1e-2, lambd 1e-4, alpha 0.75, t0 1e6). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super("lr", 1e-2, "lambd", 1e-4, "alpha", 0.75, "t0", 1e6, "weight_decay", 0L, "foreach", null, "maximize", false);
        }

        public Options lambd(double lambd) { return set("lambd", lambd); }

        public Options alpha(double alpha) { return set("alpha", alpha); }

        public Options t0(double t0) { return set("t0", t0); }
    }

    public static Options options() { return new Options(); }

    public ASGD(Iterable<? extends Tensor> params) { this(params, options()); }

    public ASGD(Iterable<? extends Tensor> params, Options options) {
        validate(options);
        super(params, options);
    }

    public ASGD(List<ParamGroup> groups, Options options) {
        validate(options);
        super(groups, options);
    }

    private static void validate(Options o) {
        double lr = o.number("lr"), wd = o.number("weight_decay");
        if (!(0.0 <= lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyValues.repr(lr));
        if (!(0.0 <= wd)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyValues.repr(wd));
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), lambd = group.getDouble("lambd"), alpha = group.getDouble("alpha"), t0 = group.getDouble("t0");
        double weightDecay = group.getDouble("weight_decay");
        boolean maximize = group.getBool("maximize");
        for (Tensor param : group.params()) {
            Tensor grad = param.grad();
            if (grad == null) continue;
            Map<String, Object> state = stateFor(param);
            if (state.isEmpty()) {
                state.put("step", Tensor.scalar(0.0, DType.FLOAT32));
                state.put("eta", Tensor.scalar(lr, DType.FLOAT32));
                state.put("mu", Tensor.scalar(1.0, DType.FLOAT32));
                state.put("ax", Tensor.zerosLike(param));
            }
            Tensor eta = (Tensor) state.get("eta"), mu = (Tensor) state.get("mu"), ax = (Tensor) state.get("ax");
            Tensor g = maximize ? grad.neg() : grad;
            double step = bumpStep(state);
            if (weightDecay != 0) g = g.add(param, weightDecay);
            param.mul_(1 - lambd * eta.item());
            param.add_(g, -eta.item());
            if (mu.item() != 1) ax.add_(param.sub(ax).mul(mu));
            else ax.copy_(param);
            eta.fill_((float) (lr / Math.pow(1 + lambd * lr * step, alpha)));
            mu.fill_((float) (1 / Math.max(1, step - t0)));
        }
    }

    @Override
    protected void afterLoadStateDict() {
        for (ParamGroup g : paramGroups()) {
            g.putIfAbsent("foreach", null);
            g.putIfAbsent("maximize", false);
        }
        var it = states().iterator();
        if (!it.hasNext()) return;
        Map<String, Object> first = it.next();
        boolean stepIsTensor = first.get("step") instanceof Tensor, etaIsTensor = first.get("eta") instanceof Tensor;
        boolean muIsTensor = first.get("mu") instanceof Tensor;
        for (Map<String, Object> s : states()) {
            if (!stepIsTensor) s.put("step", Tensor.scalar(PyValues.toDouble(s.get("step"), "step"), DType.FLOAT32));
            if (!etaIsTensor) s.put("eta", Tensor.scalar(PyValues.toDouble(s.get("eta"), "eta"), DType.FLOAT32));
            if (!muIsTensor) s.put("mu", Tensor.scalar(PyValues.toDouble(s.get("mu"), "mu"), DType.FLOAT32));
        }
    }
}
