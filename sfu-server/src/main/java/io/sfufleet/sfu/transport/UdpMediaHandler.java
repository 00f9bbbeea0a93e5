package io.sfufleet.sfu.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sfufleet.sfu.ice.IceLiteResponder;
import io.sfufleet.sfu.ice.PacketClassifier;
import io.sfufleet.sfu.ice.StunOutcome;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;

/**
 * The one UDP media port: demultiplexes each datagram by its first byte (RFC 7983) and by its
 * source address to the transport it belongs to. STUN checks are answered here (ICE-lite) and
 * teach us the client's address. ICE-TCP frames come here too ({@link #onTcpFrame}), so both
 * paths share one responder and one ufrag table. Runs on the media loop; all maps are confined to it.
 */
public final class UdpMediaHandler extends SimpleChannelInboundHandler<DatagramPacket> implements TransportRegistry {
    private final Map<String, PeerTransport> byUfrag = new HashMap<>();
    private final Map<InetSocketAddress, PeerTransport> byAddress = new HashMap<>();
    private final IceLiteResponder ice;
    private final PacketPool pool;
    private final DropCounters drops;
    private final UdpPacketSink sink;
    private final MediaMetrics metrics;
    private long packetsIn;
    private long bytesIn;

    /** @param metrics where classified datagrams are counted; {@link MediaMetrics#NONE} for none */
    public UdpMediaHandler(PacketPool pool, DropCounters drops, UdpPacketSink sink, MediaMetrics metrics) {
        super(true);
        this.pool = pool;
        this.drops = drops;
        this.sink = sink;
        this.metrics = metrics;
        this.ice = new IceLiteResponder(ufrag -> {
            PeerTransport t = byUfrag.get(ufrag);
            return t == null ? null : t.localCredentials().password();
        });
    }

    public IceLiteResponder ice() {
        return ice;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
        // Arrival time, carried with the packet so forwarding can measure its delay.
        long receivedAt = System.nanoTime();
        ByteBuf content = msg.content();
        int len = content.readableBytes();
        InetSocketAddress from = msg.sender();
        packetsIn++;
        bytesIn += len;
        if (len == 0 || len > PacketPool.BUFFER_SIZE - 64) {
            drops.drop(DropReason.EMPTY_OR_OVERSIZED, from);
            return;
        }
        PacketBuffer p = pool.acquire();
        try {
            content.getBytes(content.readerIndex(), p.getBuffer(), 0, len);
            p.setOffset(0);
            p.setLength(len);
            p.setReceivedAtNanos(receivedAt);
            byte first = p.getBuffer()[0];
            if (PacketClassifier.isStun(first)) {
                metrics.received(PacketKind.STUN, len);
                onStun(p, from);
            } else if (PacketClassifier.isDtls(first)) {
                PeerTransport t = byAddress.get(from);
                if (t == null) {
                    drops.drop(DropReason.UNKNOWN_SOURCE, from);
                } else {
                    metrics.received(PacketKind.DTLS, len);
                    t.onDtls(p.getBuffer(), 0, len);
                }
            } else if (PacketClassifier.isRtpOrRtcp(first)) {
                PeerTransport t = byAddress.get(from);
                if (t == null) {
                    drops.drop(DropReason.UNKNOWN_SOURCE, from);
                } else {
                    t.onSrtp(p);
                }
            } else {
                drops.drop(DropReason.NOT_DEMULTIPLEXABLE, from);
            }
        } finally {
            pool.release(p);
        }
    }

