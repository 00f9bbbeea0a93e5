package io.sfufleet.sfu.loadtest.client;

/** A synthetic participant could not join, or its media did not start; the message says at which step and why. */
public final class JoinFailedException extends Exception {
    public JoinFailedException(String message) {
        super(message);
    }

    public JoinFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
