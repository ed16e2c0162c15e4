package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code ExponentialLR}: multiplies each group's lr by {@code gamma} every epoch. */
public final class ExponentialLR extends LRScheduler {
    private Object gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) { this(optimizer, gamma, -1, false); }

    public ExponentialLR(Optimizer optimizer, double gamma, long lastEpoch, boolean verbose) {
        this.gamma = gamma;
        super(optimizer, lastEpoch, verbose);
    }

    private double gamma() { return PyValues.toDouble(gamma, "gamma"); }

    @Override
    protected List<Double> getLr() {
        List<Double> lrs = currentLrs(optimizer);
        if (lastEpoch == 0) return lrs;
        lrs.replaceAll(lr -> lr * gamma());
        return lrs;
    }

    @Override
    protected List<Double> closedFormLr() {
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) out.add(base * Math.pow(gamma(), lastEpoch));
        return out;
    }

    @Override
    protected void saveFields(Map<String, Object> out) { out.put("gamma", gamma); }

    @Override
    protected void loadFields(Map<String, Object> in) {
        if (in.containsKey("gamma")) gamma = in.get("gamma");
    }
}
