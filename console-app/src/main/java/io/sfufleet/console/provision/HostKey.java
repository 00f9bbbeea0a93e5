package io.sfufleet.console.provision;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;

/**
 * An SSH host key as the operator sees it: its type and OpenSSH's SHA256 fingerprint, the same text
 * {@code ssh-keygen -lf} prints on the host, so the two can be compared by eye.
 */
public record HostKey(String type, String fingerprint) {
    public static HostKey of(PublicKey key) {
        byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
        return new HostKey(KeyType.fromKey(key).toString(), fingerprint(blob));
    }

    /** {@code SHA256:} and the unpadded base64 of the key blob's SHA-256, as OpenSSH writes it. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
