package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.List;

/**
 * {@code torch.optim.AdamW}: Adam with decoupled weight decay (Loshchilov &amp; Hutter): each step first shrinks
 * the parameters, {@code θ ← θ·(1 − lr·λ)}, then applies the Adam update without the L2 term. Defaults as
 * PyTorch 1.13: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 1e-2. State as {@link Adam}'s.
 */
public final class AdamW extends Optimizer {

    /** AdamW's keyword arguments; its param groups carry no {@code differentiable}/{@code fused} keys in 1.13. */
    public static final class Options extends OptimizerOptions<Options> {
        Options() {
            super("lr", 1e-3, "betas", PyValues.tuple(0.9, 0.999), "eps", 1e-8, "weight_decay", 1e-2, "amsgrad", false,
                    "foreach", null, "maximize", false, "capturable", false);
        }

        public Options betas(double beta1, double beta2) { return set("betas", PyValues.tuple(beta1, beta2)); }

        public Options eps(double eps) { return set("eps", eps); }

        public Options amsgrad(boolean amsgrad) { return set("amsgrad", amsgrad); }
    }

    public static Options options() { return new Options(); }

    public AdamW(Iterable<? extends Tensor> params) { this(params, options()); }

    public AdamW(Iterable<? extends Tensor> params, Options options) {
        Adam.validate(options);
        super(params, options);
    }

    public AdamW(List<ParamGroup> groups, Options options) {
        Adam.validate(options);
        super(groups, options);
    }

    @Override
    protected void update(ParamGroup group) { Adam.step(this, group, true); }

    @Override
    protected void afterLoadStateDict() {
        for (ParamGroup g : paramGroups()) {
            g.putIfAbsent("amsgrad", false);
            g.putIfAbsent("maximize", false);
            g.putIfAbsent("foreach", null);
            g.putIfAbsent("capturable", false);
        }
        Adam.stepsToTensors(this);
    }
}
