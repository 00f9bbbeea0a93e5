package io.sfufleet.sfu.dtls;

import java.util.concurrent.atomic.LongAdder;

/**
 * Event counts of DTLS sessions. One instance is normally shared by all sessions of a node (for
 * metrics); sessions on different threads update it, hence {@link LongAdder}.
 */
public final class DtlsCounters {
    private final LongAdder queueFullDrops = new LongAdder();
    private final LongAdder malformedDrops = new LongAdder();
    private final LongAdder handshakeFailures = new LongAdder();
    private final LongAdder handshakesCompleted = new LongAdder();

    /** Incoming datagrams dropped because the session's receive queue was full. */
    public long queueFullDrops() {
        return queueFullDrops.sum();
    }

    /**
     * Incoming datagrams dropped before BouncyCastle saw them: larger than any DTLS datagram we
     * accept, or, after the handshake, holding a record that would have failed the connection.
     */
    public long malformedDrops() {
        return malformedDrops.sum();
    }

    public long handshakeFailures() {
        return handshakeFailures.sum();
    }

    public long handshakesCompleted() {
        return handshakesCompleted.sum();
    }

    void queueFullDrop() {
        queueFullDrops.increment();
    }

    void malformedDrop() {
        malformedDrops.increment();
    }

    void handshakeFailed() {
        handshakeFailures.increment();
    }

    void handshakeCompleted() {
        handshakesCompleted.increment();
    }
}
