package io.sfufleet.sfu.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) on one reused SHA-1 {@link MessageDigest} (the JDK's, intrinsified with the
 * SHA extensions where the CPU has them). {@code javax.crypto.Mac.doFinal(out, off)} returns its
 * result through a fresh array on every call; this writes the MAC straight into a scratch array,
 * so a packet costs no allocation. Not thread-safe.
 */
final class HmacSha1 {
    static final int LENGTH = 20;
    private static final int BLOCK = 64;

    private final MessageDigest sha1;
    private final byte[] innerPad = new byte[BLOCK];
    private final byte[] outerPad = new byte[BLOCK];
    private final byte[] inner = new byte[LENGTH];

    /** @param key at most 64 bytes (SRTP's authentication key is 20) */
    HmacSha1(byte[] key) {
        if (key.length > BLOCK) {
            throw new IllegalArgumentException("HMAC-SHA1 key longer than 64 bytes");
        }
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-1", e);
        }
        for (int i = 0; i < BLOCK; i++) {
            byte k = i < key.length ? key[i] : 0;
            innerPad[i] = (byte) (k ^ 0x36);
            outerPad[i] = (byte) (k ^ 0x5c);
        }
    }

    /** Starts a MAC. */
    void start() {
        sha1.reset();
        sha1.update(innerPad);
    }

    void update(byte[] buf, int off, int len) {
        sha1.update(buf, off, len);
    }

    /** Finishes the MAC into {@code out[off .. off + 20)}. */
    void finish(byte[] out, int off) {
        try {
            sha1.digest(inner, 0, LENGTH);
            sha1.update(outerPad);
            sha1.update(inner);
            sha1.digest(out, off, LENGTH);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-1 into a 20-byte slot failed", e);
        }
    }
}
