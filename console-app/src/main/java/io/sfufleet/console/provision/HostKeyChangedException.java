package io.sfufleet.console.provision;

/** The host presented a key other than the pinned one: possibly a man in the middle. */
public final class HostKeyChangedException extends ProvisionException {
    private final String pinned;
    private final String presented;

    public HostKeyChangedException(String host, String pinned, String presented) {
        super("WARNING: the SSH host key of " + host + " has CHANGED: pinned " + pinned + ", presented "
                + presented + ". Someone may be intercepting the connection, or the host was reinstalled. "
                + "Nothing was sent. Check the key on the host's console (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub); "
                + "if the change is expected, accept it with: sfu-console hosts trust " + host + " " + presented
                + " --replace");
        this.pinned = pinned;
        this.presented = presented;
    }

    public String pinned() {
        return pinned;
    }

    public String presented() {
        return presented;
    }
}
