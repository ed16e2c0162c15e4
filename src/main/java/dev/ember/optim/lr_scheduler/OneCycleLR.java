package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code OneCycleLR} (Smith's 1cycle policy, fastai's two phases by default): the lr rises from
 * {@code max_lr/div_factor} to {@code max_lr} over {@code pct_start} of the run, then falls to
 * {@code initial_lr/final_div_factor}; momentum (SGD's {@code momentum} or Adam's {@code betas[0]}) cycles
 * the other way between {@code max_momentum} and {@code base_momentum}. Step it after every batch.
 * <pre>{@code
 * var sched = new OneCycleLR(opt, OneCycleLR.options().maxLr(0.1).epochs(10).stepsPerEpoch(loader.size()));
 * }</pre>
 * The state dict has PyTorch's keys except {@code anneal_func}: PyTorch 1.13 stores the bound annealing
 * method there, which no checkpoint format can carry; a PyTorch scheduler loading Ember's dict keeps its own.
 */
public final class OneCycleLR extends LRScheduler {

    /** OneCycleLR's keyword arguments; give {@code max_lr} and either {@code total_steps} or {@code epochs} and {@code steps_per_epoch}. */
    public static final class Options {
        private Object maxLr;
        private Integer totalSteps, epochs, stepsPerEpoch;
        private double pctStart = 0.3;
        private String annealStrategy = "cos";
        private boolean cycleMomentum = true;
        private Object baseMomentum = 0.85, maxMomentum = 0.95;
        private double divFactor = 25., finalDivFactor = 1e4;
        private boolean threePhase;
        private long lastEpoch = -1;
        private boolean verbose;

        public Options maxLr(double maxLr) { this.maxLr = maxLr; return this; }

        /** One upper lr per param group. */
        public Options maxLr(double... maxLrs) { this.maxLr = maxLrs.clone(); return this; }

        public Options totalSteps(int totalSteps) { this.totalSteps = totalSteps; return this; }

        public Options epochs(int epochs) { this.epochs = epochs; return this; }

        public Options stepsPerEpoch(int stepsPerEpoch) { this.stepsPerEpoch = stepsPerEpoch; return this; }

        public Options pctStart(double pctStart) { this.pctStart = pctStart; return this; }

        /** {@code "cos"} or {@code "linear"}. */
        public Options annealStrategy(String annealStrategy) { this.annealStrategy = annealStrategy; return this; }

        public Options cycleMomentum(boolean cycleMomentum) { this.cycleMomentum = cycleMomentum; return this; }

        public Options baseMomentum(double... baseMomentum) { this.baseMomentum = baseMomentum.length == 1 ? (Object) baseMomentum[0] : baseMomentum.clone(); return this; }

        public Options maxMomentum(double... maxMomentum) { this.maxMomentum = maxMomentum.length == 1 ? (Object) maxMomentum[0] : maxMomentum.clone(); return this; }

        public Options divFactor(double divFactor) { this.divFactor = divFactor; return this; }

        public Options finalDivFactor(double finalDivFactor) { this.finalDivFactor = finalDivFactor; return this; }

        public Options threePhase(boolean threePhase) { this.threePhase = threePhase; return this; }

        /** The number of batches already run, to resume (the groups must then hold the schedule's keys). */
        public Options lastEpoch(long lastEpoch) { this.lastEpoch = lastEpoch; return this; }

        public Options verbose(boolean verbose) { this.verbose = verbose; return this; }
    }

    public static Options options() { return new Options(); }

    private long totalSteps;
    private List<Map<String, Object>> schedulePhases;
    private String annealStrategy;
    private boolean cycleMomentum;
    private Boolean useBeta1;

