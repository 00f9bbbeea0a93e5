package io.sfufleet.sfu.transport;

import io.sfufleet.sfu.dtls.DtlsCertificate;
import io.sfufleet.sfu.dtls.DtlsServerSession;
import io.sfufleet.sfu.dtls.DtlsSessionOptions;
import io.sfufleet.sfu.ice.IceCredentials;
import io.sfufleet.sfu.rtcp.Rtcp;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.Rtp;
import io.sfufleet.sfu.srtp.SrtpKeyingMaterial;
import io.sfufleet.sfu.srtp.SrtpResult;
import io.sfufleet.sfu.srtp.SrtpSession;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One BUNDLEd connection to a client: ICE-lite credentials, the client's address learned from its
 * STUN checks, the DTLS handshake (server role) and the SRTP session it yields. Confined to the
 * media loop except for the DTLS handshake, whose results are posted back to the loop.
 */
public final class PeerTransport {
    private static final System.Logger LOG = System.getLogger(PeerTransport.class.getName());

    public enum State { NEW, CHECKING, CONNECTED, FAILED, CLOSED }

    private final String id;
    /** Replaced by an ICE restart; read by the STUN responder through the registry. */
    private IceCredentials localCredentials;
    private int iceRestarts;
    private final int localSsrc;
    private final TransportRegistry registry;
    private final PacketSink sink;
    private final Executor mediaLoop;
    private final DtlsCertificate certificate;
    private final DropCounters drops;
    private final DtlsSessionOptions dtlsOptions;
    private final MediaMetrics metrics;
    private final TransportListener listener;

    /** DTLS records that came before the client's fingerprint; a handful at most (a ClientHello flight). */
    private static final int MAX_EARLY_DTLS = 4;
    private final java.util.List<byte[]> earlyDtls = new java.util.ArrayList<>(0);
    private String remoteFingerprint;
    private volatile InetSocketAddress remoteAddress;
    /** Where packets for the client go: the UDP sink, or the ICE-TCP connection it checked on. */
    private volatile PacketSink remoteSink;
    private DtlsServerSession dtls;
    private SrtpSession srtp;
    private State state;
    private long lastReceiveNanos = System.nanoTime();
    private String profileName;

    // traffic counters, read by stats on the media loop
    private long packetsIn;
    private long bytesIn;
    private long packetsOut;
    private long bytesOut;

    /**
     * @param dtlsOptions how the DTLS session runs; its counters are normally shared by the node
     * @param metrics     where packets and state changes are counted; {@link MediaMetrics#NONE} for none
     */
    public PeerTransport(String id, IceCredentials localCredentials, TransportRegistry registry, PacketSink sink,
                         Executor mediaLoop, DtlsCertificate certificate, DropCounters drops,
                         DtlsSessionOptions dtlsOptions, MediaMetrics metrics, TransportListener listener) {
        this.id = id;
        this.localCredentials = localCredentials;
        this.registry = registry;
        this.sink = sink;
        this.mediaLoop = mediaLoop;
        this.certificate = certificate;
        this.drops = drops;
        this.dtlsOptions = dtlsOptions;
        this.metrics = metrics;
        this.listener = listener;
        this.localSsrc = ThreadLocalRandom.current().nextInt() | 1;
        setState(State.NEW);
        registry.register(this);
    }

    private void setState(State next) {
        state = next;
        metrics.transportState(next);
    }

    public String id() {
        return id;
    }

    public IceCredentials localCredentials() {
        return localCredentials;
    }

    /** The SSRC the node uses as sender of its own RTCP on this connection. */
    public int localSsrc() {
        return localSsrc;
    }

    public State state() {
        return state;
    }

    public boolean isConnected() {
        return state == State.CONNECTED;
    }

    public InetSocketAddress remoteAddress() {
        return remoteAddress;
    }

    public String srtpProfile() {
        return profileName;
    }

    /** Bytes of SRTP authentication tag on each RTP packet; 0 before DTLS finished. */
    public int rtpTagLength() {
        return srtp == null ? 0 : srtp.profile().rtpTagLength();
    }

