package dev.ember.nn;

import dev.ember.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code state_dict}: tensors by dotted key in PyTorch's order, plus PyTorch's {@code _metadata}, which maps
 * each module's prefix ({@code ""} for the root, {@code "features.0"} below it) to its local metadata,
 * {@code {"version": n}}. Loaders of {@code .pt} files fill the metadata from the pickled attribute; a plain
 * {@code Map} has none, which modules read as "version unknown", as in PyTorch.
 */
public final class StateDict extends LinkedHashMap<String, Tensor> {
    private final LinkedHashMap<String, Map<String, Object>> metadata = new LinkedHashMap<>();

    public StateDict() {}

    /** A copy of {@code entries}, keeping a StateDict's metadata. */
    public StateDict(Map<String, Tensor> entries) {
        super(entries);
        if (entries instanceof StateDict sd) sd.metadata.forEach((k, v) -> metadata.put(k, new LinkedHashMap<>(v)));
    }

    /** {@code state_dict._metadata}: prefix to local metadata, mutable. */
    public Map<String, Map<String, Object>> metadata() { return metadata; }

    /** The version recorded for the module at {@code prefix}, or null when unknown. */
    public Integer version(String prefix) {
        Map<String, Object> local = metadata.get(prefix);
        return local != null && local.get("version") instanceof Number n ? n.intValue() : null;
    }
}
