package dev.ember.optim.lr_scheduler;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;
import dev.ember.optim.PyValues;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler._LRScheduler}: sets each param group's {@code lr} once per {@link #step()},
 * counting epochs in {@code last_epoch}. Building a scheduler already takes one step (to epoch 0), as in
 * PyTorch; call {@code scheduler.step()} after {@code optimizer.step()}.
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     train(...);
 *     sched.step();
 * }
 * }</pre>
 * Subclasses compute the new rates in the chainable (recursive) form from the groups' current {@code lr}, as
 * PyTorch 1.13's {@code get_lr} does; {@link #step(long)} uses the closed form where PyTorch has one.
 * Their own fields must be assigned before calling this constructor (it runs the first step).
 */
public abstract class LRScheduler {
    private static final System.Logger LOG = System.getLogger(LRScheduler.class.getName());
    private static final java.util.concurrent.atomic.AtomicBoolean EPOCH_WARNED = new java.util.concurrent.atomic.AtomicBoolean();

    protected final Optimizer optimizer;
    protected List<Double> baseLrs;
    protected long lastEpoch;
    protected boolean verbose;
    protected long stepCount;
    private boolean getLrCalledWithinStep;
    private List<Double> lastLr;
    /** Keys of a loaded state dict that this scheduler does not know; kept so a save after a load loses nothing. */
    private final Map<String, Object> extra = new LinkedHashMap<>();

