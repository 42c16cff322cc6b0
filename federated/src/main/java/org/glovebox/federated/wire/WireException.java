package org.glovebox.federated.wire;

/** A frame or payload that is malformed, out of range, from another study or otherwise refused. */
public class WireException extends Exception {
    public WireException(String message) {
        super(message);
    }

    public WireException(String message, Throwable cause) {
        super(message, cause);
    }
}