    public OneCycleLR(Optimizer optimizer, Options o) {
        long total = totalSteps(o);
        List<Map<String, Object>> phases = phases(o, total);
        if (o.pctStart < 0 || o.pctStart > 1)
            throw new IllegalArgumentException("Expected float between 0 and 1 pct_start, but got " + PyValues.repr(o.pctStart));
        if (!o.annealStrategy.equals("cos") && !o.annealStrategy.equals("linear"))
            throw new IllegalArgumentException("anneal_strategy must by one of 'cos' or 'linear', instead got " + o.annealStrategy);
        if (o.maxLr == null) throw new IllegalArgumentException("OneCycleLR needs max_lr");
        double[] maxLrs = perGroup("max_lr", optimizer, o.maxLr);
        List<ParamGroup> groups = optimizer.paramGroups();
        if (o.lastEpoch == -1) {
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup g = groups.get(i);
                double initial = maxLrs[i] / o.divFactor;
                g.put("initial_lr", initial);
                g.put("max_lr", maxLrs[i]);
                g.put("min_lr", initial / o.finalDivFactor);
            }
        }
        Boolean beta1 = null;
        if (o.cycleMomentum) {
            if (!optimizer.defaults().containsKey("momentum") && !optimizer.defaults().containsKey("betas"))
                throw new IllegalArgumentException("optimizer must support momentum with `cycle_momentum` option enabled");
            beta1 = optimizer.defaults().containsKey("betas");
            double[] maxMomentums = perGroup("max_momentum", optimizer, o.maxMomentum);
            double[] baseMomentums = perGroup("base_momentum", optimizer, o.baseMomentum);
            if (o.lastEpoch == -1) {
                for (int i = 0; i < groups.size(); i++) {
                    ParamGroup g = groups.get(i);
                    setMomentum(g, beta1, maxMomentums[i]);
                    g.put("max_momentum", maxMomentums[i]);
                    g.put("base_momentum", baseMomentums[i]);
                }
            }
        }
        this.totalSteps = total;
        this.schedulePhases = phases;
        this.annealStrategy = o.annealStrategy;
        this.cycleMomentum = o.cycleMomentum;
        this.useBeta1 = beta1;
        super(optimizer, o.lastEpoch, o.verbose);
    }

    private static long totalSteps(Options o) {
        if (o.totalSteps == null && o.epochs == null && o.stepsPerEpoch == null)
            throw new IllegalArgumentException("You must define either total_steps OR (epochs AND steps_per_epoch)");
        if (o.totalSteps != null) {
            if (o.totalSteps <= 0) throw new IllegalArgumentException("Expected positive integer total_steps, but got " + o.totalSteps);
            return o.totalSteps;
        }
        if (o.epochs == null || o.epochs <= 0) throw new IllegalArgumentException("Expected positive integer epochs, but got " + pyStr(o.epochs));
        if (o.stepsPerEpoch == null || o.stepsPerEpoch <= 0)
            throw new IllegalArgumentException("Expected positive integer steps_per_epoch, but got " + pyStr(o.stepsPerEpoch));
        return (long) o.epochs * o.stepsPerEpoch;
    }

    private static String pyStr(Integer v) { return v == null ? "None" : v.toString(); }

    private static List<Map<String, Object>> phases(Options o, long total) {
        List<Map<String, Object>> p = new ArrayList<>();
        if (o.threePhase) {
            p.add(phase(o.pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"));
            p.add(phase(2 * o.pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"));
            p.add(phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"));
        } else {
            p.add(phase(o.pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"));
            p.add(phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        }
        return p;
    }

    /** One phase; {@code endStep} is a float for the inner phases and an int for the last, as in PyTorch. */
    private static Map<String, Object> phase(Object endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("end_step", PyValues.normalize(endStep));
        m.put("start_lr", startLr);
        m.put("end_lr", endLr);
        m.put("start_momentum", startMomentum);
        m.put("end_momentum", endMomentum);
        return m;
    }

    /** PyTorch's {@code _format_param}: one value for every group, or a list of exactly one per group. */
    private static double[] perGroup(String name, Optimizer optimizer, Object value) {
        int n = optimizer.paramGroups().size();
        if (value instanceof double[] list) {
            if (list.length != n) throw new IllegalArgumentException("expected " + n + " values for " + name + ", got " + list.length);
            return list.clone();
        }
        double[] out = new double[n];
        java.util.Arrays.fill(out, PyValues.toDouble(value, name));
        return out;
    }

    private static void setMomentum(ParamGroup g, boolean useBeta1, double momentum) {
        if (useBeta1) {
            double[] betas = g.getDoubles("betas");
            betas[0] = momentum;
            g.put("betas", betas);
        } else {
            g.put("momentum", momentum);
        }
    }

    private double anneal(double start, double end, double pct) {
        if (annealStrategy.equals("cos")) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    @Override
    protected List<Double> getLr() {
        long stepNum = lastEpoch;
        if (stepNum > totalSteps)
            throw new IllegalArgumentException("Tried to step " + (stepNum + 1) + " times. The specified number of total steps is " + totalSteps);
        List<Double> lrs = new ArrayList<>();
        for (ParamGroup group : optimizer.paramGroups()) {
            double startStep = 0, computedLr = Double.NaN, computedMomentum = Double.NaN;
            for (int i = 0; i < schedulePhases.size(); i++) {
                Map<String, Object> phase = schedulePhases.get(i);
                double endStep = PyValues.toDouble(phase.get("end_step"), "end_step");
                if (stepNum <= endStep || i == schedulePhases.size() - 1) {
                    double pct = (stepNum - startStep) / (endStep - startStep);
                    computedLr = anneal(group.getDouble((String) phase.get("start_lr")), group.getDouble((String) phase.get("end_lr")), pct);
                    if (cycleMomentum)
                        computedMomentum = anneal(group.getDouble((String) phase.get("start_momentum")), group.getDouble((String) phase.get("end_momentum")), pct);
                    break;
                }
                startStep = endStep;
            }
            lrs.add(computedLr);
            if (cycleMomentum) setMomentum(group, useBeta1, computedMomentum);
        }
        return lrs;
    }

    @Override
    protected void saveFields(Map<String, Object> out) {
        out.put("total_steps", totalSteps);
        List<Object> phases = new ArrayList<>();
        for (Map<String, Object> p : schedulePhases) phases.add(new LinkedHashMap<>(p));
        out.put("_schedule_phases", phases);
        out.put("cycle_momentum", cycleMomentum);
        if (useBeta1 != null) out.put("use_beta1", useBeta1);
    }

    @Override
    @SuppressWarnings("unchecked")
    protected void loadFields(Map<String, Object> in) {
        if (in.containsKey("total_steps")) totalSteps = longValue(in.get("total_steps"), "total_steps");
        if (in.get("_schedule_phases") instanceof List<?> l) {
            List<Map<String, Object>> phases = new ArrayList<>();
            for (Object p : l) phases.add(new LinkedHashMap<>((Map<String, Object>) p));
            schedulePhases = phases;
        }
        if (in.get("anneal_func") instanceof String s && (s.equals("cos") || s.equals("linear"))) annealStrategy = s;
        if (in.containsKey("cycle_momentum")) cycleMomentum = Boolean.TRUE.equals(in.get("cycle_momentum"));
        if (in.containsKey("use_beta1")) useBeta1 = Boolean.TRUE.equals(in.get("use_beta1"));
    }
}
