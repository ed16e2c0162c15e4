package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code StepLR}: multiplies each group's lr by {@code gamma} every {@code step_size} epochs. */
public final class StepLR extends LRScheduler {
    private long stepSize;
    private Object gamma;

    /** {@code StepLR(optimizer, step_size)} with gamma 0.1. */
    public StepLR(Optimizer optimizer, long stepSize) { this(optimizer, stepSize, 0.1, -1, false); }

    public StepLR(Optimizer optimizer, long stepSize, double gamma) { this(optimizer, stepSize, gamma, -1, false); }

    public StepLR(Optimizer optimizer, long stepSize, double gamma, long lastEpoch, boolean verbose) {
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer, lastEpoch, verbose);
    }

    private double gamma() { return PyValues.toDouble(gamma, "gamma"); }

    @Override
    protected List<Double> getLr() {
        List<Double> lrs = currentLrs(optimizer);
        if (lastEpoch == 0 || Math.floorMod(lastEpoch, stepSize) != 0) return lrs;
        lrs.replaceAll(lr -> lr * gamma());
        return lrs;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) out.add(base * Math.pow(gamma(), Math.floorDiv(lastEpoch, stepSize)));
        return out;
    }

    @Override
    protected void saveFields(Map<String, Object> out) {
        out.put("step_size", stepSize);
        out.put("gamma", gamma);
    }

    @Override
    protected void loadFields(Map<String, Object> in) {
        if (in.containsKey("step_size")) stepSize = longValue(in.get("step_size"), "step_size");
        if (in.containsKey("gamma")) gamma = in.get("gamma");
    }
}
