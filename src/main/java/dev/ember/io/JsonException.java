package dev.ember.io;

/** Malformed or over-limit JSON; {@link #offset()} is the character offset where the parser stopped. */
public final class JsonException extends IllegalArgumentException {
    private final long offset;

    JsonException(String message, long offset, int line, int column) {
        super("JSON error at offset " + offset + " (line " + line + ", column " + column + "): " + message);
        this.offset = offset;
    }

    JsonException(String message) {
        super(message);
        this.offset = -1;
    }

    /** Character offset of the error, or -1 when it is not about a position (a value the writer cannot write). */
    public long offset() { return offset; }
}
