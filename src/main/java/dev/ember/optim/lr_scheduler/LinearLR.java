package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code LinearLR}: scales each group's lr by a factor that moves linearly from {@code start_factor} to
 * {@code end_factor} over {@code total_iters} epochs (a warm-up, with the defaults 1/3 → 1 over 5).
 */
public final class LinearLR extends LRScheduler {
    private Object startFactor, endFactor;
    private long totalIters;

    /** {@code LinearLR(optimizer)}: start_factor 1/3, end_factor 1.0, total_iters 5. */
    public LinearLR(Optimizer optimizer) { this(optimizer, 1.0 / 3, 1.0, 5, -1, false); }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, long totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1, false);
    }

    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, long totalIters, long lastEpoch, boolean verbose) {
        if (startFactor > 1.0 || startFactor < 0) throw new IllegalArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        if (endFactor > 1.0 || endFactor < 0) throw new IllegalArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super(optimizer, lastEpoch, verbose);
    }

    @Override
    protected List<Double> getLr() {
        double start = PyValues.toDouble(startFactor, "start_factor"), end = PyValues.toDouble(endFactor, "end_factor");
        List<Double> lrs = currentLrs(optimizer);
        if (lastEpoch == 0) {
            lrs.replaceAll(lr -> lr * start);
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        lrs.replaceAll(lr -> lr * (1. + (end - start) / (totalIters * start + (lastEpoch - 1) * (end - start))));
        return lrs;
    }

    @Override
    protected List<Double> closedFormLr() {
        double start = PyValues.toDouble(startFactor, "start_factor"), end = PyValues.toDouble(endFactor, "end_factor");
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) out.add(base * (start + (end - start) * Math.min(totalIters, lastEpoch) / totalIters));
        return out;
    }

    @Override
    protected void saveFields(Map<String, Object> out) {
        out.put("start_factor", startFactor);
        out.put("end_factor", endFactor);
        out.put("total_iters", totalIters);
    }

    @Override
    protected void loadFields(Map<String, Object> in) {
        if (in.containsKey("start_factor")) startFactor = in.get("start_factor");
        if (in.containsKey("end_factor")) endFactor = in.get("end_factor");
        if (in.containsKey("total_iters")) totalIters = longValue(in.get("total_iters"), "total_iters");
    }
}
