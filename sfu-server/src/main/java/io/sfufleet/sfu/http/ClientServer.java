package io.sfufleet.sfu.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import io.sfufleet.sfu.auth.JoinAuth;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.net.Transports;
import io.sfufleet.sfu.signal.SignallingCodec;
import io.sfufleet.sfu.signal.SignallingHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/** Binds the client-facing listener (web client + signalling). Only binds; the pipeline is elsewhere. */
public final class ClientServer implements AutoCloseable {
    private final Channel channel;
    private final ClientChannelInitializer initializer;

    private ClientServer(Channel channel, ClientChannelInitializer initializer) {
        this.channel = channel;
        this.initializer = initializer;
    }

    public static ClientServer bind(Transports transports, EventLoopGroup group, InetSocketAddress address,
                                    SslContext ssl, CallManager calls, Executor mediaLoop, int maxMessageBytes,
                                    int idleSeconds, SignallingHandler.Counters counters, JoinAuth auth)
            throws InterruptedException {
        ClientChannelInitializer initializer = new ClientChannelInitializer(ssl, new SignallingCodec(), calls,
                mediaLoop, maxMessageBytes, idleSeconds, counters, StaticContentHandler.loadWebClient(), auth);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(transports.serverSocketChannel())
                .childHandler(initializer);
        return new ClientServer(b.bind(address).sync().channel(), initializer);
    }

    /** {@code limits.ws_idle_timeout_seconds} after a reload: for connections opened from now on. */
    public void setIdleTimeoutSeconds(int seconds) {
        initializer.setIdleSeconds(seconds);
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}
