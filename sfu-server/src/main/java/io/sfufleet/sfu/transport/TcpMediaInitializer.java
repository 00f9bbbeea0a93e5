package io.sfufleet.sfu.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.sfufleet.sfu.rtp.PacketPool;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of each ICE-TCP connection: an idle timer, then the connection itself.
 * Connections over the limit are closed as they arrive and counted. All connections live on the
 * media loop, so the count needs no synchronisation.
 */
public final class TcpMediaInitializer extends ChannelInitializer<SocketChannel> {
    /** No bytes for this long (browsers check consent every 5 s or so): the connection is closed. */
    static final int READ_IDLE_SECONDS = 30;

    private final UdpMediaHandler demux;
    private final PacketPool pool;
    private final DropCounters drops;
    private final int maxConnections;
    private final TcpMediaConnection.Counters counters = new TcpMediaConnection.Counters();
    private final java.util.Set<SocketChannel> open = new java.util.HashSet<>();

    public TcpMediaInitializer(UdpMediaHandler demux, PacketPool pool, DropCounters drops, int maxConnections) {
        this.demux = demux;
        this.pool = pool;
        this.drops = drops;
        this.maxConnections = maxConnections;
    }

    public TcpMediaConnection.Counters counters() {
        return counters;
    }

    /** ICE-TCP connections open now (media loop only). */
    public int openConnections() {
        return open.size();
    }

    /**
     * Closes every ICE-TCP connection (media loop only): at shutdown, and in tests as the network
     * change that makes browsers restart ICE.
     */
    public void closeAll() {
        for (SocketChannel ch : java.util.List.copyOf(open)) {
            ch.close();
        }
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (open.size() >= maxConnections) {
            drops.drop(DropReason.TCP_CONNECTION_LIMIT, ch.remoteAddress());
            ch.close();
            return;
        }
        open.add(ch);
        ch.closeFuture().addListener(f -> open.remove(ch));
        ch.pipeline().addLast(new IdleStateHandler(READ_IDLE_SECONDS, 0, 0, TimeUnit.SECONDS),
                new TcpMediaConnection(demux, pool, drops, counters));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        drops.drop(DropReason.NOT_DEMULTIPLEXABLE, "ICE-TCP set-up: " + cause);
        ctx.close();
    }
}
