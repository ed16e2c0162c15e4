package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedCollection;
import java.util.Set;

/**
 * One entry of {@code optimizer.param_groups}: the parameters and their options ({@code lr}, {@code momentum},
 * ...), in the order PyTorch keeps them: the options given for the group first, then the optimizer's defaults
 * that the group did not set. Schedulers read and write options here, as they write {@code group['lr']}.
 * <pre>{@code
 * var sgd = new SGD(List.of(
 *         ParamGroup.of(model.features.parameters()),
 *         ParamGroup.of(model.classifier.parameters()).with("lr", 1e-3)),
 *     SGD.options().lr(1e-2).momentum(0.9));
 * }</pre>
 * Values follow {@link PyValues}: Long for Python ints, Double for floats, {@code Object[]} for tuples.
 */
public final class ParamGroup {
    private final List<Tensor> params;
    private final Map<String, Object> options = new LinkedHashMap<>();

    private ParamGroup(List<Tensor> params) { this.params = params; }

    /**
     * A group of the given parameters, in iteration order. Unordered sets are refused, as PyTorch refuses
     * them, because their order (and so the state dict's indices) would change from run to run.
     */
    public static ParamGroup of(Iterable<? extends Tensor> params) {
        if (params instanceof Set<?> && !(params instanceof SequencedCollection<?>))
            throw new IllegalArgumentException("optimizer parameters need to be organized in ordered collections, but the ordering of "
                    + "tensors in sets will change between runs. Please use a list instead.");
        List<Tensor> list = new ArrayList<>();
        for (Tensor p : params) list.add(p);
        return new ParamGroup(list);
    }

    public static ParamGroup of(Tensor... params) { return of(List.of(params)); }

    /** Sets an option (fluent, for building groups): {@code group.with("lr", 0.01)}. */
    public ParamGroup with(String key, Object value) {
        put(key, value);
        return this;
    }

    /** {@code group[key] = value}; {@code "params"} is not an option. */
    public void put(String key, Object value) {
        if (key.equals("params")) throw new IllegalArgumentException("the params of a group are fixed when it is created");
        options.put(key, PyValues.normalize(value));
    }

    /** {@code group.setdefault(key, value)}. */
    public void putIfAbsent(String key, Object value) {
        if (!options.containsKey(key)) put(key, value);
    }

    public boolean has(String key) { return options.containsKey(key); }

    /** {@code group[key]}; PyTorch's {@code KeyError} is an {@link IllegalArgumentException} here. */
    public Object get(String key) {
        if (!options.containsKey(key)) throw new IllegalArgumentException("param group has no option '" + key + "'");
        return options.get(key);
    }

    public double getDouble(String key) { return PyValues.toDouble(get(key), key); }

    public boolean getBool(String key) {
        Object v = get(key);
        if (v instanceof Boolean b) return b;
        return PyValues.toDouble(v, key) != 0;
    }

    public double[] getDoubles(String key) { return PyValues.toDoubles(get(key), key); }

    public double lr() { return getDouble("lr"); }

    public void setLr(double lr) { put("lr", lr); }

    /** The parameters, in order (read-only). */
    public List<Tensor> params() { return Collections.unmodifiableList(params); }

    /** The options in PyTorch's order (read-only view; change them with {@link #put}). */
    public Map<String, Object> options() { return Collections.unmodifiableMap(options); }

    /** Replaces every option by {@code saved}'s, keeping the parameters ({@code load_state_dict}). */
    void replaceOptions(Map<?, ?> saved) {
        options.clear();
        for (var e : saved.entrySet()) {
            String key = String.valueOf(e.getKey());
            if (!key.equals("params")) options.put(key, PyValues.normalize(e.getValue()));
        }
    }

    @Override
    public String toString() { return "ParamGroup" + PyValues.str(options) + " with " + params.size() + " params"; }
}
