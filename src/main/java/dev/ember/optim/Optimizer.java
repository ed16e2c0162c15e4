package dev.ember.optim;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * {@code torch.optim.Optimizer}: param groups with per-group options, per-parameter state, {@code zero_grad},
 * {@code step}, and {@code state_dict} / {@code load_state_dict} in PyTorch's layout.
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.options().lr(0.01).momentum(0.9));
 * for (List<Tensor> batch : loader) {
 *     opt.zeroGrad();
 *     lossFn.apply(model.forward(batch.get(0)), batch.get(1)).backward();
 *     opt.step();
 * }
 * }</pre>
 * Updates run under no-grad, in place on the parameters, with the float arithmetic in PyTorch's order.
 */
public abstract class Optimizer {
    private static final System.Logger LOG = System.getLogger(Optimizer.class.getName());

    private final Map<String, Object> defaults;
    private final List<ParamGroup> paramGroups = new ArrayList<>();
    /** Per-parameter state, in the order parameters were first stepped; keys are {@link ParamKey}s (or loaded raw keys). */
    private final Map<Object, Map<String, Object>> state = new LinkedHashMap<>();

    /** Identity key: two parameters with equal values are still two parameters. */
    private record ParamKey(Tensor param) {
        @Override
        public boolean equals(Object o) { return o instanceof ParamKey k && k.param == param; }

        @Override
        public int hashCode() { return System.identityHashCode(param); }
    }

    /** One group of all the given parameters ({@code Optimizer(params, defaults)} with a list of tensors). */
    protected Optimizer(Iterable<? extends Tensor> params, OptimizerOptions<?> defaults) {
        this(single(params), defaults);
    }

    /** Several groups, each with its own options ({@code Optimizer([{'params': ...}, ...], defaults)}). */
    protected Optimizer(List<ParamGroup> groups, OptimizerOptions<?> defaults) {
        this.defaults = new LinkedHashMap<>(defaults.asMap());
        if (groups.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list");
        for (ParamGroup g : groups) addParamGroup(g);
    }

    private static List<ParamGroup> single(Iterable<? extends Tensor> params) {
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : params) list.add(p);
        return list.isEmpty() ? List.of() : List.of(ParamGroup.of(list));
    }

    // ---------------------------------------------------------------- groups

    /**
     * {@code add_param_group}: checks the parameters (leaf tensors, in no other group), then fills in the
     * defaults the group does not set. Useful to unfreeze layers while fine-tuning.
     */
    public void addParamGroup(ParamGroup group) {
        for (Tensor p : group.params()) {
            if (p == null) throw new IllegalArgumentException("optimizer can only optimize Tensors, but one of the params is NoneType");
            if (!(p.isLeaf() || p.retainsGrad())) throw new IllegalArgumentException("can't optimize a non-leaf Tensor");
        }
        for (var e : defaults.entrySet()) {
            if (e.getValue() == OptimizerOptions.REQUIRED && !group.has(e.getKey()))
                throw new IllegalArgumentException("parameter group didn't specify a value of required optimization parameter " + e.getKey());
            group.putIfAbsent(e.getKey(), e.getValue());
        }
        Set<Tensor> inGroup = Collections.newSetFromMap(new IdentityHashMap<>());
        inGroup.addAll(group.params());
        if (inGroup.size() != group.params().size())
            LOG.log(System.Logger.Level.WARNING, "optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; "
                    + "see github.com/pytorch/pytorch/issues/40967 for more information");
        for (ParamGroup other : paramGroups)
            for (Tensor p : other.params())
                if (inGroup.contains(p)) throw new IllegalArgumentException("some parameters appear in more than one parameter group");
        paramGroups.add(group);
        initGroupState(group);
    }

    /** Hook for optimizers that create state eagerly (Adagrad); called after a group is added. */
    protected void initGroupState(ParamGroup group) {}

    /** {@code param_groups} (read-only list; the groups' options can be changed, as schedulers do). */
    public List<ParamGroup> paramGroups() { return Collections.unmodifiableList(paramGroups); }

    /** {@code defaults}: the constructor's options (read-only). */
    public Map<String, Object> defaults() { return Collections.unmodifiableMap(defaults); }

    // ---------------------------------------------------------------- state

