package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;
import dev.ember.optim.PyValues;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ReduceLROnPlateau}: multiplies each group's lr by {@code factor} when a metric (usually the
 * validation loss) has not improved for {@code patience} epochs, then waits {@code cooldown} epochs.
 * <pre>{@code
 * var sched = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().patience(5).factor(0.5));
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);
 *     sched.step(validate(...));
 * }
 * }</pre>
 * An improvement is {@code a < best·(1 − threshold)} in min/rel mode, {@code a < best − threshold} in
 * min/abs, and the mirror images in max mode; a reduction smaller than {@code eps} is skipped.
 */
public final class ReduceLROnPlateau {

    /** The keyword arguments, with PyTorch's defaults. */
    public static final class Options {
        private String mode = "min";
        private double factor = 0.1;
        private long patience = 10;
        private double threshold = 1e-4;
        private String thresholdMode = "rel";
        private long cooldown;
        private Object minLr = 0L;
        private double eps = 1e-8;
        private boolean verbose;

        /** {@code "min"} (the metric should fall) or {@code "max"}. */
        public Options mode(String mode) { this.mode = mode; return this; }

        public Options factor(double factor) { this.factor = factor; return this; }

        public Options patience(long patience) { this.patience = patience; return this; }

        public Options threshold(double threshold) { this.threshold = threshold; return this; }

        /** {@code "rel"} or {@code "abs"}. */
        public Options thresholdMode(String thresholdMode) { this.thresholdMode = thresholdMode; return this; }

        public Options cooldown(long cooldown) { this.cooldown = cooldown; return this; }

        /** A lower bound for every group, or one per group. */
        public Options minLr(double... minLr) { this.minLr = minLr.length == 1 ? (Object) minLr[0] : minLr.clone(); return this; }

        public Options eps(double eps) { this.eps = eps; return this; }

        public Options verbose(boolean verbose) { this.verbose = verbose; return this; }
    }

    public static Options options() { return new Options(); }

    private final Optimizer optimizer;
    private Object factor;
    private List<Object> minLrs;
    private long patience;
    private boolean verbose;
    private long cooldown, cooldownCounter;
    private String mode, thresholdMode;
    private Object threshold;
    private Object best;
    private long numBadEpochs;
    private double modeWorse;
    private Object eps;
    private long lastEpoch;
    private List<Double> lastLr;
    private final Map<String, Object> extra = new LinkedHashMap<>();

    public ReduceLROnPlateau(Optimizer optimizer) { this(optimizer, options()); }

    public ReduceLROnPlateau(Optimizer optimizer, Options o) {
        if (o.factor >= 1.0) throw new IllegalArgumentException("Factor should be < 1.0.");
        this.factor = o.factor;
        this.optimizer = optimizer;
        int groups = optimizer.paramGroups().size();
        if (o.minLr instanceof double[] list) {
            if (list.length != groups) throw new IllegalArgumentException("expected " + groups + " min_lrs, got " + list.length);
            minLrs = new ArrayList<>();
            for (double v : list) minLrs.add(v);
        } else {
            minLrs = new ArrayList<>(Collections.nCopies(groups, o.minLr));
        }
        this.patience = o.patience;
        this.verbose = o.verbose;
        this.cooldown = o.cooldown;
        this.cooldownCounter = 0;
        this.mode = o.mode;
        this.threshold = o.threshold;
        this.thresholdMode = o.thresholdMode;
        this.eps = o.eps;
        this.lastEpoch = 0;
        initIsBetter();
        reset();
    }

