package io.sfufleet.sfu.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.TlsFatalAlertReceived;
import org.bouncycastle.tls.TlsTimeoutException;
import org.bouncycastle.tls.crypto.impl.bc.BcTlsCrypto;

/**
 * The DTLS server for one WebRTC peer, sans-IO for its caller: the media loop hands in datagrams
 * with {@link #receive}, which never blocks, and outgoing datagrams leave through a
 * {@link DatagramSender}. BouncyCastle's DTLS is blocking, so it runs on a thread of its own
 * (from {@link DtlsSessionOptions#executor()}), which does the handshake and then keeps reading
 * records (retransmitted Finished, alerts) until the session ends. Outcomes go to a
 * {@link Listener} on that thread.
 */
public final class DtlsServerSession implements AutoCloseable {
    /**
     * Outcome of a session, called on the session's thread (never the media loop). Exactly one
     * of {@link #onConnected} and {@link #onFailed} is called, unless the session is closed
     * first; {@link #onClosed} may follow {@link #onConnected}. Nothing is reported for what
     * {@link DtlsServerSession#close()} itself ends.
     */
    public interface Listener {
        /** The handshake completed and the peer's certificate matched its SDP fingerprint. */
        void onConnected(SrtpKeyingMaterial keys);

        /** The handshake failed or timed out; {@code cause} may be null. */
        void onFailed(String reason, Throwable cause);

        /** After {@link #onConnected}: the peer sent close_notify or a fatal alert, or the record layer failed. */
        default void onClosed() {
        }
    }

    private static final System.Logger LOG = System.getLogger(DtlsServerSession.class.getName());

    private enum State { NEW, HANDSHAKING, CONNECTED, FAILED, PEER_CLOSED, CLOSED }

    private final DtlsCertificate certificate;
    private final DtlsFingerprint expectedPeerFingerprint;
    private final Listener listener;
    private final DtlsSessionOptions options;
    private final QueueDatagramTransport transport;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final LogThrottle dropLog = new LogThrottle(10_000);
    /** For log lines: tells concurrent sessions apart without a global counter. */
    private final String name = "dtls-" + Integer.toHexString(System.identityHashCode(this));

    /**
     * @param remoteFingerprint the peer's SDP {@code a=fingerprint:} value, e.g. "sha-256 AB:CD:..."
     * @throws IllegalArgumentException if {@code remoteFingerprint} cannot be parsed
     */
    public DtlsServerSession(DtlsCertificate certificate, String remoteFingerprint, DatagramSender sender,
                             Listener listener, DtlsSessionOptions options) {
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.expectedPeerFingerprint = DtlsFingerprint.parse(remoteFingerprint);
        this.listener = Objects.requireNonNull(listener, "listener");
        this.options = Objects.requireNonNull(options, "options");
        this.transport = new QueueDatagramTransport(options.receiveQueueCapacity(), Objects.requireNonNull(sender, "sender"),
                options.counters());
    }

    /** With {@link DtlsSessionOptions#defaults()}. */
    public DtlsServerSession(DtlsCertificate certificate, String remoteFingerprint, DatagramSender sender, Listener listener) {
        this(certificate, remoteFingerprint, sender, listener, DtlsSessionOptions.defaults());
    }

    /**
     * Starts the handshake thread; the handshake timeout runs from here. Datagrams received
     * before are kept (up to the queue's capacity). Does nothing after {@link #close()}.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        if (!state.compareAndSet(State.NEW, State.HANDSHAKING)) {
            if (state.get() == State.CLOSED) {
                return;
            }
            throw new IllegalStateException(name + " already started");
        }
        try {
            options.executor().execute(this::run);
        } catch (RejectedExecutionException e) {
            fail("executor rejected the DTLS session", e);
        }
    }

    /**
     * Hands one incoming DTLS datagram to the session; for the media loop. The bytes are copied
     * (DTLS datagrams are rare next to media, so the copy costs nothing that matters). Never
     * blocks and never throws for what the datagram contains: a full queue or an oversized
     * datagram is a counted drop; during the handshake garbage is BouncyCastle's to discard or
     * fail on, after it a record that would make BouncyCastle fail the connection is dropped.
     */
    public void receive(byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (isEnded()) {
            return;
        }
        if (len > QueueDatagramTransport.RECEIVE_LIMIT) {
            options.counters().malformedDrop();
            logDrop("oversized datagram of " + len + " bytes");
            return;
        }
        if (!transport.offer(Arrays.copyOfRange(buf, off, off + len))) {
            if (isEnded()) {
                return;
            }
            options.counters().queueFullDrop();
            logDrop("receive queue full");
        }
    }

