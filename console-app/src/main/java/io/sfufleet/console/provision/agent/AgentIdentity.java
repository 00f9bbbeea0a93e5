package io.sfufleet.console.provision.agent;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A public key the agent holds: its SSH wire blob (what the agent signs with and the server checks)
 * and the comment given to {@code ssh-add}.
 */
public record AgentIdentity(byte[] blob, String comment) {
    public AgentIdentity {
        blob = blob.clone();
    }

    @Override
    public byte[] blob() {
        return blob.clone();
    }

    /** The key type the blob starts with, e.g. {@code ssh-ed25519} or {@code ssh-rsa}. */
    public String keyType() {
        ByteBuffer b = ByteBuffer.wrap(blob);
        if (b.remaining() < 4) {
            return "";
        }
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            return "";
        }
        return new String(blob, 4, n, StandardCharsets.US_ASCII);
    }

    /** An RSA key (plain or certificate): it is signed with SHA-2, never the SHA-1 of plain ssh-rsa. */
    public boolean rsa() {
        return keyType().equals("ssh-rsa") || keyType().equals("ssh-rsa-cert-v01@openssh.com");
    }

    /** The algorithm named in the login request: RSA keys sign as rsa-sha2-512, others as their type. */
    public String signatureAlgorithm() {
        return switch (keyType()) {
            case "ssh-rsa" -> "rsa-sha2-512";
            case "ssh-rsa-cert-v01@openssh.com" -> "rsa-sha2-512-cert-v01@openssh.com";
            default -> keyType();
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AgentIdentity i && Arrays.equals(blob, i.blob) && comment.equals(i.comment);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(blob) * 31 + comment.hashCode();
    }

    @Override
    public String toString() {
        return keyType() + " " + comment;
    }
}
