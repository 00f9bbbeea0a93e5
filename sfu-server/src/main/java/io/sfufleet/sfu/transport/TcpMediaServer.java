package io.sfufleet.sfu.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.sfufleet.sfu.net.Transports;
import java.net.InetSocketAddress;

/** Binds the ICE-TCP listener on the media loop; the pipeline is {@link TcpMediaInitializer}'s. */
public final class TcpMediaServer {
    /** Per connection: about a second of a 2.5 Mbit/s publisher's video queued before packets are dropped. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(128 * 1024, 384 * 1024);

    private final Channel channel;

    private TcpMediaServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Listens on {@code address}. Both the listener and its connections run on {@code mediaLoop},
     * the thread that owns every transport, so frames reach them without a hand-over.
     */
    public static TcpMediaServer bind(Transports transports, EventLoop mediaLoop, InetSocketAddress address,
                                      TcpMediaInitializer initializer) throws InterruptedException {
        Channel ch = new ServerBootstrap()
                .group(mediaLoop, mediaLoop)
                .channel(transports.serverSocketChannel())
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(initializer)
                .bind(address).sync().channel();
        return new TcpMediaServer(ch);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public void close() {
        channel.close().syncUninterruptibly();
    }
}
