package dev.ember.nn;

import dev.ember.autograd.GradMode;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** PyTorch 1.13's {@code load_state_dict} / {@code _load_from_state_dict}, key logic and messages included. */
final class StateDictLoader {
    static final String EXTRA_STATE = "_extra_state";

    private StateDictLoader() {}

    static IncompatibleKeys load(Module root, Map<String, Tensor> stateDict, boolean strict) {
        if (stateDict == null) throw new IllegalArgumentException("Expected state_dict to be dict-like, got <class 'NoneType'>.");
        StateDict metadata = stateDict instanceof StateDict sd ? sd : null;
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), errors = new ArrayList<>();
        load(root, new LinkedHashMap<>(stateDict), "", metadata, missing, unexpected, errors);
        if (strict) {
            if (!unexpected.isEmpty()) errors.addFirst("Unexpected key(s) in state_dict: " + quoted(unexpected) + ". ");
            if (!missing.isEmpty()) errors.addFirst("Missing key(s) in state_dict: " + quoted(missing) + ". ");
        }
        IncompatibleKeys keys = new IncompatibleKeys(missing, unexpected);
        if (!errors.isEmpty()) throw new LoadStateDictException(root.typeName(), errors, keys);
        return keys;
    }

    private static void load(Module m, Map<String, Tensor> local, String prefix, StateDict metadata, List<String> missing,
                             List<String> unexpected, List<String> errors) {
        Integer version = metadata == null ? null : metadata.version(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1));
        m.loadFromStateDict(local, prefix, version, missing, unexpected, errors);
        for (var e : m.ownModules().entrySet()) {
            if (e.getValue() == null) continue;
            String childPrefix = prefix + e.getKey() + ".";
            Map<String, Tensor> childLocal = new LinkedHashMap<>();
            for (var kv : local.entrySet()) if (kv.getKey().startsWith(childPrefix)) childLocal.put(kv.getKey(), kv.getValue());
            load(e.getValue(), childLocal, childPrefix, metadata, missing, unexpected, errors);
        }
    }

    /** One module's own parameters and persistent buffers; always collects missing/unexpected keys, as 1.13 does. */
    static void loadOwn(Module m, Map<String, Tensor> stateDict, String prefix, List<String> missing, List<String> unexpected, List<String> errors) {
        Map<String, Tensor> localState = new LinkedHashMap<>();
        m.ownParameters().forEach((k, v) -> { if (v != null) localState.put(k, v); });
        m.ownBuffers().forEach((k, v) -> { if (v != null && m.isPersistentBuffer(k)) localState.put(k, v); });
        for (var e : localState.entrySet()) {
            String key = prefix + e.getKey();
            Tensor param = e.getValue();
            if (!stateDict.containsKey(key)) {
                missing.add(key);
                continue;
            }
            Object raw = stateDict.get(key);
            if (!(raw instanceof Tensor input)) {
                errors.add("While copying the parameter named \"" + key + "\", expected torch.Tensor or Tensor-like object from checkpoint but received "
                        + (raw == null ? "<class 'NoneType'>" : "<class '" + raw.getClass().getName() + "'>"));
                continue;
            }
            // Backward compatibility (0.3 checkpoints): a 0-dim parameter loads from a 1-dim tensor's first element.
            if (param.dim() == 0 && input.dim() == 1) input = input.select(0, 0);
            if (!Arrays.equals(input.shape(), param.shape())) {
                errors.add("size mismatch for " + key + ": copying a param with shape " + size(input.shape()) + " from checkpoint, the shape in current model is "
                        + size(param.shape()) + ".");
                continue;
            }
            try (var ng = GradMode.noGrad()) {
                param.copy_(input.to(param.device()));
            } catch (RuntimeException ex) {
                errors.add("While copying the parameter named \"" + key + "\", whose dimensions in the model are " + size(param.shape())
                        + " and whose dimensions in the checkpoint are " + size(input.shape()) + ", an exception occurred : ('" + ex.getMessage() + "',).");
            }
        }
        String extraKey = prefix + EXTRA_STATE;
        if (stateDict.containsKey(extraKey)) unexpected.add(extraKey);
        for (String key : stateDict.keySet()) {
            if (!key.startsWith(prefix) || key.equals(extraKey)) continue;
            String name = key.substring(prefix.length());
            int dot = name.indexOf('.');
            if (dot >= 0) name = name.substring(0, dot);
            if (!m.hasChild(name) && !localState.containsKey(name)) unexpected.add(key);
        }
    }

    /** {@code torch.Size([6, 1, 5, 5])}. */
    static String size(int[] shape) { return "torch.Size(" + Arrays.toString(shape) + ")"; }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) sb.append(i == 0 ? "" : ", ").append('"').append(keys.get(i)).append('"');
        return sb.toString();
    }
}
