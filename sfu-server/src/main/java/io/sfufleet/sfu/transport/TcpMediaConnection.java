package io.sfufleet.sfu.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.sfufleet.sfu.rtp.PacketBuffer;
import io.sfufleet.sfu.rtp.PacketPool;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One passive ICE-TCP connection (RFC 6544): cuts the stream into RFC 4571 frames and hands each
 * to the media port's demultiplexer as if it were a datagram, and is the {@link PacketSink} of the
 * transport it carries. A TCP connection is one candidate pair, so it serves exactly the transport
 * whose STUN check first succeeded on it. Runs on the media loop like the UDP port.
 */
public final class TcpMediaConnection extends ChannelInboundHandlerAdapter implements PacketSink {
    /** A connection must carry a successful ICE check this soon, or it is closed. */
    static final long BIND_TIMEOUT_SECONDS = 10;
    /** Largest frame accepted, the same bound as a datagram on the UDP port. */
    static final int MAX_FRAME = PacketPool.BUFFER_SIZE - 64;

    private final UdpMediaHandler demux;
    private final PacketPool pool;
    private final DropCounters drops;
    private final Counters counters;
    private final Rfc4571Deframer deframer = new Rfc4571Deframer(MAX_FRAME);
    private final byte[] chunk = new byte[4096];
    private final Rfc4571Deframer.Frames frames = new Rfc4571Deframer.Frames() {
        @Override
        public void frame(byte[] buf, int off, int len) {
            onFrame(buf, off, len);
        }

        @Override
        public void malformed(int length) {
            drops.drop(DropReason.EMPTY_OR_OVERSIZED, remote + " (ICE-TCP frame of " + length + " bytes)");
        }
    };
    private final Runnable flushTask = this::flush;
    private Channel channel;
    private InetSocketAddress remote;
    private PeerTransport bound;
    private long receivedAtNanos;
    private boolean flushScheduled;

    /** Node-wide ICE-TCP figures; thread-safe because the DTLS threads send too. */
    public static final class Counters {
        final LongAdder packetsOut = new LongAdder();
        final LongAdder bytesOut = new LongAdder();

        public long packetsOut() {
            return packetsOut.sum();
        }

        public long bytesOut() {
            return bytesOut.sum();
        }
    }

    TcpMediaConnection(UdpMediaHandler demux, PacketPool pool, DropCounters drops, Counters counters) {
        this.demux = demux;
        this.pool = pool;
        this.drops = drops;
        this.counters = counters;
    }

    /** The client's address and port of this connection. */
    public InetSocketAddress remote() {
        return remote;
    }

    /** The transport this connection carries, or null before a successful check. */
    PeerTransport bound() {
        return bound;
    }

    void bind(PeerTransport transport) {
        bound = transport;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = (InetSocketAddress) channel.remoteAddress();
        channel.eventLoop().schedule(() -> {
            if (bound == null && channel.isOpen()) {
                drops.drop(DropReason.UNKNOWN_SOURCE, remote + " (ICE-TCP connection without a valid check)");
                channel.close();
            }
        }, BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (!(msg instanceof ByteBuf in)) {
                return;
            }
            receivedAtNanos = System.nanoTime();
            while (in.isReadable()) {
                int n = Math.min(chunk.length, in.readableBytes());
                in.readBytes(chunk, 0, n);
                deframer.feed(chunk, 0, n, frames);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onFrame(byte[] buf, int off, int len) {
        PacketBuffer p = pool.acquire();
        try {
            System.arraycopy(buf, off, p.getBuffer(), 0, len);
            p.setOffset(0);
            p.setLength(len);
            p.setReceivedAtNanos(receivedAtNanos);
            demux.onTcpFrame(p, this);
        } finally {
            pool.release(p);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // Browsers send a consent check every few seconds (RFC 7675); silence means the client is gone.
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset by the client, or a write racing the close, is routine; the transport keeps its
        // state until ICE or consent freshness says otherwise.
        if (!(cause instanceof java.nio.channels.ClosedChannelException) && ctx.channel().isActive()) {
            drops.drop(DropReason.NOT_DEMULTIPLEXABLE, remote + " (ICE-TCP: " + cause + ")");
        }
        ctx.close();
    }

    // ---------------------------------------------------------------- PacketSink

    @Override
    public void send(PacketBuffer packet, InetSocketAddress to) {
        write(packet.getBuffer(), packet.getOffset(), packet.getLength(), false);
    }

    /** Sends a STUN response or other bytes of the media loop. */
    void sendBytes(byte[] data, int off, int len) {
        write(data, off, len, false);
    }

    @Override
    public void sendNow(byte[] data, int off, int len, InetSocketAddress to) {
        write(data, off, len, true);
    }

    private void write(byte[] data, int off, int len, boolean now) {
        Channel ch = channel;
        if (ch == null || !ch.isActive() || len < 1 || len > 0xFFFF) {
            return;
        }
        if (!ch.isWritable()) {
            // TCP would queue without bound behind a client that stopped reading; media is
            // better lost (NACK and keyframes recover it) than late.
            drops.drop(DropReason.TCP_SEND_BACKLOG, remote);
            return;
        }
        ByteBuf buf = ch.alloc().directBuffer(len + 2);
        buf.writeShort(len);
        buf.writeBytes(data, off, len);
        counters.packetsOut.increment();
        counters.bytesOut.add(len);
        if (now) {
            ch.writeAndFlush(buf, ch.voidPromise());
            return;
        }
        ch.write(buf, ch.voidPromise());
        if (!flushScheduled) {
            // Runs after the current read batch on this loop, so a batch of sends is one flush
            // without every caller having to know which of its transports are TCP.
            flushScheduled = true;
            ch.eventLoop().execute(flushTask);
        }
    }

    @Override
    public void flush() {
        flushScheduled = false;
        Channel ch = channel;
        if (ch != null) {
            ch.flush();
        }
    }
}
