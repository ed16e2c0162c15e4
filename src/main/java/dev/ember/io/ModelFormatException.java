package dev.ember.io;

import java.io.IOException;

/**
 * A model file that Ember refuses: malformed, truncated, over a {@link LoadLimits} limit, or asking for
 * something a safe loader must not do (an unknown pickle global, a storage that does not match its record).
 * The message names the file part (zip entry, pickle offset, tensor key) so the user can see what is wrong.
 */
public class ModelFormatException extends IOException {
    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
