package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.SGD}: stochastic gradient descent with optional momentum, dampening, Nesterov momentum,
 * L2 weight decay and maximization. As in PyTorch (and unlike Sutskever et al.), the momentum buffer
 * accumulates gradients, {@code b = μ·b + (1 − τ)·g}, starting at {@code b = g} with no dampening on the
 * first step, and the step is {@code θ −= lr·b}. State: {@code momentum_buffer} (null without momentum).
 */
public final class SGD extends Optimizer {

    /** SGD's keyword arguments; {@code lr} is required, the others default as in PyTorch. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super("lr", REQUIRED, "momentum", 0L, "dampening", 0L, "weight_decay", 0L, "nesterov", false, "maximize", false,
                    "foreach", null, "differentiable", false);
        }

        public Options momentum(double momentum) { return set("momentum", momentum); }

        public Options dampening(double dampening) { return set("dampening", dampening); }

        public Options nesterov(boolean nesterov) { return set("nesterov", nesterov); }
    }

    public static Options options() { return new Options(); }

    /** {@code SGD(params, lr=lr)}. */
    public SGD(Iterable<? extends Tensor> params, double lr) { this(params, options().lr(lr)); }

    public SGD(Iterable<? extends Tensor> params, Options options) {
        validate(options);
        super(params, options);
    }

    public SGD(List<ParamGroup> groups, Options options) {
        validate(options);
        super(groups, options);
    }

    private static void validate(Options o) {
        double lr = o.number("lr"), momentum = o.number("momentum"), dampening = o.number("dampening"), wd = o.number("weight_decay");
        if (lr < 0.0) throw new IllegalArgumentException("Invalid learning rate: " + PyValues.repr(lr));
        if (momentum < 0.0) throw new IllegalArgumentException("Invalid momentum value: " + PyValues.repr(momentum));
        if (wd < 0.0) throw new IllegalArgumentException("Invalid weight_decay value: " + PyValues.repr(wd));
        if (o.flag("nesterov") && (momentum <= 0 || dampening != 0))
            throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), momentum = group.getDouble("momentum"), dampening = group.getDouble("dampening");
        double weightDecay = group.getDouble("weight_decay");
        boolean nesterov = group.getBool("nesterov"), maximize = group.getBool("maximize");
        for (Tensor param : group.params()) {
            Tensor grad = param.grad();
            if (grad == null) continue;
            Map<String, Object> state = stateFor(param);
            Tensor d = maximize ? grad.neg() : grad;
            if (weightDecay != 0) d = d.add(param, weightDecay);
            Tensor buf = null;
            if (momentum != 0) {
                buf = (Tensor) state.get("momentum_buffer");
                if (buf == null) buf = d.clone().detach();
                else buf.mul_(momentum).add_(d, 1 - dampening);
                d = nesterov ? d.add(buf, momentum) : buf;
            }
            param.add_(d, -lr);
            state.put("momentum_buffer", buf);
        }
    }

    @Override
    protected void afterLoadStateDict() {
        for (ParamGroup g : paramGroups()) {
            g.putIfAbsent("nesterov", false);
            g.putIfAbsent("maximize", false);
            g.putIfAbsent("foreach", null);
            g.putIfAbsent("differentiable", false);
        }
    }
}
