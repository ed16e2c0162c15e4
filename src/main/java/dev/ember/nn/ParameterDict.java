package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code nn.ParameterDict}: parameters by key. Like PyTorch, which keeps an OrderedDict's order but sorts a
 * plain dict's keys, a {@link LinkedHashMap} or {@link SortedMap} keeps its iteration order and any other map
 * (HashMap, {@code Map.of}) is added in sorted key order.
 */
public class ParameterDict extends Module {

    public ParameterDict() {}

    public ParameterDict(Map<String, ? extends Tensor> values) { update(values); }

    public ParameterDict update(Map<String, ? extends Tensor> values) {
        Map<String, ? extends Tensor> ordered = values instanceof LinkedHashMap || values instanceof SortedMap ? values : new TreeMap<>(values);
        ordered.forEach(this::put);
        return this;
    }

    /** {@code pd[key] = value}; a plain tensor becomes a Parameter. */
    public Parameter put(String key, Tensor value) { return registerParameter(key, value); }

    public Parameter get(String key) {
        if (!containsKey(key)) throw new IllegalArgumentException("'" + key + "'");
        return param(key);
    }

    public boolean containsKey(String key) { return hasParameter(key); }

    public Parameter remove(String key) {
        Parameter p = get(key);
        unregister(key);
        return p;
    }

    public Set<String> keys() { return ownParameters().keySet(); }

    public List<Parameter> values() { return new ArrayList<>(ownParameters().values()); }

    public int size() { return ownParameters().size(); }

    @Override
    public Object call(Object... args) { throw new IllegalStateException("ParameterDict should not be called."); }

    @Override
    public String extraRepr() {
        List<String> lines = new ArrayList<>();
        // 1.13 prints torch.typename here (torch.FloatTensor) but the dtype in ParameterList
        ownParameters().forEach((k, p) -> lines.add("  (" + k + "): " + ParameterList.describe(p, typeName(p))));
        return String.join("\n", lines);
    }

    private static String typeName(Parameter p) {
        String t = p.dtype().legacyTypeName();
        return p.device().isCpu() ? t : t.replace("torch.", "torch.cuda.");
    }
}
