package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** Builds an Ember optimizer from a fixture's class name and PyTorch keyword arguments, through the typed options. */
public final class OptimFactory {
    private OptimFactory() {}

    /** {@code params} is a {@code List<Tensor>} or a {@code List<ParamGroup>}. */
    @SuppressWarnings("unchecked")
    public static Optimizer make(String name, Map<String, Object> kwargs, List<?> params) {
        boolean groups = !params.isEmpty() && params.getFirst() instanceof ParamGroup;
        List<Tensor> ps = groups ? null : (List<Tensor>) params;
        List<ParamGroup> gs = groups ? (List<ParamGroup>) params : null;
        return switch (name) {
            case "SGD" -> {
                var o = SGD.options();
                kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "momentum" -> o.momentum(d(v));
                        case "dampening" -> o.dampening(d(v));
                        case "nesterov" -> o.nesterov((Boolean) v);
                        default -> common(o, k, v);
                    }
                });
                yield groups ? new SGD(gs, o) : new SGD(ps, o);
            }
            case "Adam" -> {
                var o = Adam.options();
                kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "betas" -> o.betas(d(((Object[]) v)[0]), d(((Object[]) v)[1]));
                        case "eps" -> o.eps(d(v));
                        case "amsgrad" -> o.amsgrad((Boolean) v);
                        default -> common(o, k, v);
                    }
                });
                yield groups ? new Adam(gs, o) : new Adam(ps, o);
            }
            case "AdamW" -> {
                var o = AdamW.options();
                kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "betas" -> o.betas(d(((Object[]) v)[0]), d(((Object[]) v)[1]));
                        case "eps" -> o.eps(d(v));
                        case "amsgrad" -> o.amsgrad((Boolean) v);
                        default -> common(o, k, v);
                    }
                });
                yield groups ? new AdamW(gs, o) : new AdamW(ps, o);
            }
            case "RMSprop" -> {
                var o = RMSprop.options();
                kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "momentum" -> o.momentum(d(v));
                        case "alpha" -> o.alpha(d(v));
                        case "eps" -> o.eps(d(v));
                        case "centered" -> o.centered((Boolean) v);
                        default -> common(o, k, v);
                    }
                });
                yield groups ? new RMSprop(gs, o) : new RMSprop(ps, o);
            }
            case "Adagrad" -> {
                var o = Adagrad.options();
                kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lr_decay" -> o.lrDecay(d(v));
                        case "eps" -> o.eps(d(v));
                        case "initial_accumulator_value" -> o.initialAccumulatorValue(d(v));
                        default -> common(o, k, v);
                    }
                });
                yield groups ? new Adagrad(gs, o) : new Adagrad(ps, o);
            }
            case "ASGD" -> {
                var o = ASGD.options();
                kwargs.forEach((k, v) -> {
                    switch (k) {
                        case "lambd" -> o.lambd(d(v));
                        case "alpha" -> o.alpha(d(v));
                        case "t0" -> o.t0(d(v));
                        default -> common(o, k, v);
                    }
                });
                yield groups ? new ASGD(gs, o) : new ASGD(ps, o);
            }
            default -> throw new IllegalArgumentException("no optimizer " + name);
        };
    }

    private static void common(OptimizerOptions<?> o, String key, Object v) {
        switch (key) {
            case "lr" -> o.lr(d(v));
            case "weight_decay" -> o.weightDecay(d(v));
            case "maximize" -> o.maximize((Boolean) v);
            default -> throw new IllegalArgumentException("no option " + key);
        }
    }

    private static double d(Object v) { return ((Number) v).doubleValue(); }
}
