package io.sfufleet.sfu.rtp;

/**
 * The last packets of one sender's stream, by sequence number, so the node can answer a
 * receiver's NACK itself instead of asking the sender again (a round trip to the sender saved,
 * and one loss on one receiver's link costs nothing upstream). A ring of fixed slots indexed by
 * the low bits of the sequence number: storing and finding are O(1) and, once the slots exist,
 * allocate nothing. Holds decrypted RTP as it came from the sender. Media loop only.
 */
public final class RetransmissionCache {
    private final int mask;
    private final byte[][] slots;
    private final int[] lengths;
    /** The full 16-bit sequence number held in each slot, -1 for none. */
    private final int[] sequences;
    private final long[] storedAtNanos;
    private final long maxAgeNanos;

    /**
     * @param capacity    slots, a power of two (about a second of video at 512)
     * @param maxAgeNanos older packets are not resent: the receiver's jitter buffer has given up on them
     */
    public RetransmissionCache(int capacity, long maxAgeNanos) {
        if (capacity < 1 || Integer.bitCount(capacity) != 1 || capacity > 32768) {
            throw new IllegalArgumentException("capacity must be a power of two up to 32768, got " + capacity);
        }
        this.mask = capacity - 1;
        this.slots = new byte[capacity][];
        this.lengths = new int[capacity];
        this.sequences = new int[capacity];
        this.storedAtNanos = new long[capacity];
        this.maxAgeNanos = maxAgeNanos;
        java.util.Arrays.fill(sequences, -1);
    }

    /** Keeps a copy of the RTP packet {@code b[off, off+len)}; a later packet with the same low bits replaces it. */
    public void store(byte[] b, int off, int len, long nowNanos) {
        if (len > PacketPool.BUFFER_SIZE) {
            return;
        }
        int seq = Rtp.sequence(b, off);
        int i = seq & mask;
        byte[] slot = slots[i];
        if (slot == null) {
            slot = new byte[PacketPool.BUFFER_SIZE];
            slots[i] = slot;
        }
        System.arraycopy(b, off, slot, 0, len);
        lengths[i] = len;
        sequences[i] = seq;
        storedAtNanos[i] = nowNanos;
    }

    /**
     * The slot holding packet {@code seq} (0..65535) if it is there and young enough, else -1;
     * read it with {@link #buffer} and {@link #length}.
     */
    public int find(int seq, long nowNanos) {
        int i = seq & mask;
        if (sequences[i] != seq || nowNanos - storedAtNanos[i] > maxAgeNanos) {
            return -1;
        }
        return i;
    }

    /** The packet bytes of slot {@code i}, from offset 0. */
    public byte[] buffer(int i) {
        return slots[i];
    }

    public int length(int i) {
        return lengths[i];
    }

    public int capacity() {
        return mask + 1;
    }
}
