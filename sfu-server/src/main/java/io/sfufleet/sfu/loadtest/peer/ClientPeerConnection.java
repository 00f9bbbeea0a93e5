package io.sfufleet.sfu.loadtest.peer;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.ice.IceCredentials;
import io.sfufleet.sfu.ice.IceLiteResponder;
import io.sfufleet.sfu.ice.StunOutcome;
import io.sfufleet.sfu.loadtest.dtls.DtlsClientSession;
import io.sfufleet.sfu.loadtest.ice.StunBindingClient;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client-side peer connection to a server: its own UDP socket (a server tells connections apart
 * by the address their checks come from), ICE as the controlling agent, the DTLS client handshake,
 * and SRTP both ways. Datagrams are told apart by their first byte (RFC 7983).
 *
 * <p>Threads: a virtual thread reads the socket for the connection's life and calls the
 * {@link Listener} for every decrypted packet; another runs ICE and then the DTLS handshake. RTP and
 * RTCP may be sent from any one thread at a time per direction: sends are serialized on a lock, and
 * sending and receiving each have an {@link SrtpSession} of their own, so neither is shared.
 */
public final class ClientPeerConnection implements AutoCloseable {
    /** What the connection delivers; called on its receive thread. */
    public interface Listener {
        /** A decrypted RTP packet {@code b[off, off + len)} that arrived at {@code nanos}. */
        void onRtp(byte[] b, int off, int len, long nanos);

        /** A decrypted, compound RTCP packet. */
        void onRtcp(byte[] b, int off, int len);
    }

    /** Checks are resent at this pace until one is answered (RFC 8445 section 14.2 uses 50 ms for Ta). */
    private static final long CHECK_INTERVAL_MILLIS = 50;
    /** Consent freshness (RFC 7675): browsers check about every 5 s. */
    private static final long CONSENT_INTERVAL_MILLIS = 5_000;
    private static final int DATAGRAM = 2_048;

    private final String name;
    private final DtlsCertificate certificate;
    private final ScheduledExecutorService timers;
    private final Listener listener;
    private final DatagramChannel channel;
    private final IceCredentials localCredentials = IceCredentials.random();
    private final CompletableFuture<Void> connected = new CompletableFuture<>();
    private final Object sendLock = new Object();
    private final AtomicLong srtpErrors = new AtomicLong();
    private final AtomicLong rtpPacketsIn = new AtomicLong();
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong packetsOut = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private volatile InetSocketAddress remote;
    private volatile StunBindingClient stun;
    /** Answers a full ICE agent's checks (Janus): the node's own responder, keyed with our credentials. */
    private volatile IceLiteResponder responder;
    private volatile DtlsClientSession dtls;
    private volatile SrtpSession sendSrtp;
    private volatile SrtpSession receiveSrtp;
    private volatile boolean iceConnected;
    private volatile boolean closed;
    private volatile ScheduledFuture<?> checks;
    private Thread reader;

    /**
     * Opens the socket on {@code bindAddress} (port chosen by the system).
     *
     * @param timers runs the ICE checks; shared by many connections, never blocked by them
     */
    public ClientPeerConnection(String name, InetAddress bindAddress, DtlsCertificate certificate,
                                ScheduledExecutorService timers, Listener listener) throws IOException {
        this.name = name;
        this.certificate = certificate;
        this.timers = timers;
        this.listener = listener;
        this.channel = DatagramChannel.open(bindAddress instanceof java.net.Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(bindAddress, 0));
    }

    public IceCredentials localCredentials() {
        return localCredentials;
    }

