package io.sfufleet.sfu.api;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.sfufleet.sfu.net.Transports;
import java.net.InetSocketAddress;

/** Binds the admin API listener. Only binds; the pipeline is {@link AdminChannelInitializer}'s. */
public final class AdminServer implements AutoCloseable {
    /**
     * Bytes queued for one connection above which it stops being writable: an event stream whose
     * client lets more than this pile up is closed as too slow (api.md: 1 MiB).
     */
    static final int HIGH_WATER_MARK = 1024 * 1024;
    static final int LOW_WATER_MARK = HIGH_WATER_MARK / 2;
    /** A small kernel send buffer, so what a stalled client leaves behind is mostly in our bounded queue. */
    static final int SEND_BUFFER_BYTES = 128 * 1024;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * @param group one event loop: the event streams' fan-out relies on every connection being on it
     * @param ssl   null for plain HTTP
     */
    public static AdminServer bind(Transports transports, EventLoopGroup group, InetSocketAddress address,
                                   SslContext ssl, AdminApi api) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transports.serverSocketChannel())
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK))
                .childOption(ChannelOption.SO_SNDBUF, SEND_BUFFER_BYTES)
                .childHandler(new AdminChannelInitializer(ssl, api.router(), api.access(), api.events()));
        return new AdminServer(b.bind(address).sync().channel());
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
