package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code CosineAnnealingLR}: anneals each group's lr from its initial value to {@code eta_min} along a cosine
 * over {@code T_max} epochs, then back up (SGDR without restarts). Like PyTorch 1.13, {@code step()} uses the
 * recursive form, which follows changes made to the lr from outside:
 * <pre>
 * η_t = (1 + cos(π·t/T)) / (1 + cos(π·(t−1)/T)) · (η_{t−1} − η_min) + η_min
 * </pre>
 * with the closed form {@code η_min + (η_0 − η_min)·(1 + cos(π·t/T))/2} on the first step of a resumed
 * scheduler and for {@code step(epoch)}.
 */
public final class CosineAnnealingLR extends LRScheduler {
    private long tMax;
    private Object etaMin;

    /** {@code CosineAnnealingLR(optimizer, T_max)} with {@code eta_min=0}. */
    public CosineAnnealingLR(Optimizer optimizer, long tMax) { this(optimizer, tMax, (Object) 0L, -1, false); }

    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin) { this(optimizer, tMax, (Object) etaMin, -1, false); }

    public CosineAnnealingLR(Optimizer optimizer, long tMax, double etaMin, long lastEpoch, boolean verbose) {
        this(optimizer, tMax, (Object) etaMin, lastEpoch, verbose);
    }

    /** Resumes at {@code lastEpoch} with {@code eta_min=0}. */
    public CosineAnnealingLR(Optimizer optimizer, long tMax, long lastEpoch, boolean verbose) { this(optimizer, tMax, (Object) 0L, lastEpoch, verbose); }

    private CosineAnnealingLR(Optimizer optimizer, long tMax, Object etaMin, long lastEpoch, boolean verbose) {
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer, lastEpoch, verbose);
    }

    private double etaMin() { return PyValues.toDouble(etaMin, "eta_min"); }

    @Override
    protected List<Double> getLr() {
        double eta = etaMin();
        List<Double> lrs = currentLrs(optimizer);
        List<Double> out = new ArrayList<>();
        if (lastEpoch == 0) return lrs;
        if (stepCount == 1 && lastEpoch > 0) {
            for (double base : baseLrs) out.add(eta + (base - eta) * (1 + Math.cos(lastEpoch * Math.PI / tMax)) / 2);
        } else if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.size(); i++) out.add(lrs.get(i) + (baseLrs.get(i) - eta) * (1 - Math.cos(Math.PI / tMax)) / 2);
        } else {
            for (double lr : lrs)
                out.add((1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax)) * (lr - eta) + eta);
        }
        return out;
    }

    @Override
    protected List<Double> closedFormLr() {
        double eta = etaMin();
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) out.add(eta + (base - eta) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2);
        return out;
    }

    @Override
    protected void saveFields(Map<String, Object> out) {
        out.put("T_max", tMax);
        out.put("eta_min", etaMin);
    }

    @Override
    protected void loadFields(Map<String, Object> in) {
        if (in.containsKey("T_max")) tMax = longValue(in.get("T_max"), "T_max");
        if (in.containsKey("eta_min")) etaMin = in.get("eta_min");
    }
}
