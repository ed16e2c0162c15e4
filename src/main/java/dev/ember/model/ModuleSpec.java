package dev.ember.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One module of model.json's tree: its PyTorch type ({@code torch.nn.Conv2d}, or {@code torch.nn.Module} for a
 * user-defined class, whose Python name is kept in {@code className}), its constructor arguments by PyTorch's
 * names, and for containers and user-defined modules their children, parameters and buffers in registration
 * order (which fixes the state_dict's key order).
 */
record ModuleSpec(String type, String className, Map<String, Object> args, LinkedHashMap<String, ModuleSpec> children,
                  LinkedHashMap<String, TensorDecl> parameters, LinkedHashMap<String, TensorDecl> buffers) {
    static final String GENERIC = "torch.nn.Module";

    boolean generic() { return type.equals(GENERIC); }

    /** The name PyTorch prints for the module ({@code Net}, {@code Conv2d}). */
    String shortName() {
        String n = generic() && className != null ? className : type;
        return n.substring(n.lastIndexOf('.') + 1);
    }
}
