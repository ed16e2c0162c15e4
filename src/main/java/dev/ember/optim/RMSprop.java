package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/**
 * {@code torch.optim.RMSprop} (Hinton's lecture 6e form), with centering, momentum, L2 weight decay and
 * maximization, following PyTorch 1.13's {@code _single_tensor_rmsprop}:
 * <pre>
 * v = α·v + (1−α)·g²;   centered: ḡ = α·ḡ + (1−α)·g, avg = √(v − ḡ²) + ε;   else avg = √v + ε
 * momentum: b = μ·b + g/avg, θ −= lr·b;   else θ −= lr·g/avg
 * </pre>
 * State: {@code step} (a Python int here, unlike Adam's tensor), {@code square_avg}, and {@code momentum_buffer}
 * / {@code grad_avg} when the group had momentum / centering at its first step.
 */
public final class RMSprop extends Optimizer {

    /** RMSprop's keyword arguments, with PyTorch's defaults (lr 1e-2, alpha 0.99, eps 1e-8). */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super("lr", 1e-2, "momentum", 0L, "alpha", 0.99, "eps", 1e-8, "centered", false, "weight_decay", 0L, "foreach", null,
                    "maximize", false, "differentiable", false);
        }

        public Options momentum(double momentum) { return set("momentum", momentum); }

        public Options alpha(double alpha) { return set("alpha", alpha); }

        public Options eps(double eps) { return set("eps", eps); }

        public Options centered(boolean centered) { return set("centered", centered); }
    }

    public static Options options() { return new Options(); }

    public RMSprop(Iterable<? extends Tensor> params) { this(params, options()); }

    public RMSprop(Iterable<? extends Tensor> params, Options options) {
        validate(options);
        super(params, options);
    }

    public RMSprop(List<ParamGroup> groups, Options options) {
        validate(options);
        super(groups, options);
    }

    private static void validate(Options o) {
        double lr = o.number("lr"), eps = o.number("eps"), momentum = o.number("momentum"), wd = o.number("weight_decay"), alpha = o.number("alpha");
        if (!(0.0 <= lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyValues.repr(lr));
        if (!(0.0 <= eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyValues.repr(eps));
        if (!(0.0 <= momentum)) throw new IllegalArgumentException("Invalid momentum value: " + PyValues.repr(momentum));
        if (!(0.0 <= wd)) throw new IllegalArgumentException("Invalid weight_decay value: " + PyValues.repr(wd));
        if (!(0.0 <= alpha)) throw new IllegalArgumentException("Invalid alpha value: " + PyValues.repr(alpha));
    }

    @Override
    protected void update(ParamGroup group) {
        double lr = group.lr(), alpha = group.getDouble("alpha"), eps = group.getDouble("eps");
        double weightDecay = group.getDouble("weight_decay"), momentum = group.getDouble("momentum");
        boolean centered = group.getBool("centered"), maximize = group.getBool("maximize");
        for (Tensor param : group.params()) {
            Tensor grad = param.grad();
            if (grad == null) continue;
            Map<String, Object> state = stateFor(param);
            if (state.isEmpty()) {
                state.put("step", 0L);
                state.put("square_avg", Tensor.zerosLike(param));
                if (momentum > 0) state.put("momentum_buffer", Tensor.zerosLike(param));
                if (centered) state.put("grad_avg", Tensor.zerosLike(param));
            }
            state.put("step", ((Number) state.get("step")).longValue() + 1);
            Tensor g = maximize ? grad.neg() : grad;
            if (weightDecay != 0) g = g.add(param, weightDecay);
            Tensor squareAvg = required(state, "square_avg");
            squareAvg.mul_(alpha).addcmul_(g, g, 1 - alpha);
            Tensor avg;
            if (centered) {
                Tensor gradAvg = required(state, "grad_avg");
                gradAvg.mul_(alpha).add_(g, 1 - alpha);
                avg = squareAvg.addcmul(gradAvg, gradAvg, -1).sqrt_();
            } else {
                avg = squareAvg.sqrt();
            }
            avg = avg.add_(eps);
            if (momentum > 0) {
                Tensor buf = required(state, "momentum_buffer");
                buf.mul_(momentum).addcdiv_(g, avg, 1);
                param.add_(buf, -lr);
            } else {
                param.addcdiv_(g, avg, -lr);
            }
        }
    }

    /** A state entry PyTorch indexes directly (its KeyError when, e.g., momentum was switched on after the first step). */
    private static Tensor required(Map<String, Object> state, String key) {
        if (!(state.get(key) instanceof Tensor t))
            throw new IllegalStateException("RMSprop state has no '" + key + "': the group's options changed after its first step");
        return t;
    }

    @Override
    protected void afterLoadStateDict() {
        for (ParamGroup g : paramGroups()) {
            g.putIfAbsent("momentum", 0L);
            g.putIfAbsent("centered", false);
            g.putIfAbsent("foreach", null);
            g.putIfAbsent("maximize", false);
            g.putIfAbsent("differentiable", false);
        }
    }
}
