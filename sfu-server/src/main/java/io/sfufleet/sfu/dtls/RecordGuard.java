package io.sfufleet.sfu.dtls;

import org.bouncycastle.tls.CipherSuite;

/**
 * Screens datagrams after the handshake. BouncyCastle silently discards an encrypted record
 * whose MAC is wrong, as RFC 6347 asks, but one that is too short or not a whole number of
 * cipher blocks makes it raise decode_error or decryption_failed and tear the connection down.
 * This drops such datagrams first, so that one malformed datagram cannot end a call.
 */
final class RecordGuard {
    private static final int HEADER = 13;
    private static final int AES_BLOCK = 16;
    private static final int GCM_EXPLICIT_NONCE = 8;
    private static final int GCM_TAG = 16;
    private static final int HMAC_SHA1 = 20;

    private final int minCiphertext;
    private final int blockSize;
    /** Bytes after the block-aligned part: the MAC under encrypt-then-MAC, else none. */
    private final int trailer;

    private RecordGuard(int minCiphertext, int blockSize, int trailer) {
        this.minCiphertext = minCiphertext;
        this.blockSize = blockSize;
        this.trailer = trailer;
    }

    /** The shape BouncyCastle requires of the negotiated suite's records (its TlsAEADCipher and TlsBlockCipher checks). */
    static RecordGuard forSuite(int cipherSuite, boolean encryptThenMac) {
        return switch (cipherSuite) {
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ->
                    new RecordGuard(GCM_EXPLICIT_NONCE + GCM_TAG, 1, 0);
            case CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA -> encryptThenMac
                    // explicit IV, at least one block, then the MAC
                    ? new RecordGuard(AES_BLOCK + AES_BLOCK + HMAC_SHA1, AES_BLOCK, HMAC_SHA1)
                    // explicit IV, then MAC and at least one byte of padding inside the blocks
                    : new RecordGuard(AES_BLOCK + Math.max(AES_BLOCK, HMAC_SHA1 + 1), AES_BLOCK, 0);
            default -> throw new IllegalArgumentException("no record shape known for cipher suite 0x" + Integer.toHexString(cipherSuite));
        };
    }

    /**
     * Whether every complete record of a protected epoch in the datagram has a length that
     * BouncyCastle will at worst discard. Epoch 0 and truncated records are left to it: it drops
     * those itself.
     */
    boolean accepts(byte[] datagram) {
        int off = 0;
        while (datagram.length - off >= HEADER) {
            int epoch = u16(datagram, off + 3);
            int length = u16(datagram, off + 11);
            if (off + HEADER + length > datagram.length) {
                return true;
            }
            if (epoch != 0 && (length < minCiphertext || (length - trailer) % blockSize != 0)) {
                return false;
            }
            off += HEADER + length;
        }
        return true;
    }

    private static int u16(byte[] b, int i) {
        return (b[i] & 0xFF) << 8 | b[i + 1] & 0xFF;
    }
}