    /**
     * Ends the session: the session's thread sends close_notify if connected, then stops. Never
     * blocks, so the media loop may call it; idempotent; no listener call follows for it.
     */
    @Override
    public void close() {
        if (state.getAndSet(State.CLOSED) != State.CLOSED) {
            transport.shutdown();
        }
    }

    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    public DtlsCertificate localCertificate() {
        return certificate;
    }

    @Override
    public String toString() {
        return name + "[" + state.get() + "]";
    }

    private boolean isEnded() {
        State s = state.get();
        return s == State.FAILED || s == State.PEER_CLOSED || s == State.CLOSED;
    }

    private void run() {
        SrtpDtlsServer server = new SrtpDtlsServer(new BcTlsCrypto(new SecureRandom()), certificate,
                expectedPeerFingerprint, (int) options.handshakeTimeout().toMillis(), name);
        DTLSTransport dtls;
        try {
            dtls = new DTLSServerProtocol().accept(server, transport);
        } catch (IOException | RuntimeException e) {
            fail(describe(e), e);
            return;
        }
        if (!state.compareAndSet(State.HANDSHAKING, State.CONNECTED)) {
            // Closed while the last flight was going out: still tell the peer.
            closeQuietly(dtls);
            return;
        }
        transport.guard(server.recordGuard());
        options.counters().handshakeCompleted();
        LOG.log(Level.DEBUG, () -> name + ": connected, " + server.keys().profile());
        notifyListener(() -> listener.onConnected(server.keys()));
        readUntilEnd(dtls, server);
    }

    /**
     * Keeps BouncyCastle reading after the handshake: it answers a retransmitted Finished (our
     * last flight was lost) and notices close_notify. We do not carry application data (no data
     * channels), so any that arrives is dropped.
     */
    private void readUntilEnd(DTLSTransport dtls, SrtpDtlsServer server) {
        byte[] buf = new byte[QueueDatagramTransport.RECEIVE_LIMIT];
        String reason;
        while (true) {
            try {
                // 0 = no timeout: shutdown() or BouncyCastle's own close wakes this up.
                if (dtls.receive(buf, 0, buf.length, 0) >= 0) {
                    logDrop("application data after the handshake");
                }
            } catch (InterruptedIOException e) {
                reason = server.peerSentCloseNotify() ? "peer sent close_notify" : "transport closed";
                break;
            } catch (TlsFatalAlertReceived e) {
                reason = "peer sent fatal alert " + e.getMessage();
                break;
            } catch (IOException | RuntimeException e) {
                reason = "record layer failed: " + e.getMessage();
                break;
            }
        }
        if (state.compareAndSet(State.CONNECTED, State.PEER_CLOSED)) {
            String why = reason;
            LOG.log(Level.DEBUG, () -> name + ": ended, " + why);
            transport.shutdown();
            notifyListener(listener::onClosed);
        } else {
            closeQuietly(dtls);
        }
    }

    private void fail(String reason, Throwable cause) {
        if (!state.compareAndSet(State.HANDSHAKING, State.FAILED)) {
            return; // closed meanwhile: the caller asked for it, so it is not a failure
        }
        transport.shutdown();
        options.counters().handshakeFailed();
        // At most one line per session, and handshakes fail routinely (peers leave): INFO, no stack trace.
        LOG.log(Level.INFO, () -> name + ": DTLS handshake failed: " + reason);
        LOG.log(Level.DEBUG, name + ": DTLS handshake failure cause", cause);
        notifyListener(() -> listener.onFailed(reason, cause));
    }

    private static String describe(Throwable e) {
        if (e instanceof TlsTimeoutException) {
            return "handshake timed out";
        }
        if (e instanceof TlsFatalAlertReceived) {
            return "peer sent fatal alert " + e.getMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /** A listener that throws must not take the session's thread (and its close_notify) with it. */
    private void notifyListener(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + ": DTLS listener threw", e);
        }
    }

    private void closeQuietly(DTLSTransport dtls) {
        try {
            dtls.close(); // sends close_notify unless the record layer already failed or closed
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, name + ": close_notify not sent", e);
        }
    }

    private void logDrop(String what) {
        if (dropLog.allow()) {
            LOG.log(Level.WARNING, () -> name + ": dropped " + what + " (such lines at most every 10 s per session)");
        }
    }
}