    public long lastReceiveNanos() {
        return lastReceiveNanos;
    }

    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public long packetsOut() {
        return packetsOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    /**
     * The client's DTLS fingerprint from its SDP ("sha-256 AB:..."). Known after the client's
     * offer (publish) or answer (subscribe); DTLS records that come earlier are dropped and the
     * client retransmits them.
     */
    public void setRemoteFingerprint(String fingerprint) {
        if (this.remoteFingerprint == null) {
            this.remoteFingerprint = fingerprint;
            // The ClientHello often beats the SDP answer over the WebSocket; replay what we kept.
            for (byte[] early : earlyDtls) {
                onDtls(early, 0, early.length);
            }
            earlyDtls.clear();
        } else if (!this.remoteFingerprint.equalsIgnoreCase(fingerprint)) {
            // A renegotiation with another certificate would need a new DTLS session (RFC 8842);
            // browsers keep theirs for the connection's life, so we keep the first.
            LOG.log(System.Logger.Level.INFO, "{0}: ignoring changed DTLS fingerprint in renegotiation", id);
        }
    }

    /**
     * ICE restart (RFC 8445 section 2.4): from now on only {@code fresh} credentials are accepted
     * and the next nominated check picks the path. DTLS and SRTP go on as they are: a restart
     * changes the path, not the session. Media loop only.
     */
    public void restartIce(IceCredentials fresh) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        String old = localCredentials.ufrag();
        localCredentials = fresh;
        iceRestarts++;
        registry.credentialsChanged(this, old);
        LOG.log(System.Logger.Level.INFO, "{0}: ICE restart, ufrag {1} -> {2}", id, old, fresh.ufrag());
    }

    /** ICE restarts so far. */
    public int iceRestarts() {
        return iceRestarts;
    }

    /** A STUN check with our ufrag succeeded from {@code from} on the UDP port. */
    public void onIceSuccess(InetSocketAddress from, boolean nominated) {
        onIceSuccess(from, nominated, sink);
    }

