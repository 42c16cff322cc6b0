package org.glovebox.he.io;

import java.io.IOException;

/**
 * Serialized input that is truncated, inconsistent, out of range, from another parameter set or of the wrong type.
 * The message says what was expected and what was found; no partial object is ever returned.
 */
public final class MalformedDataException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedDataException(String message) {
        super(message);
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
