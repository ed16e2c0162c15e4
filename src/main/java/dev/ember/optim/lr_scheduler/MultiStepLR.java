package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code MultiStepLR}: multiplies each group's lr by {@code gamma} at each milestone epoch (by
 * {@code gamma^k} when a milestone is listed k times). The state dict keeps PyTorch's
 * {@code Counter(milestones)} as a dict {@code {epoch: count}} in first-seen order.
 */
public final class MultiStepLR extends LRScheduler {
    private Map<Long, Long> milestones;
    private Object gamma;

    public MultiStepLR(Optimizer optimizer, List<? extends Number> milestones) { this(optimizer, milestones, 0.1, -1, false); }

    public MultiStepLR(Optimizer optimizer, List<? extends Number> milestones, double gamma) { this(optimizer, milestones, gamma, -1, false); }

    public MultiStepLR(Optimizer optimizer, List<? extends Number> milestones, double gamma, long lastEpoch, boolean verbose) {
        this.milestones = counter(milestones);
        this.gamma = gamma;
        super(optimizer, lastEpoch, verbose);
    }

    private static Map<Long, Long> counter(List<? extends Number> milestones) {
        Map<Long, Long> c = new LinkedHashMap<>();
        for (Number m : milestones) c.merge(m.longValue(), 1L, Long::sum);
        return c;
    }

    private double gamma() { return PyValues.toDouble(gamma, "gamma"); }

    @Override
    protected List<Double> getLr() {
        List<Double> lrs = currentLrs(optimizer);
        Long count = milestones.get(lastEpoch);
        if (count == null) return lrs;
        lrs.replaceAll(lr -> lr * Math.pow(gamma(), count));
        return lrs;
    }

    /** {@code base_lr * gamma ** bisect_right(sorted milestones, last_epoch)}. */
    @Override
    protected List<Double> closedFormLr() {
        long passed = 0;
        for (var e : milestones.entrySet()) if (e.getKey() <= lastEpoch) passed += e.getValue();
        List<Double> out = new ArrayList<>();
        for (double base : baseLrs) out.add(base * Math.pow(gamma(), passed));
        return out;
    }

    @Override
    protected void saveFields(Map<String, Object> out) {
        out.put("milestones", new LinkedHashMap<>(milestones));
        out.put("gamma", gamma);
    }

    @Override
    protected void loadFields(Map<String, Object> in) {
        if (in.get("milestones") instanceof Map<?, ?> m) {
            Map<Long, Long> c = new LinkedHashMap<>();
            for (var e : m.entrySet()) c.put(longValue(e.getKey(), "milestones"), longValue(e.getValue(), "milestones"));
            milestones = c;
        }
        if (in.containsKey("gamma")) gamma = in.get("gamma");
    }
}