    /**
     * A frame from an ICE-TCP connection, treated like a datagram except that the connection, not
     * the source address, names the transport once a check has succeeded on it.
     */
    void onTcpFrame(PacketBuffer p, TcpMediaConnection conn) {
        int len = p.getLength();
        InetSocketAddress from = conn.remote();
        packetsIn++;
        bytesIn += len;
        byte first = p.getBuffer()[p.getOffset()];
        if (PacketClassifier.isStun(first)) {
            metrics.received(PacketKind.STUN, len);
            StunOutcome outcome = ice.process(p.getBuffer(), p.getOffset(), len, from);
            byte[] response = outcome.response();
            if (response != null) {
                conn.sendBytes(response, 0, response.length);
                metrics.sent(PacketKind.STUN, response.length);
            }
            switch (outcome.kind()) {
                case RESPONDED -> {
                    PeerTransport t = byUfrag.get(outcome.localUfrag());
                    if (t == null) {
                        return;
                    }
                    if (conn.bound() == null) {
                        conn.bind(t);
                    } else if (conn.bound() != t) {
                        // RFC 6544: a connection is one candidate pair; another ufrag on it is not ours to switch.
                        drops.drop(DropReason.STUN_UNAUTHORIZED, from + " (ICE-TCP connection of another transport)");
                        return;
                    }
                    t.onIceSuccess(from, outcome.useCandidate(), conn);
                }
                case INDICATION -> {
                    if (conn.bound() != null) {
                        conn.bound().onIceSuccess(from, false, conn);
                    }
                }
                case REJECTED_UNAUTHORIZED, REJECTED_BAD_REQUEST -> drops.drop(DropReason.STUN_UNAUTHORIZED, from);
                default -> drops.drop(DropReason.STUN_MALFORMED, from);
            }
            return;
        }
        PeerTransport t = conn.bound();
        if (t == null) {
            drops.drop(DropReason.UNKNOWN_SOURCE, from + " (ICE-TCP)");
        } else if (PacketClassifier.isDtls(first)) {
            metrics.received(PacketKind.DTLS, len);
            t.onDtls(p.getBuffer(), p.getOffset(), len);
        } else if (PacketClassifier.isRtpOrRtcp(first)) {
            t.onSrtp(p);
        } else {
            drops.drop(DropReason.NOT_DEMULTIPLEXABLE, from + " (ICE-TCP)");
        }
    }

    private void onStun(PacketBuffer p, InetSocketAddress from) {
        StunOutcome outcome = ice.process(p.getBuffer(), p.getOffset(), p.getLength(), from);
        byte[] response = outcome.response();
        if (response != null) {
            sink.sendBytes(response, 0, response.length, from);
            metrics.sent(PacketKind.STUN, response.length);
        }
        switch (outcome.kind()) {
            case RESPONDED -> {
                PeerTransport t = byUfrag.get(outcome.localUfrag());
                if (t != null) {
                    t.onIceSuccess(from, outcome.useCandidate());
                }
            }
            case INDICATION -> {
                PeerTransport t = byAddress.get(from);
                if (t != null) {
                    t.onIceSuccess(from, false);
                }
            }
            case REJECTED_UNAUTHORIZED, REJECTED_BAD_REQUEST -> drops.drop(DropReason.STUN_UNAUTHORIZED, from);
            default -> drops.drop(DropReason.STUN_MALFORMED, from);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Sends queued while handling a batch of reads go out in one flush (and one syscall batch).
        sink.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A fault while handling one datagram must not close the port for everyone.
        drops.drop(DropReason.NOT_DEMULTIPLEXABLE, cause.toString());
    }

    @Override
    public void register(PeerTransport transport) {
        byUfrag.put(transport.localCredentials().ufrag(), transport);
    }

    @Override
    public void bindAddress(PeerTransport transport, InetSocketAddress old, InetSocketAddress now) {
        if (old != null && byAddress.get(old) == transport) {
            byAddress.remove(old);
        }
        if (now != null) {
            byAddress.put(now, transport);
        }
    }

    @Override
    public void credentialsChanged(PeerTransport transport, String oldUfrag) {
        byUfrag.remove(oldUfrag, transport);
        byUfrag.put(transport.localCredentials().ufrag(), transport);
    }

    @Override
    public void unregister(PeerTransport transport, InetSocketAddress address) {
        byUfrag.remove(transport.localCredentials().ufrag(), transport);
        if (address != null) {
            byAddress.remove(address, transport);
        }
    }

    /** Datagrams and bytes received on the media port since start (media loop only). */
    public long packetsIn() {
        return packetsIn;
    }

    public long bytesIn() {
        return bytesIn;
    }

    public int transportCount() {
        return byUfrag.size();
    }
}
