package dev.ember.optim;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.Adagrad}, following PyTorch 1.13's {@code _single_tensor_adagrad}:
 * {@code t += 1; clr = lr / (1 + (t−1)·lr_decay); sum += g²; θ −= clr · g / (√sum + ε)}.
 * State: {@code step} (float32 0-dim tensor) and {@code sum} (starting at {@code initial_accumulator_value}).
 *
 * <p>PyTorch creates this state eagerly, for every parameter, when the optimizer is built. Ember also creates
 * it for groups added later by {@link #addParamGroup}; PyTorch 1.13 does not, so its next step fails there
 * with {@code KeyError: 'sum'}.
 */
public final class Adagrad extends Optimizer {

    /** Adagrad's keyword arguments, with PyTorch's defaults (lr 1e-2, eps 1e-10). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super("lr", 1e-2, "lr_decay", 0L, "eps", 1e-10, "weight_decay", 0L, "initial_accumulator_value", 0L, "foreach", null, "maximize", false);
        }

        public Options lrDecay(double lrDecay) { return set("lr_decay", lrDecay); }

        public Options eps(double eps) { return set("eps", eps); }

        public Options initialAccumulatorValue(double value) { return set("initial_accumulator_value", value); }
    }

    public static Options options() { return new Options(); }

    public Adagrad(Iterable<? extends Tensor> params) { this(params, options()); }

    public Adagrad(Iterable<? extends Tensor> params, Options options) {
        validate(options);
        super(params, options);
    }

    public Adagrad(List<ParamGroup> groups, Options options) {
        validate(options);
        super(groups, options);
    }

    private static void validate(Options o) {
        double lr = o.number("lr"), lrDecay = o.number("lr_decay"), wd = o.number("weight_decay");
        double init = o.number("initial_accumulator_value"), eps = o.number("eps");
        if (!(0.0 <= lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyValues.repr(lr));
        if (!(0.0 <= lrDecay)) throw new IllegalArgumentException("Invalid lr_decay value: " + PyValues.repr(lrDecay));
        if (!(0.0 <= wd)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyValues.repr(wd));
        if (!(0.0 <= init)) throw new IllegalArgumentException("Invalid initial_accumulator_value value: " + PyValues.repr(init));
        if (!(0.0 <= eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyValues.repr(eps));
    }

    /** PyTorch's {@code __init__} loop: every parameter gets {@code step = 0} and {@code sum = initial_accumulator_value}. */
    @Override
    protected void initGroupState(ParamGroup group) {
        double init = group.getDouble("initial_accumulator_value");
        for (Tensor p : group.params()) {
            Map<String, Object> state = stateFor(p);
            state.put("step", Tensor.scalar(0.0, DType.FLOAT32));
            state.put("sum", Tensor.fullLike(p, init));
        }
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), lrDecay = group.getDouble("lr_decay"), eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay");
        boolean maximize = group.getBool("maximize");
        for (Tensor param : group.params()) {
            Tensor grad = param.grad();
            if (grad == null) continue;
            Map<String, Object> state = stateFor(param);
            double step = bumpStep(state);
            Tensor g = maximize ? grad.neg() : grad;
            if (weightDecay != 0) g = g.add(param, weightDecay);
            double clr = lr / (1 + (step - 1) * lrDecay);
            Tensor sum = (Tensor) state.get("sum");
            sum.addcmul_(g, g, 1);
            Tensor std = sum.sqrt().add_(eps);
            param.addcdiv_(g, std, -clr);
        }
    }

    @Override
    protected void afterLoadStateDict() {
        for (ParamGroup g : paramGroups()) {
            g.putIfAbsent("foreach", null);
            g.putIfAbsent("maximize", false);
        }
        Adam.stepsToTensors(this);
    }
}