    /** {@code state[p]}: the live state of a parameter, empty (and not created) before its first step. */
    public Map<String, Object> state(Tensor param) {
        Map<String, Object> s = state.get(new ParamKey(param));
        return s == null ? Map.of() : Collections.unmodifiableMap(s);
    }

    /** The state of {@code param}, created empty on first use (PyTorch's {@code defaultdict}). */
    protected Map<String, Object> stateFor(Tensor param) {
        return state.computeIfAbsent(new ParamKey(param), k -> new LinkedHashMap<>());
    }

    // ---------------------------------------------------------------- training

    /**
     * {@code zero_grad(set_to_none=False)}, PyTorch 1.13's default: gradients are zeroed in place (and cut
     * from any graph), so they keep their storage. Newer PyTorch (2.0+) defaults to {@code set_to_none=True};
     * call {@link #zeroGrad(boolean) zeroGrad(true)} for that.
     */
    public void zeroGrad() { zeroGrad(false); }

    /**
     * {@code zero_grad(set_to_none)}: with {@code true}, gradients become null instead of zero; the next
     * step then skips parameters that get no gradient, where a zero gradient would still move them
     * (momentum, weight decay).
     */
    public void zeroGrad(boolean setToNone) {
        for (ParamGroup g : paramGroups) {
            for (Tensor p : g.params()) {
                Tensor grad = p.grad();
                if (grad == null) continue;
                if (setToNone) {
                    p.setGrad(null);
                    continue;
                }
                if (grad.gradFn() != null) grad.detach_();
                else grad.requiresGrad_(false);
                grad.zero_();
            }
        }
    }

    /** {@code step()}: one update of every parameter that has a gradient. */
    public void step() { step(null); }

    /**
     * {@code step(closure)}: evaluates the closure with grad enabled (it should zero the gradients, compute
     * the loss and call backward), then updates; returns the closure's loss, or null without a closure.
     */
    public Tensor step(Supplier<Tensor> closure) {
        Tensor loss = null;
        if (closure != null) {
            try (var g = GradMode.enableGrad()) {
                loss = closure.get();
            }
        }
        try (var g = GradMode.noGrad()) {
            for (ParamGroup group : paramGroups) update(group);
        }
        return loss;
    }

    /** Updates the parameters of one group that have a gradient, under no-grad. */
    protected abstract void update(ParamGroup group);

    // ---------------------------------------------------------------- state dict

    /**
     * {@code state_dict()}: {@code {"state": {index: {...}}, "param_groups": [{...options, "params": [indices]}]}}
     * where parameters are numbered in group order. State tensors are the live tensors (as in PyTorch: save
     * or clone them before stepping again).
     */
    public Map<String, Object> stateDict() {
        IdentityHashMap<Tensor, Long> index = new IdentityHashMap<>();
        long start = 0;
        List<Object> groups = new ArrayList<>();
        for (ParamGroup g : paramGroups) {
            Map<String, Object> packed = new LinkedHashMap<>();
            for (var e : g.options().entrySet()) packed.put(e.getKey(), e.getValue() instanceof Object[] a ? a.clone() : e.getValue());
            List<Object> ids = new ArrayList<>();
            long i = start;
            for (Tensor p : g.params()) index.putIfAbsent(p, i++);
            for (Tensor p : g.params()) ids.add(index.get(p));
            packed.put("params", ids);
            start += ids.size();
            groups.add(packed);
        }
        Map<Object, Object> packedState = new LinkedHashMap<>();
        for (var e : state.entrySet()) {
            Object key = e.getKey() instanceof ParamKey k ? index.get(k.param()) : e.getKey();
            packedState.put(key, new LinkedHashMap<>(e.getValue()));
        }
        Map<String, Object> sd = new LinkedHashMap<>();
        sd.put("state", packedState);
        sd.put("param_groups", groups);
        return sd;
    }

