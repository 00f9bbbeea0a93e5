package io.sfufleet.sfu.dtls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A certificate fingerprint as SDP carries it (RFC 8122): a hash function name and the digest of
 * the DER certificate, written "sha-256 AB:CD:...". Immutable.
 */
public final class DtlsFingerprint {
    private static final HexFormat HEX = HexFormat.ofDelimiter(":").withUpperCase();

    private final String algorithm;
    private final byte[] digest;

    private DtlsFingerprint(String algorithm, byte[] digest) {
        this.algorithm = algorithm;
        this.digest = digest;
    }

    /**
     * Parses the value of an SDP {@code a=fingerprint:} attribute, e.g. "sha-256 AB:CD:...".
     * Hash names and hex digits are case-insensitive (RFC 8122 section 5).
     *
     * @throws IllegalArgumentException naming what is wrong, if the value cannot be used
     */
    public static DtlsFingerprint parse(String sdpValue) {
        if (sdpValue == null) {
            throw new IllegalArgumentException("fingerprint must not be null");
        }
        String[] parts = sdpValue.strip().split("\\s+");
        if (parts.length != 2) {
            throw new IllegalArgumentException("fingerprint must be '<hash-func> <hex>:<hex>...', got '" + sdpValue + "'");
        }
        String algorithm = parts[0].toLowerCase(Locale.ROOT);
        int expectedLength = digestLength(algorithm);
        byte[] digest;
        try {
            digest = HexFormat.ofDelimiter(":").parseHex(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("fingerprint digest must be colon-separated hex pairs, got '" + parts[1] + "'", e);
        }
        if (digest.length != expectedLength) {
            throw new IllegalArgumentException(
                    algorithm + " fingerprint must have " + expectedLength + " bytes, got " + digest.length);
        }
        return new DtlsFingerprint(algorithm, digest);
    }

    /** The fingerprint of a DER-encoded certificate with an SDP hash name ("sha-256", ...). */
    public static DtlsFingerprint of(String algorithm, byte[] certificateDer) {
        String name = algorithm.toLowerCase(Locale.ROOT);
        digestLength(name);
        return new DtlsFingerprint(name, newDigest(name).digest(certificateDer));
    }

    /** Whether a DER-encoded certificate hashes to this fingerprint. */
    public boolean matches(byte[] certificateDer) {
        // Constant time: the expected value is not secret, but there is no reason to leak it either.
        return MessageDigest.isEqual(digest, newDigest(algorithm).digest(certificateDer));
    }

    /** The SDP hash name, lower case ("sha-256"). */
    public String algorithm() {
        return algorithm;
    }

    /** Upper-case hex pairs separated by colons, as in SDP. */
    public String hex() {
        return HEX.formatHex(digest);
    }

    /** "sha-256 AB:CD:...", the value of an SDP {@code a=fingerprint:} attribute. */
    public String toSdpValue() {
        return algorithm + " " + hex();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DtlsFingerprint f && f.algorithm.equals(algorithm) && Arrays.equals(f.digest, digest);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(digest);
    }

    @Override
    public String toString() {
        return toSdpValue();
    }

    private static int digestLength(String sdpName) {
        return switch (sdpName) {
            case "sha-1" -> 20;
            case "sha-224" -> 28;
            case "sha-256" -> 32;
            case "sha-384" -> 48;
            case "sha-512" -> 64;
            default -> throw new IllegalArgumentException(
                    "fingerprint hash must be one of sha-1, sha-224, sha-256, sha-384, sha-512, got '" + sdpName + "'");
        };
    }

    private static MessageDigest newDigest(String sdpName) {
        try {
            // The SDP names are the JCA names in upper case ("SHA-256"), which every JDK provides.
            return MessageDigest.getInstance(sdpName.toUpperCase(Locale.ROOT));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + sdpName, e);
        }
    }
}
