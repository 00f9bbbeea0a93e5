package io.sfufleet.sfu.srtp;

import java.util.Objects;

/**
 * The keys a DTLS-SRTP handshake exported (RFC 5764 section 4.2): the client's write key and
 * salt, then the server's. The side that was DTLS server protects with the server keys and
 * unprotects with the client keys.
 */
public record SrtpKeyingMaterial(SrtpProfile profile,
                                 byte[] clientKey, byte[] clientSalt,
                                 byte[] serverKey, byte[] serverSalt) {
    public SrtpKeyingMaterial {
        Objects.requireNonNull(profile, "profile");
        check("clientKey", clientKey, profile.keyLength);
        check("serverKey", serverKey, profile.keyLength);
        check("clientSalt", clientSalt, profile.saltLength);
        check("serverSalt", serverSalt, profile.saltLength);
    }

    private static void check(String name, byte[] v, int len) {
        if (v == null || v.length != len) {
            throw new IllegalArgumentException(name + " must be " + len + " bytes");
        }
    }

    /**
     * Splits the exporter output "client key | server key | client salt | server salt" as RFC 5764
     * lays it out.
     */
    public static SrtpKeyingMaterial fromExporter(SrtpProfile profile, byte[] m) {
        int k = profile.keyLength;
        int s = profile.saltLength;
        if (m.length != 2 * (k + s)) {
            throw new IllegalArgumentException("keying material must be " + 2 * (k + s) + " bytes, got " + m.length);
        }
        byte[] ck = java.util.Arrays.copyOfRange(m, 0, k);
        byte[] sk = java.util.Arrays.copyOfRange(m, k, 2 * k);
        byte[] cs = java.util.Arrays.copyOfRange(m, 2 * k, 2 * k + s);
        byte[] ss = java.util.Arrays.copyOfRange(m, 2 * k + s, 2 * k + 2 * s);
        return new SrtpKeyingMaterial(profile, ck, cs, sk, ss);
    }
}
