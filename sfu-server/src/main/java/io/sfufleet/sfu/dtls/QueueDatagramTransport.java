package io.sfufleet.sfu.dtls;

import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.tls.DatagramTransport;

/**
 * BouncyCastle's view of the network for one session: datagrams the media loop queued, and a
 * {@link DatagramSender} for the way out. Only the session's thread receives; any thread offers.
 */
final class QueueDatagramTransport implements DatagramTransport {
    /** The largest datagram we accept: a full Ethernet payload, larger than any browser's DTLS MTU. */
    static final int RECEIVE_LIMIT = 1500;
    /**
     * Our handshake flights are fragmented to this: 1200 bytes, like libwebrtc, leaves room for
     * TURN, VPN and IPv6 headers on paths where 1500 would be fragmented or lost.
     */
    static final int SEND_LIMIT = 1200;

    private static final System.Logger LOG = System.getLogger(QueueDatagramTransport.class.getName());
    /** Queued by {@link #shutdown()} to wake a receiver that waits without timeout; never handed to BouncyCastle. */
    private static final byte[] WAKE_UP = new byte[0];

    private final BlockingQueue<byte[]> queue;
    private final DatagramSender sender;
    private final DtlsCounters counters;
    private final LogThrottle sendErrorLog = new LogThrottle(10_000);
    private final LogThrottle guardLog = new LogThrottle(10_000);
    /** Set and read only by the session's thread, once the handshake has told us the cipher suite. */
    private RecordGuard guard;
    private volatile boolean shutdown;
    private volatile boolean closed;

    QueueDatagramTransport(int capacity, DatagramSender sender, DtlsCounters counters) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.sender = sender;
        this.counters = counters;
    }

    /** From now on, datagrams the guard refuses are dropped and counted instead of reaching BouncyCastle. */
    void guard(RecordGuard recordGuard) {
        this.guard = recordGuard;
    }

    /** Never blocks; false if the queue is full or the transport is shut down. */
    boolean offer(byte[] datagram) {
        return !shutdown && queue.offer(datagram);
    }

    /**
     * Makes every later {@link #receive} fail at once, so that the session's thread leaves
     * BouncyCastle; sending still works, for a last close_notify.
     */
    void shutdown() {
        shutdown = true;
        queue.clear();
        // If the queue refills before this lands, the receiver still finds the flag on its next datagram.
        queue.offer(WAKE_UP);
    }

    @Override
    public int getReceiveLimit() {
        return RECEIVE_LIMIT;
    }

    @Override
    public int getSendLimit() {
        return SEND_LIMIT;
    }

    /**
     * Returns -1 on timeout, as BouncyCastle expects. Once shut down or closed it throws
     * {@link InterruptedIOException}: the one exception BouncyCastle passes up without failing the
     * connection or sending an alert, whereas -1 would make its receive loop spin until its own
     * timeout.
     */
    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws InterruptedIOException {
        try {
            while (true) {
                if (shutdown || closed) {
                    throw new InterruptedIOException("DTLS transport closed");
                }
                // BouncyCastle uses 0 for "wait indefinitely", like a socket timeout.
                byte[] datagram = waitMillis > 0 ? queue.poll(waitMillis, TimeUnit.MILLISECONDS) : queue.take();
                if (datagram == null) {
                    return -1;
                }
                if (datagram == WAKE_UP) {
                    continue;
                }
                if (datagram.length > len) {
                    // The session drops oversized datagrams before queueing; a truncated one would only be garbage.
                    continue;
                }
                if (guard != null && !guard.accepts(datagram)) {
                    counters.malformedDrop();
                    if (guardLog.allow()) {
                        LOG.log(Level.WARNING, "dropped a DTLS datagram with a malformed protected record"
                                + " (further drops counted, logged at most every 10 s)");
                    }
                    continue;
                }
                System.arraycopy(datagram, 0, buf, off, datagram.length);
                return datagram.length;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            InterruptedIOException ioe = new InterruptedIOException("interrupted while waiting for a DTLS datagram");
            ioe.initCause(e);
            throw ioe;
        }
    }

    @Override
    public void send(byte[] buf, int off, int len) {
        if (closed) {
            return;
        }
        try {
            sender.send(buf, off, len);
        } catch (RuntimeException e) {
            // UDP may lose a datagram anyway and DTLS retransmits; a throwing sender must not fail the handshake.
            if (sendErrorLog.allow()) {
                LOG.log(Level.WARNING, "DTLS datagram sender failed, datagram dropped: " + e, e);
            }
        }
    }

    /** Called by BouncyCastle after its last send (close_notify or a fatal alert). */
    @Override
    public void close() {
        closed = true;
        queue.offer(WAKE_UP);
    }
}
