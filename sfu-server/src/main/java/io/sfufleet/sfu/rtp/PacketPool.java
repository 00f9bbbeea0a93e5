package io.sfufleet.sfu.rtp;

import java.util.ArrayDeque;

/**
 * A pool of {@link PacketBuffer}s for one thread (the media loop). Not thread-safe on purpose:
 * the packet path runs on one event loop, so a lock here would only cost. Buffers are 1500 bytes
 * plus room for SRTP's tag and RTCP's index, enough for any datagram on an Ethernet path.
 */
public final class PacketPool {
    public static final int BUFFER_SIZE = 1500 + 64;

    private final ArrayDeque<PacketBuffer> free;
    private final int maxPooled;
    private long allocated;

    public PacketPool(int maxPooled) {
        this.maxPooled = maxPooled;
        this.free = new ArrayDeque<>(maxPooled);
    }

    public PacketBuffer acquire() {
        PacketBuffer b = free.pollLast();
        if (b == null) {
            allocated++;
            b = new PacketBuffer(BUFFER_SIZE);
        }
        b.setReceivedAtNanos(0);
        return b;
    }

    public void release(PacketBuffer b) {
        if (b != null && free.size() < maxPooled) {
            free.addLast(b);
        }
    }

    /** Buffers created since start; steady traffic must not make this grow. */
    public long allocatedCount() {
        return allocated;
    }
}
