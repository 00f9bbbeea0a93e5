package io.sfufleet.sfu.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES in counter mode without a {@code Cipher.init} per packet: the counter blocks of a whole
 * packet are written into a scratch array and encrypted in one call of a reused AES/ECB cipher
 * (the JDK's intrinsified AES), and the keystream is XORed into the packet. The JDK's AES/CTR
 * would need a new IV object and an init for every packet, which profiling showed costs as much
 * as the encryption itself.
 *
 * <p>The counter is the last 32 bits of the block, incremented modulo 2^32: GCM's inc32 (RFC 7714
 * section 8.1), and for SRTP's AES-CM (RFC 3711 section 4.1.1) the same thing, because the low 16
 * bits of its IV are zero and a packet never needs 2^16 blocks. Not thread-safe: one instance per
 * session direction, used by the session's media thread. Allocates nothing after construction.
 */
final class AesCounterMode {
    static final int BLOCK = 16;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** Longest keystream one call makes: a full packet buffer plus GCM's tag mask block. */
    static final int MAX_BYTES = 2048;
    private static final int MAX_BLOCKS = MAX_BYTES / BLOCK;

    private final Cipher ecb;
    private final byte[] counters = new byte[MAX_BYTES];
    private final byte[] keystream = new byte[MAX_BYTES];

    AesCounterMode(byte[] key) {
        try {
            ecb = Cipher.getInstance("AES/ECB/NoPadding");
            ecb.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES/ECB/NoPadding", e);
        }
    }

    /**
     * Makes the keystream for counter blocks {@code iv}, iv+1, ... (16 bytes, not modified) that
     * covers {@code bytes} bytes (at most {@link #MAX_BYTES}), in one AES call.
     */
    void generate(byte[] iv, int bytes) {
        int blocks = (bytes + BLOCK - 1) / BLOCK;
        if (blocks > MAX_BLOCKS) {
            throw new IllegalArgumentException("keystream of " + bytes + " bytes is longer than " + MAX_BYTES);
        }
        long head = readLong(iv, 0);
        int head2 = readInt(iv, 8);
        int counter = readInt(iv, 12);
        for (int b = 0, p = 0; b < blocks; b++, p += BLOCK) {
            writeLong(counters, p, head);
            writeInt(counters, p + 8, head2);
            writeInt(counters, p + 12, counter++);
        }
        try {
            ecb.update(counters, 0, blocks * BLOCK, keystream, 0);
        } catch (GeneralSecurityException e) {
            // ECB over whole blocks into an array that is large enough cannot fail.
            throw new IllegalStateException("AES/ECB failed on whole blocks", e);
        }
    }

    /** XORs keystream bytes from {@code from} on into {@code len} bytes of {@code buf} at {@code off}. */
    void xor(int from, byte[] buf, int off, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            writeLong(buf, off + i, readLong(buf, off + i) ^ readLong(keystream, from + i));
        }
        for (; i < len; i++) {
            buf[off + i] ^= keystream[from + i];
        }
    }

    /** Copies keystream bytes out (key derivation, GCM's tag mask). */
    void copy(int from, byte[] out, int off, int len) {
        System.arraycopy(keystream, from, out, off, len);
    }

    static int readInt(byte[] b, int i) {
        return (int) INT.get(b, i);
    }

    static void writeInt(byte[] b, int i, int v) {
        INT.set(b, i, v);
    }

    static long readLong(byte[] b, int i) {
        return (long) LONG.get(b, i);
    }

    static void writeLong(byte[] b, int i, long v) {
        LONG.set(b, i, v);
    }
}