    /**
     * {@code load_state_dict(state_dict)}: takes a deep copy of the saved state, maps saved indices to this
     * optimizer's parameters in group order, casts floating state tensors to each parameter's dtype (but
     * never {@code step}), and replaces every group's options by the saved ones. Accepts what a
     * {@code .pt} reader gives (Integer or Long keys, tuples as {@code Object[]} or lists).
     */
    public void loadStateDict(Map<String, ?> stateDict) {
        Map<?, ?> sd = (Map<?, ?>) PyValues.deepCopy(stateDict);
        if (!(sd.get("param_groups") instanceof List<?> savedGroups) || !(sd.get("state") instanceof Map<?, ?> savedState))
            throw new IllegalArgumentException("optimizer state_dict must have a 'state' dict and a 'param_groups' list");
        if (savedGroups.size() != paramGroups.size())
            throw new IllegalArgumentException("loaded state dict has a different number of parameter groups");
        List<Map<?, ?>> saved = new ArrayList<>();
        for (int g = 0; g < savedGroups.size(); g++) {
            if (!(savedGroups.get(g) instanceof Map<?, ?> m) || !(m.get("params") instanceof List<?> ids))
                throw new IllegalArgumentException("param_groups[" + g + "] must be a dict with a 'params' list");
            if (ids.size() != paramGroups.get(g).params().size())
                throw new IllegalArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
            saved.add(m);
        }
        Map<Object, Tensor> idMap = new LinkedHashMap<>();
        for (int g = 0; g < saved.size(); g++) {
            List<?> ids = (List<?>) saved.get(g).get("params");
            List<Tensor> params = paramGroups.get(g).params();
            for (int i = 0; i < ids.size(); i++) idMap.put(ids.get(i), params.get(i));
        }
        state.clear();
        for (var e : savedState.entrySet()) {
            Tensor p = idMap.get(e.getKey());
            if (p == null) {
                state.put(e.getKey(), asStateMap(e.getValue()));
                continue;
            }
            Map<String, Object> s = asStateMap(e.getValue());
            for (var se : s.entrySet()) se.setValue(castToParam(p, se.getValue(), se.getKey()));
            state.put(new ParamKey(p), s);
        }
        for (int g = 0; g < saved.size(); g++) paramGroups.get(g).replaceOptions(saved.get(g));
        defaults.putIfAbsent("differentiable", false);
        afterLoadStateDict();
    }

    /** {@code __setstate__}: fill options missing from older state dicts, convert old state formats. */
    protected void afterLoadStateDict() {}

    /** The loaded per-parameter states, in order (for {@link #afterLoadStateDict}). */
    protected Iterable<Map<String, Object>> states() { return state.values(); }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asStateMap(Object v) {
        if (!(v instanceof Map<?, ?> m)) throw new IllegalArgumentException("each optimizer state entry must be a dict, got " + PyValues.typeName(v));
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : ((Map<Object, Object>) m).entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    /** PyTorch's {@code cast}: floating tensors follow the parameter's dtype, except {@code step}. */
    private static Object castToParam(Tensor param, Object value, String key) {
        return switch (value) {
            case Tensor t -> {
                if (key != null && key.equals("step")) yield t;
                Tensor v = param.isFloatingPoint() ? t.to(param.dtype()) : t;
                yield v.to(param.device());
            }
            case Map<?, ?> m -> {
                Map<Object, Object> out = new LinkedHashMap<>();
                for (var e : m.entrySet()) out.put(e.getKey(), castToParam(param, e.getValue(), String.valueOf(e.getKey())));
                yield out;
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                for (Object x : l) out.add(castToParam(param, x, null));
                yield out;
            }
            case Object[] a -> {
                Object[] out = new Object[a.length];
                for (int i = 0; i < a.length; i++) out[i] = castToParam(param, a[i], null);
                yield out;
            }
            case null, default -> value;
        };
    }

    // ---------------------------------------------------------------- helpers for the update rules

    /** A step counter kept as a float32 0-dim tensor (PyTorch 1.12+): bumped in place, read as a double. */
    protected static double bumpStep(Map<String, Object> s) {
        Tensor step = (Tensor) s.get("step");
        step.add_(1.0);
        return step.item();
    }

    /** {@code repr(optimizer)}: each group's options sorted by name. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(getClass().getSimpleName()).append(" (");
        for (int i = 0; i < paramGroups.size(); i++) {
            sb.append("\nParameter Group ").append(i).append('\n');
            for (String key : new TreeSet<>(paramGroups.get(i).options().keySet())) {
                Object v = paramGroups.get(i).options().get(key);
                sb.append("    ").append(key).append(": ").append(v instanceof String s ? s : PyValues.str(v)).append('\n');
            }
        }
        return sb.append(')').toString();
    }
}
