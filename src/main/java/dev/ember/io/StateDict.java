package dev.ember.io;

import dev.ember.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A module's {@code state_dict()}: parameter and buffer names to tensors in registration order, plus
 * {@code _metadata} (module prefix, {@code ""} for the root, to {@code {'version': N}}), which
 * {@code load_state_dict} passes to each module. {@link TorchFiles#save} writes it as torch does: an
 * OrderedDict with a {@code _metadata} attribute.
 */
public record StateDict(LinkedHashMap<String, Tensor> tensors, LinkedHashMap<String, Map<String, Object>> metadata) {

    public StateDict() { this(new LinkedHashMap<>(), new LinkedHashMap<>()); }

    public Tensor get(String key) { return tensors.get(key); }

    public StateDict put(String key, Tensor t) {
        tensors.put(key, t);
        return this;
    }

    public int size() { return tensors.size(); }

    /** Whether a loaded value is a state dict: a dict whose keys are all strings and values all tensors. */
    public static boolean isStateDict(Object loaded) {
        if (!(loaded instanceof Map<?, ?> m)) return false;
        for (Map.Entry<?, ?> e : m.entrySet()) if (!(e.getKey() instanceof String) || !(e.getValue() instanceof Tensor)) return false;
        return true;
    }

    /** The state dict a loaded value is; fails naming the first entry that is not a (string, tensor) pair. */
    public static StateDict of(Object loaded) throws ModelFormatException {
        if (loaded instanceof StateDict sd) return sd;
        if (!(loaded instanceof Map<?, ?> m)) throw new ModelFormatException("expected a state_dict (a dict of tensors), got " + Values.describe(loaded));
        StateDict sd = new StateDict();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String k)) throw new ModelFormatException("state_dict key " + Values.describe(e.getKey()) + " is not a string");
            if (!(e.getValue() instanceof Tensor t))
                throw new ModelFormatException("state_dict entry '" + k + "' is " + Values.describe(e.getValue()) + ", not a tensor");
            sd.tensors.put(k, t);
        }
        if (loaded instanceof PyOrderedDict d && d.attributes().get("_metadata") instanceof Map<?, ?> meta) {
            for (Map.Entry<?, ?> e : meta.entrySet()) {
                if (!(e.getKey() instanceof String prefix) || !(e.getValue() instanceof Map<?, ?> v))
                    throw new ModelFormatException("state_dict _metadata entry " + Values.describe(e.getKey()) + " is not a module prefix with a dict");
                Map<String, Object> copy = new LinkedHashMap<>();
                for (Map.Entry<?, ?> f : v.entrySet()) copy.put(String.valueOf(f.getKey()), f.getValue());
                sd.metadata.put(prefix, copy);
            }
        }
        return sd;
    }
}
