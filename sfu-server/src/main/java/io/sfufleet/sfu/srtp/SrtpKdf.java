package io.sfufleet.sfu.srtp;

import java.util.Arrays;

/**
 * The SRTP key derivation of RFC 3711 section 4.3 with key derivation rate 0 (all DTLS-SRTP
 * profiles use 0): AES-CM under the master key, started at (master salt XOR label at byte 7) times
 * 2^16. RFC 7714 section 11 uses the same function for AES-GCM, with its 12-byte master salt
 * padded with zeros to 14 bytes as libSRTP does.
 */
final class SrtpKdf {
    static final int RTP_ENCRYPTION = 0;
    static final int RTP_AUTHENTICATION = 1;
    static final int RTP_SALT = 2;
    static final int RTCP_ENCRYPTION = 3;
    static final int RTCP_AUTHENTICATION = 4;
    static final int RTCP_SALT = 5;

    private final AesCounterMode aes;
    private final byte[] salt;

    SrtpKdf(byte[] masterKey, byte[] masterSalt) {
        if (masterSalt.length > 14) {
            throw new IllegalArgumentException("master salt longer than 14 bytes");
        }
        this.aes = new AesCounterMode(masterKey);
        this.salt = Arrays.copyOf(masterSalt, 14);
    }

    /** The session key, authentication key or salt for {@code label}, {@code length} bytes. */
    byte[] derive(int label, int length) {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, 14);
        iv[7] ^= (byte) label;
        aes.generate(iv, length);
        byte[] out = new byte[length];
        aes.copy(0, out, 0, length);
        return out;
    }
}
