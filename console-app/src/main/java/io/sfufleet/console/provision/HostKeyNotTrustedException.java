package io.sfufleet.console.provision;

/** The host's key was never accepted (or the operator typed another fingerprint): nothing was sent. */
public final class HostKeyNotTrustedException extends ProvisionException {
    private final String presented;

    public HostKeyNotTrustedException(String message, String presented) {
        super(message);
        this.presented = presented;
    }

    /** The fingerprint the host presented, for the operator to compare. */
    public String presented() {
        return presented;
    }
}