    protected LRScheduler(Optimizer optimizer, long lastEpoch, boolean verbose) {
        this.optimizer = optimizer;
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (ParamGroup g : groups) g.putIfAbsent("initial_lr", g.get("lr"));
        } else {
            for (int i = 0; i < groups.size(); i++)
                if (!groups.get(i).has("initial_lr"))
                    throw new IllegalArgumentException("param 'initial_lr' is not specified in param_groups[" + i + "] when resuming an optimizer");
        }
        this.baseLrs = new ArrayList<>();
        for (ParamGroup g : groups) baseLrs.add(g.getDouble("initial_lr"));
        this.lastEpoch = lastEpoch;
        this.verbose = verbose;
        this.stepCount = 0;
        step();
    }

    /** The new lr of every group at {@link #lastEpoch}, in the chainable form. */
    protected abstract List<Double> getLr();

    /** The closed form at {@link #lastEpoch}, or null when the scheduler has none (then {@link #getLr} is used). */
    protected List<Double> closedFormLr() { return null; }

    /** {@code step()}: advances one epoch and sets each group's lr. */
    public void step() { advance(null); }

    /**
     * {@code step(epoch)}, deprecated in PyTorch: jumps to {@code epoch} and uses the closed form where the
     * scheduler has one.
     */
    public void step(long epoch) {
        // Python shows a warning once per call site; once per process is the closest here.
        if (EPOCH_WARNED.compareAndSet(false, true)) LOG.log(System.Logger.Level.WARNING, "The epoch parameter in `scheduler.step()` was not necessary and is being deprecated where possible. "
                + "Please use `scheduler.step()` to step the scheduler. During the deprecation, if epoch is different from None, the closed form is "
                + "used instead of the new chainable form, where available.");
        advance(epoch);
    }

    private void advance(Long epoch) {
        stepCount++;
        List<Double> values;
        getLrCalledWithinStep = true;
        try {
            if (epoch == null) {
                lastEpoch++;
                values = getLr();
            } else {
                lastEpoch = epoch;
                List<Double> closed = closedFormLr();
                values = closed != null ? closed : getLr();
            }
        } finally {
            getLrCalledWithinStep = false;
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size() && i < values.size(); i++) {
            groups.get(i).setLr(values.get(i));
            printLr(i, values.get(i), epoch);
        }
        lastLr = currentLrs(optimizer);
    }

    /** {@code get_last_lr()}: the rates the last step set, one per group. */
    public List<Double> getLastLr() { return Collections.unmodifiableList(lastLr); }

    public long lastEpoch() { return lastEpoch; }

    public Optimizer optimizer() { return optimizer; }

    /** The {@code lr} of every group of {@code opt}, as floats. */
    protected static List<Double> currentLrs(Optimizer opt) {
        List<Double> out = new ArrayList<>();
        for (ParamGroup g : opt.paramGroups()) out.add(g.lr());
        return out;
    }

    private void printLr(int group, double lr, Long epoch) {
        if (!verbose) return;
        if (epoch == null) System.out.println(String.format(Locale.ROOT, "Adjusting learning rate of group %d to %.4e.", group, lr));
        else System.out.println(String.format(Locale.ROOT, "Epoch %s: adjusting learning rate of group %d to %.4e.", epochString(epoch), group, lr));
    }

    /** Python's {@code "%.5d" % epoch}. */
    static String epochString(long epoch) { return (epoch < 0 ? "-" : "") + String.format(Locale.ROOT, "%05d", Math.abs(epoch)); }

    // ---------------------------------------------------------------- state dict

    /** The scheduler's own fields, in the order PyTorch's {@code __dict__} has them (before the base fields). */
    protected abstract void saveFields(Map<String, Object> out);

    /** Reads back what {@link #saveFields} wrote; keys may be missing (keep the current value). */
    protected abstract void loadFields(Map<String, Object> in);

    /**
     * {@code state_dict()}: every field but the optimizer, keyed and ordered as PyTorch's {@code __dict__}
     * (the scheduler's own fields, then {@code base_lrs}, {@code last_epoch}, {@code verbose},
     * {@code _step_count}, {@code _get_lr_called_within_step}, {@code _last_lr}).
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> sd = new LinkedHashMap<>();
        saveFields(sd);
        sd.put("base_lrs", new ArrayList<>(baseLrs));
        sd.put("last_epoch", lastEpoch);
        sd.put("verbose", verbose);
        sd.put("_step_count", stepCount);
        sd.put("_get_lr_called_within_step", getLrCalledWithinStep);
        sd.put("_last_lr", new ArrayList<>(lastLr));
        for (var e : extra.entrySet()) sd.putIfAbsent(e.getKey(), PyValues.deepCopy(e.getValue()));
        return sd;
    }

    /** {@code load_state_dict(sd)}: PyTorch's {@code __dict__.update}; also load the optimizer's state dict. */
    public void loadStateDict(Map<String, ?> stateDict) {
        @SuppressWarnings("unchecked")
        Map<String, Object> sd = (Map<String, Object>) PyValues.deepCopy(stateDict);
        loadFields(sd);
        if (sd.containsKey("base_lrs")) baseLrs = doubles(sd.get("base_lrs"), "base_lrs");
        if (sd.containsKey("last_epoch")) lastEpoch = longValue(sd.get("last_epoch"), "last_epoch");
        if (sd.containsKey("verbose")) verbose = Boolean.TRUE.equals(sd.get("verbose"));
        if (sd.containsKey("_step_count")) stepCount = longValue(sd.get("_step_count"), "_step_count");
        if (sd.containsKey("_get_lr_called_within_step")) getLrCalledWithinStep = Boolean.TRUE.equals(sd.get("_get_lr_called_within_step"));
        if (sd.containsKey("_last_lr")) lastLr = doubles(sd.get("_last_lr"), "_last_lr");
        Map<String, Object> probe = new LinkedHashMap<>();
        saveFields(probe);
        for (var e : sd.entrySet())
            if (!probe.containsKey(e.getKey()) && !BASE_KEYS.contains(e.getKey())) extra.put(e.getKey(), e.getValue());
    }

    private static final List<String> BASE_KEYS = List.of("base_lrs", "last_epoch", "verbose", "_step_count", "_get_lr_called_within_step", "_last_lr");

    static List<Double> doubles(Object v, String key) {
        List<Double> out = new ArrayList<>();
        for (double d : PyValues.toDoubles(v, key)) out.add(d);
        return out;
    }

    static long longValue(Object v, String key) {
        if (v instanceof Number n && n.doubleValue() == n.longValue()) return n.longValue();
        throw new IllegalArgumentException("'" + key + "' must be an int, got " + PyValues.typeName(v) + " " + PyValues.str(v));
    }
}
