package dev.ember.model;

/**
 * A graph node that failed while running (a value of the wrong type reached an op, an op refused its inputs):
 * the message names the node and its target, the cause is the op's own error (PyTorch's text where the op has one).
 */
public final class GraphException extends RuntimeException {
    private final String node;

    GraphException(String node, String target, String message, Throwable cause) {
        super("graph node '" + node + "' (" + target + "): " + message, cause);
        this.node = node;
    }

    /** The name of the node that failed. */
    public String node() { return node; }
}
