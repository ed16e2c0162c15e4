package dev.ember.io;

import java.util.List;
import java.util.Map;

/**
 * Picks parts out of what {@link TorchFiles#load} returned. A file may hold a bare {@code state_dict()} or a
 * training checkpoint such as {@code {'epoch': 5, 'model_state_dict': ..., 'optimizer_state_dict': ...,
 * 'loss': 0.1}} (the PyTorch tutorials' layout); these helpers accept both and say which keys they saw when
 * they find no model state.
 */
public final class Checkpoint {
    /** Where checkpoints conventionally keep the model's state, tried in this order. */
    public static final List<String> MODEL_KEYS = List.of("model_state_dict", "state_dict", "model_state", "model");
    /** Where checkpoints conventionally keep the optimizer's state. */
    public static final List<String> OPTIMIZER_KEYS = List.of("optimizer_state_dict", "optimizer");

    private Checkpoint() {}

    /** The loaded value itself if it is a state dict, else the first of {@link #MODEL_KEYS} that holds one. */
    public static StateDict modelState(Object loaded) throws ModelFormatException {
        if (StateDict.isStateDict(loaded)) return StateDict.of(loaded);
        if (loaded instanceof Map<?, ?> m) {
            for (String k : MODEL_KEYS) if (StateDict.isStateDict(m.get(k))) return StateDict.of(m.get(k));
            throw new ModelFormatException("no model state in this checkpoint: it is not a dict of tensors and none of " + MODEL_KEYS
                    + " holds one (top-level keys: " + keys(m) + ")");
        }
        throw new ModelFormatException("expected a state_dict or a checkpoint dict, got " + Values.describe(loaded));
    }

    /** The state dict under {@code key} of a checkpoint dict. */
    public static StateDict modelState(Object loaded, String key) throws ModelFormatException {
        if (!(loaded instanceof Map<?, ?> m)) throw new ModelFormatException("expected a checkpoint dict, got " + Values.describe(loaded));
        if (!m.containsKey(key)) throw new ModelFormatException("checkpoint has no key '" + key + "' (keys: " + keys(m) + ")");
        return StateDict.of(m.get(key));
    }

    /**
     * An optimizer's {@code state_dict()} ({@code {'state': {...}, 'param_groups': [...]}}): the value itself
     * or the first of {@link #OPTIMIZER_KEYS} that holds one.
     */
    @SuppressWarnings("unchecked")
    public static Map<Object, Object> optimizerState(Object loaded) throws ModelFormatException {
        if (isOptimizerState(loaded)) return (Map<Object, Object>) loaded;
        if (loaded instanceof Map<?, ?> m) {
            for (String k : OPTIMIZER_KEYS) if (isOptimizerState(m.get(k))) return (Map<Object, Object>) m.get(k);
            throw new ModelFormatException("no optimizer state in this checkpoint: none of " + OPTIMIZER_KEYS + " holds a dict with 'state' and "
                    + "'param_groups' (top-level keys: " + keys(m) + ")");
        }
        throw new ModelFormatException("expected an optimizer state_dict or a checkpoint dict, got " + Values.describe(loaded));
    }

    private static boolean isOptimizerState(Object v) {
        return v instanceof Map<?, ?> m && m.get("state") instanceof Map<?, ?> && m.get("param_groups") instanceof List<?>;
    }

    private static String keys(Map<?, ?> m) {
        StringBuilder sb = new StringBuilder("[");
        int n = 0;
        for (Object k : m.keySet()) {
            if (n++ == 20) {
                sb.append(", ...");
                break;
            }
            if (n > 1) sb.append(", ");
            sb.append(Values.describe(k));
        }
        return sb.append(']').toString();
    }
}