    /** Our DTLS fingerprint, as it goes into the SDP. */
    public String localFingerprint() {
        return "sha-256 " + certificate.fingerprintSha256();
    }

    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("socket of " + name + " is closed", e);
        }
    }

    /** Completes when SRTP keys are in; fails with the reason ICE or DTLS gave up. */
    public CompletableFuture<Void> connected() {
        return connected;
    }

    public boolean isConnected() {
        return connected.isDone() && !connected.isCompletedExceptionally();
    }

    /**
     * Starts ICE towards {@code remote} with the peer's credentials, then the DTLS handshake. Returns
     * at once; watch {@link #connected()}. Call once.
     *
     * @param controlling   our ICE role: controlling against a lite peer, or a full one when we offered
     * @param timeoutMillis for ICE and DTLS together
     */
    public synchronized void start(InetSocketAddress remote, String remoteUfrag, String remotePassword,
                                   String remoteFingerprint, boolean controlling, long timeoutMillis) {
        if (this.remote != null) {
            throw new IllegalStateException(name + ": already started");
        }
        this.remote = remote;
        this.stun = new StunBindingClient(remoteUfrag, remotePassword, localCredentials.ufrag(), controlling);
        this.responder = new IceLiteResponder(u -> u.equals(localCredentials.ufrag()) ? localCredentials.password() : null);
        this.dtls = new DtlsClientSession(certificate, remoteFingerprint, this::sendRaw);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        reader = Thread.ofVirtual().name(name + "-rx").start(this::readLoop);
        checks = timers.scheduleWithFixedDelay(this::check, 0, CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
        Thread.ofVirtual().name(name + "-dtls").start(() -> handshake(deadline));
    }

    private void check() {
        if (closed || connected.isDone()) {
            return;
        }
        sendStun();
    }

    private void sendStun() {
        byte[] request;
        synchronized (sendLock) {
            request = stun.request();
        }
        try {
            sendRaw(request, 0, request.length);
        } catch (IOException e) {
            // retried at the next check; a closed socket ends everything through close()
        }
    }

    private void handshake(long deadlineNanos) {
        try {
            while (!iceConnected && !closed) {
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IOException("ICE: no authenticated Binding response from " + remote + " after "
                            + stun.requestsSent() + " checks");
                }
                Thread.sleep(5);
            }
            if (closed) {
                throw new IOException("closed");
            }
            int left = (int) Math.max(1_000, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
            SrtpKeyingMaterial keys;
            try {
                keys = dtls.handshake(left);
            } catch (IOException e) {
                throw new IOException("DTLS handshake with " + remote + " failed: " + e, e);
            }
            sendSrtp = new SrtpSession(keys, false);
            receiveSrtp = new SrtpSession(keys, false);
            checks.cancel(false);
            checks = timers.scheduleWithFixedDelay(this::sendStun, CONSENT_INTERVAL_MILLIS, CONSENT_INTERVAL_MILLIS,
                    TimeUnit.MILLISECONDS);
            connected.complete(null);
        } catch (IOException | RuntimeException e) {
            connected.completeExceptionally(e);
        } catch (InterruptedException e) {
            connected.completeExceptionally(e);
            Thread.currentThread().interrupt();
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(DATAGRAM);
        PacketBuffer packet = new PacketBuffer(DATAGRAM);
        byte[] b = packet.getBuffer();
        try {
            while (!closed) {
                buffer.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buffer);
                long now = System.nanoTime();
                if (from == null || !from.equals(remote)) {
                    continue; // only the peer we check against may talk to this connection
                }
                int len = buffer.position();
                System.arraycopy(buffer.array(), 0, b, 0, len);
                packet.setOffset(0);
                packet.setLength(len);
                int first = b[0] & 0xFF;
                if (first <= 3) {
                    if (len >= 2 && (b[0] & 0x01) == 0 && (b[1] & 0x10) == 0) {
                        // a Binding request (class bits 00): a full agent checking us back
                        StunOutcome answer = responder.process(b, 0, len, from);
                        if (answer.hasResponse()) {
                            try {
                                sendRaw(answer.response(), 0, answer.response().length);
                            } catch (IOException e) {
                                // the agent checks again
                            }
                        }
                        continue;
                    }
                    StunBindingClient.Outcome o;
                    synchronized (sendLock) {
                        o = stun.onResponse(b, 0, len);
                    }
                    if (o == StunBindingClient.Outcome.SUCCESS) {
                        iceConnected = true;
                    }
                } else if (first >= 20 && first <= 63) {
                    dtls.receive(b, 0, len);
                } else if (first >= 128 && first <= 191) {
                    onSrtp(packet, now);
                }
            }
        } catch (ClosedChannelException e) {
            // close() ends the loop
        } catch (IOException e) {
            if (!closed) {
                connected.completeExceptionally(e);
            }
        }
    }

    private void onSrtp(PacketBuffer p, long now) {
        SrtpSession srtp = receiveSrtp;
        if (srtp == null) {
            return; // media before our handshake finished: a browser drops it too
        }
        byte[] b = p.getBuffer();
        int second = b[1] & 0xFF;
        boolean rtcp = p.getLength() >= 8 && second >= 192 && second <= 223;
        if (rtcp) {
            if (srtp.unprotectRtcp(p) != SrtpResult.OK) {
                srtpErrors.incrementAndGet();
                return;
            }
            listener.onRtcp(b, p.getOffset(), p.getLength());
        } else {
            int len = p.getLength();
            if (srtp.unprotectRtp(p) != SrtpResult.OK) {
                srtpErrors.incrementAndGet();
                return;
            }
            rtpPacketsIn.incrementAndGet();
            bytesIn.addAndGet(len);
            listener.onRtp(b, p.getOffset(), p.getLength(), now);
        }
    }

    /** Encrypts {@code p} in place and sends it; false before the handshake or on failure. */
    public boolean sendRtp(PacketBuffer p) {
        synchronized (sendLock) {
            SrtpSession srtp = sendSrtp;
            if (srtp == null || closed || srtp.protectRtp(p) != SrtpResult.OK) {
                return false;
            }
            return sendCounted(p);
        }
    }

    /** Encrypts the compound RTCP packet {@code p} in place and sends it. */
    public boolean sendRtcp(PacketBuffer p) {
        synchronized (sendLock) {
            SrtpSession srtp = sendSrtp;
            if (srtp == null || closed || srtp.protectRtcp(p) != SrtpResult.OK) {
                return false;
            }
            return sendCounted(p);
        }
    }

    private boolean sendCounted(PacketBuffer p) {
        try {
            sendRaw(p.getBuffer(), p.getOffset(), p.getLength());
            packetsOut.incrementAndGet();
            bytesOut.addAndGet(p.getLength());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void sendRaw(byte[] b, int off, int len) throws IOException {
        InetSocketAddress to = remote;
        if (to != null && !closed) {
            channel.send(ByteBuffer.wrap(b, off, len), to);
        }
    }

    /** SRTP and SRTCP packets that did not authenticate or decrypt. */
    public long srtpErrors() {
        return srtpErrors.get();
    }

    /** Decrypted RTP packets received. */
    public long rtpPacketsIn() {
        return rtpPacketsIn.get();
    }

    /** SRTP bytes of those packets, as they came off the wire. */
    public long bytesIn() {
        return bytesIn.get();
    }

    /** SRTP and SRTCP packets sent. */
    public long packetsOut() {
        return packetsOut.get();
    }

    public long bytesOut() {
        return bytesOut.get();
    }

    /** DTLS close_notify to the peer, then the socket. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            DtlsClientSession d = dtls;
            if (d != null && isConnected()) {
                d.close(); // close_notify goes out while the socket is still open
            }
            closed = true;
            if (checks != null) {
                checks.cancel(false);
            }
        }
        if (dtls != null) {
            dtls.close();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to do with a socket that will not close
        }
        connected.completeExceptionally(new IOException(name + " closed"));
        synchronized (sendLock) {
            if (sendSrtp != null) {
                sendSrtp.close();
            }
        }
        if (reader != null) {
            try {
                reader.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (receiveSrtp != null) {
            receiveSrtp.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
