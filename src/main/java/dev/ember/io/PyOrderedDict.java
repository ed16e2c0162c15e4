package dev.ember.io;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code collections.OrderedDict} from a pickle, with the instance attributes that {@code torch.save} stores
 * beside the items: a {@code state_dict()} carries {@code _metadata}, the per-module {@code {'version': N}}
 * that {@code load_state_dict} hands to each module (BatchNorm's running-stat upgrade depends on it).
 * Plain Python dicts load as {@link LinkedHashMap}; both keep key order.
 */
public final class PyOrderedDict extends LinkedHashMap<Object, Object> {
    private final Map<String, Object> attributes = new LinkedHashMap<>();

    public PyOrderedDict() {}

    public PyOrderedDict(Map<?, ?> items) {
        super(items);
    }

    /** The instance {@code __dict__} (set by the pickle's BUILD); empty for most dicts. */
    public Map<String, Object> attributes() { return attributes; }

    @Override
    public boolean equals(Object o) {
        return o instanceof PyOrderedDict d ? super.equals(d) && attributes.equals(d.attributes) : super.equals(o);
    }

    @Override
    public int hashCode() { return super.hashCode(); }
}
