package io.sfufleet.console.provision;

import java.util.Objects;

/**
 * A host the console provisions: where its SSH server is, who logs in and how, and the host key the
 * operator accepted (null until then). {@code secret} is the password or the key's passphrase,
 * decrypted; null when there is none or the console was opened without its passphrase.
 *
 * @param prefix where releases, config and state go on the host (e.g. {@code /opt/sfu})
 */
public record HostEntry(long id, String name, String address, int sshPort, String user, HostAuth auth,
        String keyFile, String secret, String hostKeyType, String hostKeyFingerprint, String prefix,
        long addedAtMillis) {
    public HostEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(prefix, "prefix");
    }

    public boolean trusted() {
        return hostKeyFingerprint != null;
    }

    /** {@code user@address:port}, for messages. */
    public String target() {
        return user + "@" + address + ":" + sshPort;
    }

    @Override
    public String toString() {
        // never the secret
        return "HostEntry[" + name + " " + target() + " " + auth + "]";
    }
}
