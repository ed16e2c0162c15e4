package dev.ember.serving;

import java.util.Locale;

/**
 * Triton's model control modes (research/serving.md §2.6): {@code none} loads the whole repository at
 * startup and never changes it; {@code explicit} loads {@code ember.load-models} at startup and then only
 * what the repository API asks; {@code poll} loads everything and follows the repository as it changes.
 */
public enum ControlMode {
    NONE, EXPLICIT, POLL;

    public static ControlMode parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ember.model-control-mode must be none, explicit or poll, got '" + s + "'");
        }
    }

    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
