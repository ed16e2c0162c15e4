package dev.ember.model;

import dev.ember.io.ModelFormatException;

/**
 * A model.json that Ember refuses: malformed, over a {@link ModelLimits} limit, or asking for something Ember
 * does not have (an unknown module type, graph target or method). The message starts with where the problem
 * is ({@code model.json: graph.nodes[3] 'view': ...}) so the user can find it.
 */
public class ModelSpecException extends ModelFormatException {
    public ModelSpecException(String message) {
        super(message);
    }

    public ModelSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
