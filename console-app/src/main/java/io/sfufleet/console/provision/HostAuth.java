package io.sfufleet.console.provision;

/** How the console logs in to a host. */
public enum HostAuth {
    /** A private key file (ed25519 or RSA, OpenSSH or PEM form), with a passphrase when it has one. */
    KEY,
    /** A password; stored sealed with the console passphrase. */
    PASSWORD,
    /** The keys of the console user's running ssh-agent ({@code SSH_AUTH_SOCK}); nothing is stored. */
    AGENT;

    /** As typed on the command line: {@code key}, {@code password} or {@code agent}. */
    public static HostAuth parse(String s) {
        for (HostAuth a : values()) {
            if (a.name().equalsIgnoreCase(s)) {
                return a;
            }
        }
        throw new IllegalArgumentException("SSH auth must be key, password or agent, not " + s);
    }
}
