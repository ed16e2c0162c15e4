package dev.ember.optim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An optimizer's keyword arguments ({@code SGD(params, lr=0.1, momentum=0.9)} is
 * {@code new SGD(params, SGD.options().lr(0.1).momentum(0.9))}): they become the optimizer's
 * {@code defaults}, filled into every param group that does not set them. The keys and their order, and the
 * defaults' Python types (PyTorch's {@code momentum=0} is an int, so it stays a Long here until set), are
 * PyTorch 1.13's, because they end up in the state dict.
 */
public abstract class OptimizerOptions<O extends OptimizerOptions<O>> {
    /** PyTorch's {@code required} marker: SGD's {@code lr} has no default. */
    public static final Object REQUIRED = new Object() {
        @Override
        public String toString() { return "<required parameter>"; }
    };

    private final Map<String, Object> values = new LinkedHashMap<>();

    /** The defaults as alternating keys and values, in PyTorch's order. */
    protected OptimizerOptions(Object... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2)
            values.put((String) keysAndValues[i], keysAndValues[i + 1] == REQUIRED ? REQUIRED : PyValues.normalize(keysAndValues[i + 1]));
    }

    @SuppressWarnings("unchecked")
    protected final O set(String key, Object value) {
        if (!values.containsKey(key)) throw new IllegalArgumentException(getClass().getSimpleName() + " has no option '" + key + "'");
        values.put(key, PyValues.normalize(value));
        return (O) this;
    }

    public final O lr(double lr) { return set("lr", lr); }

    public final O weightDecay(double weightDecay) { return set("weight_decay", weightDecay); }

    public final O maximize(boolean maximize) { return set("maximize", maximize); }

    /** The value of an option, REQUIRED when SGD's lr was not given. */
    public final Object get(String key) { return values.get(key); }

    /** A number option, for validation; REQUIRED counts as unset (NaN never fails a check). */
    final double number(String key) { return values.get(key) == REQUIRED ? Double.NaN : PyValues.toDouble(values.get(key), key); }

    final boolean flag(String key) { return Boolean.TRUE.equals(values.get(key)); }

    /** The defaults, in order (read-only). */
    public final Map<String, Object> asMap() { return Collections.unmodifiableMap(values); }
}
