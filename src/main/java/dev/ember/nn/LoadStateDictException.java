package dev.ember.nn;

import java.util.List;

/**
 * PyTorch's {@code RuntimeError: Error(s) in loading state_dict for Net:\n\t...}; the message is PyTorch's,
 * and the individual parts stay available for callers that report them differently.
 */
public final class LoadStateDictException extends IllegalArgumentException {
    private final List<String> errors;
    private final IncompatibleKeys keys;

    LoadStateDictException(String moduleName, List<String> errors, IncompatibleKeys keys) {
        super("Error(s) in loading state_dict for " + moduleName + ":\n\t" + String.join("\n\t", errors));
        this.errors = List.copyOf(errors);
        this.keys = keys;
    }

    /** The messages in PyTorch's order: missing keys, unexpected keys, then size mismatches and copy failures. */
    public List<String> errors() { return errors; }

    public IncompatibleKeys incompatibleKeys() { return keys; }
}