    private void initIsBetter() {
        if (!mode.equals("min") && !mode.equals("max")) throw new IllegalArgumentException("mode " + mode + " is unknown!");
        if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs")) throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown!");
        modeWorse = mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private void reset() {
        best = modeWorse;
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    /** {@code step(metrics)} with a 0-dim (or one-element) tensor, such as a loss. */
    public void step(Tensor metrics) { step(metrics.item()); }

    /** {@code step(metrics)}: one epoch's metric. */
    public void step(double metrics) { step(metrics, lastEpoch + 1); }

    /** {@code step(metrics, epoch)}: PyTorch's deprecated explicit epoch. */
    public void step(double current, long epoch) {
        lastEpoch = epoch;
        if (isBetter(current, PyValues.toDouble(best, "best"))) {
            best = current;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0;
        }
        if (numBadEpochs > patience) {
            reduceLr(epoch);
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = LRScheduler.currentLrs(optimizer);
    }

    private void reduceLr(long epoch) {
        List<ParamGroup> groups = optimizer.paramGroups();
        double factor = PyValues.toDouble(this.factor, "factor"), eps = PyValues.toDouble(this.eps, "eps");
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            double oldLr = g.lr(), scaled = oldLr * factor;
            Object min = minLrs.get(i);
            // Python's max(old_lr * factor, min_lr) keeps the first argument unless the bound is larger.
            Object newLr = PyValues.toDouble(min, "min_lr") > scaled ? min : (Object) scaled;
            if (oldLr - PyValues.toDouble(newLr, "min_lr") > eps) {
                g.put("lr", newLr);
                if (verbose)
                    System.out.println(String.format(Locale.ROOT, "Epoch %s: reducing learning rate of group %d to %.4e.",
                            LRScheduler.epochString(epoch), i, PyValues.toDouble(newLr, "lr")));
            }
        }
    }

    /** Whether {@code a} improves on {@code best} by more than the threshold. */
    public boolean isBetter(double a, double best) {
        double threshold = PyValues.toDouble(this.threshold, "threshold");
        if (mode.equals("min") && thresholdMode.equals("rel")) return a < best * (1. - threshold);
        if (mode.equals("min")) return a < best - threshold;
        if (thresholdMode.equals("rel")) return a > best * (threshold + 1.);
        return a > best + threshold;
    }

    public boolean inCooldown() { return cooldownCounter > 0; }

    /** The best metric so far. */
    public double best() { return PyValues.toDouble(best, "best"); }

    public long numBadEpochs() { return numBadEpochs; }

    /**
     * The lr of every group after the last step. PyTorch 1.13 has only the {@code _last_lr} attribute (2.x adds
     * {@code get_last_lr()}); before the first step there is none.
     */
    public List<Double> getLastLr() {
        if (lastLr == null) throw new IllegalStateException("'ReduceLROnPlateau' object has no attribute '_last_lr'");
        return Collections.unmodifiableList(lastLr);
    }

    /** {@code state_dict()}: the fields in PyTorch's {@code __dict__} order ({@code _last_lr} only after a step). */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("factor", factor);
        sd.put("min_lrs", new ArrayList<>(minLrs));
        sd.put("patience", patience);
        sd.put("verbose", verbose);
        sd.put("cooldown", cooldown);
        sd.put("cooldown_counter", cooldownCounter);
        sd.put("mode", mode);
        sd.put("threshold", threshold);
        sd.put("threshold_mode", thresholdMode);
        sd.put("best", best);
        sd.put("num_bad_epochs", numBadEpochs);
        sd.put("mode_worse", modeWorse);
        sd.put("eps", eps);
        sd.put("last_epoch", lastEpoch);
        if (lastLr != null) sd.put("_last_lr", new ArrayList<>(lastLr));
        for (var e : extra.entrySet()) sd.putIfAbsent(e.getKey(), PyValues.deepCopy(e.getValue()));
        return sd;
    }

    /** {@code load_state_dict(sd)}: PyTorch's {@code __dict__.update}, then the mode checks again. */
    public void loadStateDict(Map<String, ?> stateDict) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sd = (Map<String, Object>) PyValues.deepCopy(stateDict);
        for (var e : sd.entrySet()) {
            Object v = e.getValue();
            switch (e.getKey()) {
                case "factor" -> factor = v;
                case "min_lrs" -> minLrs = new ArrayList<>((List<?>) v);
                case "patience" -> patience = LRScheduler.longValue(v, "patience");
                case "verbose" -> verbose = Boolean.TRUE.equals(v);
                case "cooldown" -> cooldown = LRScheduler.longValue(v, "cooldown");
                case "cooldown_counter" -> cooldownCounter = LRScheduler.longValue(v, "cooldown_counter");
                case "mode" -> mode = (String) v;
                case "threshold" -> threshold = v;
                case "threshold_mode" -> thresholdMode = (String) v;
                case "best" -> best = v;
                case "num_bad_epochs" -> numBadEpochs = LRScheduler.longValue(v, "num_bad_epochs");
                case "mode_worse" -> modeWorse = PyValues.toDouble(v, "mode_worse");
                case "eps" -> eps = v;
                case "last_epoch" -> lastEpoch = LRScheduler.longValue(v, "last_epoch");
                case "_last_lr" -> lastLr = LRScheduler.doubles(v, "_last_lr");
                default -> extra.put(e.getKey(), v);
            }
        }
        initIsBetter();
    }
}
