package io.sfufleet.console.provision;

/**
 * A host's job stopped: the message says what happened and what to do. Nothing on the host was
 * changed past the point the message names.
 */
public class ProvisionException extends RuntimeException {
    public ProvisionException(String message) {
        super(message);
    }

    public ProvisionException(String message, Throwable cause) {
        super(message, cause);
    }
}
