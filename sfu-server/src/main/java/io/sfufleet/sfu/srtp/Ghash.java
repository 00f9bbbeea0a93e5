package io.sfufleet.sfu.srtp;

/**
 * GHASH (NIST SP 800-38D section 6.4) with Shoup's 8-bit tables: 256 multiples of the hash key
 * (4 KiB per key) and a shared reduction table, so one block costs 16 table look-ups instead of
 * 128 shift-and-add steps. Java offers no carry-less multiply to user code; this is the fastest
 * portable form, and it allocates nothing per packet.
 *
 * <p>Blocks are two longs in GCM's bit order (the first byte's top bit is the coefficient of x^0),
 * so multiplying by x is a right shift. Not thread-safe: the running state lives in the instance.
 */
final class Ghash {
    /** REDUCE[r]: what shifting the byte r out of the low end by 8 bits folds back into the top. */
    private static final long[] REDUCE = new long[256];

    static {
        for (int r = 0; r < 256; r++) {
            long hi = 0;
            long lo = r;
            for (int i = 0; i < 8; i++) {
                long carry = lo & 1;
                lo = (lo >>> 1) | (hi << 63);
                hi = (hi >>> 1) ^ (-carry & 0xE100000000000000L);
            }
            REDUCE[r] = hi;
        }
    }

    private final long[] tableHi = new long[256];
    private final long[] tableLo = new long[256];
    private long stateHi;
    private long stateLo;
    private final byte[] pending = new byte[16];
    private int pendingLength;

    /** @param h the hash key, E(K, 0^128) */
    Ghash(byte[] h) {
        long hHi = readLong(h, 0);
        long hLo = readLong(h, 8);
        // table[0x80] = H, table[0x40] = H*x, ... table[0x01] = H*x^7; the rest by linearity.
        for (int bit = 0x80; bit > 0; bit >>= 1) {
            tableHi[bit] = hHi;
            tableLo[bit] = hLo;
            long carry = hLo & 1;
            hLo = (hLo >>> 1) | (hHi << 63);
            hHi = (hHi >>> 1) ^ (-carry & 0xE100000000000000L);
        }
        for (int i = 2; i < 256; i <<= 1) {
            for (int j = 1; j < i; j++) {
                tableHi[i + j] = tableHi[i] ^ tableHi[j];
                tableLo[i + j] = tableLo[i] ^ tableLo[j];
            }
        }
    }

    void reset() {
        stateHi = 0;
        stateLo = 0;
        pendingLength = 0;
    }

    /**
     * Hashes {@code len} more bytes of the current part (AAD or ciphertext); a part may come in
     * several pieces, and {@link #endPart} zero-pads its last block.
     */
    void update(byte[] buf, int off, int len) {
        int end = off + len;
        if (pendingLength > 0) {
            while (pendingLength < 16 && off < end) {
                pending[pendingLength++] = buf[off++];
            }
            if (pendingLength < 16) {
                return;
            }
            multiply(stateHi ^ readLong(pending, 0), stateLo ^ readLong(pending, 8));
            pendingLength = 0;
        }
        while (end - off >= 16) {
            multiply(stateHi ^ readLong(buf, off), stateLo ^ readLong(buf, off + 8));
            off += 16;
        }
        while (off < end) {
            pending[pendingLength++] = buf[off++];
        }
    }

    /** Ends the AAD or the ciphertext: GCM zero-pads each to a whole block. */
    void endPart() {
        if (pendingLength > 0) {
            java.util.Arrays.fill(pending, pendingLength, 16, (byte) 0);
            multiply(stateHi ^ readLong(pending, 0), stateLo ^ readLong(pending, 8));
            pendingLength = 0;
        }
    }

    /** The final length block: bit lengths of the AAD and the ciphertext (ends the open part). */
    void updateLengths(long aadBytes, long textBytes) {
        endPart();
        multiply(stateHi ^ (aadBytes << 3), stateLo ^ (textBytes << 3));
    }

    /** XORs the 16-byte hash into {@code out} at {@code off} (the caller holds E(K, J0) there). */
    void xorInto(byte[] out, int off) {
        writeLong(out, off, readLong(out, off) ^ stateHi);
        writeLong(out, off + 8, readLong(out, off + 8) ^ stateLo);
    }

    /** state = (xHi, xLo) * H, Horner's rule over the bytes from the last (highest degree) down. */
    private void multiply(long xHi, long xLo) {
        int b = (int) xLo & 0xFF;
        long zHi = tableHi[b];
        long zLo = tableLo[b];
        for (int shift = 8; shift < 64; shift += 8) {
            int r = (int) zLo & 0xFF;
            zLo = (zLo >>> 8) | (zHi << 56);
            zHi = (zHi >>> 8) ^ REDUCE[r];
            b = (int) (xLo >>> shift) & 0xFF;
            zHi ^= tableHi[b];
            zLo ^= tableLo[b];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            int r = (int) zLo & 0xFF;
            zLo = (zLo >>> 8) | (zHi << 56);
            zHi = (zHi >>> 8) ^ REDUCE[r];
            b = (int) (xHi >>> shift) & 0xFF;
            zHi ^= tableHi[b];
            zLo ^= tableLo[b];
        }
        stateHi = zHi;
        stateLo = zLo;
    }

    private static long readLong(byte[] b, int i) {
        return AesCounterMode.readLong(b, i);
    }

    private static void writeLong(byte[] b, int i, long v) {
        AesCounterMode.writeLong(b, i, v);
    }
}