    /**
     * A STUN check with our ufrag succeeded from {@code from}, arriving through {@code via} (the
     * UDP sink, or an ICE-TCP connection). The first success, and later a nominated pair that
     * differs, becomes the path media is sent on.
     */
    public void onIceSuccess(InetSocketAddress from, boolean nominated, PacketSink via) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        lastReceiveNanos = System.nanoTime();
        if (remoteAddress == null || (nominated && (!remoteAddress.equals(from) || remoteSink != via))) {
            InetSocketAddress old = remoteSink == sink ? remoteAddress : null;
            remoteAddress = from;
            remoteSink = via;
            registry.bindAddress(this, old, via == sink ? from : null);
        }
        if (state == State.NEW) {
            setState(State.CHECKING);
        }
    }

    public void onDtls(byte[] data, int off, int len) {
        lastReceiveNanos = System.nanoTime();
        if (state == State.CLOSED || state == State.FAILED) {
            drops.drop(DropReason.DTLS_UNEXPECTED, id);
            return;
        }
        if (remoteFingerprint == null) {
            if (earlyDtls.size() < MAX_EARLY_DTLS) {
                earlyDtls.add(java.util.Arrays.copyOfRange(data, off, off + len));
            } else {
                drops.drop(DropReason.DTLS_UNEXPECTED, id);
            }
            return;
        }
        if (dtls == null) {
            dtls = new DtlsServerSession(certificate, remoteFingerprint,
                    (b, o, l) -> {
                        InetSocketAddress to = remoteAddress;
                        PacketSink via = remoteSink;
                        if (to != null && via != null) {
                            via.sendNow(b, o, l, to);
                            metrics.sent(PacketKind.DTLS, l);
                        }
                    },
                    new DtlsServerSession.Listener() {
                        @Override
                        public void onConnected(SrtpKeyingMaterial keys) {
                            mediaLoop.execute(() -> installKeys(keys));
                        }

                        @Override
                        public void onFailed(String reason, Throwable cause) {
                            mediaLoop.execute(() -> fail("DTLS: " + reason));
                        }

                        @Override
                        public void onClosed() {
                            mediaLoop.execute(() -> fail("DTLS closed by peer"));
                        }
                    }, dtlsOptions);
            dtls.start();
        }
        dtls.receive(data, off, len);
    }

    /**
     * What a completed DTLS handshake does: SRTP keys in, state connected. Public so the forwarding
     * benchmark and in-process load clients can key a transport without a handshake per run.
     * Media loop only.
     */
    public void installKeys(SrtpKeyingMaterial keys) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        srtp = new SrtpSession(keys, true);
        profileName = keys.profile().name();
        setState(State.CONNECTED);
        LOG.log(System.Logger.Level.INFO, "{0}: connected from {1} with {2}", id, remoteAddress, profileName);
        listener.onConnected(this);
    }

    private void fail(String reason) {
        if (state == State.CLOSED || state == State.FAILED) {
            return;
        }
        setState(State.FAILED);
        LOG.log(System.Logger.Level.INFO, "{0}: {1}", id, reason);
        listener.onFailed(this, reason);
    }

    /** An SRTP or SRTCP datagram from our client (RFC 7983 range 128-191), decrypted in place. */
    public void onSrtp(PacketBuffer p) {
        lastReceiveNanos = System.nanoTime();
        if (srtp == null) {
            drops.drop(DropReason.SRTP_NOT_READY, id);
            return;
        }
        byte[] b = p.getBuffer();
        int off = p.getOffset();
        int len = p.getLength();
        packetsIn++;
        bytesIn += len;
        boolean rtcp = len >= 8 && (b[off + 1] & 0xFF) >= 192 && (b[off + 1] & 0xFF) <= 223;
        if (rtcp) {
            metrics.received(PacketKind.RTCP, len);
            SrtpResult r = srtp.unprotectRtcp(p);
            if (r != SrtpResult.OK) {
                countSrtpFailure(r);
                return;
            }
            if (!Rtcp.isValidCompound(p.getBuffer(), p.getOffset(), p.getLength())) {
                drops.drop(DropReason.RTCP_MALFORMED, id);
                return;
            }
            listener.onRtcp(this, p);
        } else {
            // Only the fixed header is known to be there; the listener bounds-checks what else it reads.
            if (len >= Rtp.FIXED_HEADER && !listener.beforeDecrypt(this, p)) {
                return;
            }
            SrtpResult r = srtp.unprotectRtp(p);
            if (r != SrtpResult.OK) {
                countSrtpFailure(r);
                return;
            }
            // Only after unprotect: RTP padding and its count byte are encrypted (RFC 3711 section
            // 3.1); before it the last byte is the auth tag's. unprotectRtp checks the header itself.
            if (!Rtp.isValid(p.getBuffer(), p.getOffset(), p.getLength())) {
                drops.drop(DropReason.RTP_MALFORMED, id);
                return;
            }
            listener.onRtp(this, p);
        }
    }

    private void countSrtpFailure(SrtpResult r) {
        switch (r) {
            case AUTH_FAIL -> drops.drop(DropReason.SRTP_AUTH_FAILED, id);
            case REPLAY -> drops.drop(DropReason.SRTP_REPLAY, id);
            default -> drops.drop(DropReason.SRTP_OTHER, id + ": " + r);
        }
    }

    /** Encrypts {@code p} in place for this client and queues it. Returns false if not connected. */
    public boolean sendRtp(PacketBuffer p) {
        if (state != State.CONNECTED) {
            return false;
        }
        if (srtp.protectRtp(p) != SrtpResult.OK) {
            return false;
        }
        packetsOut++;
        bytesOut += p.getLength();
        remoteSink.send(p, remoteAddress);
        return true;
    }

    /** Encrypts the RTCP compound packet {@code p} in place for this client and queues it. */
    public boolean sendRtcp(PacketBuffer p) {
        if (state != State.CONNECTED) {
            return false;
        }
        if (srtp.protectRtcp(p) != SrtpResult.OK) {
            return false;
        }
        packetsOut++;
        bytesOut += p.getLength();
        remoteSink.send(p, remoteAddress);
        metrics.sent(PacketKind.RTCP, p.getLength());
        return true;
    }

    public void flush() {
        PacketSink via = remoteSink;
        (via == null ? sink : via).flush();
    }

    /** Whether the client is reached over an ICE-TCP connection rather than the UDP port. */
    public boolean overTcp() {
        return remoteSink instanceof TcpMediaConnection;
    }

    /** Ends the connection: DTLS close_notify to the client, forget its address. Idempotent. */
    public void close() {
        if (state == State.CLOSED) {
            return;
        }
        setState(State.CLOSED);
        if (dtls != null) {
            dtls.close();
        }
        if (srtp != null) {
            srtp.close();
        }
        registry.unregister(this, remoteSink == sink ? remoteAddress : null);
    }
}
