package io.sfufleet.sfu.api;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of an admin API connection: TLS when configured, HTTP, the bounded body, the API. */
final class AdminChannelInitializer extends ChannelInitializer<SocketChannel> {
    /**
     * A connection that sends nothing this long is closed. Event streams are not affected while the
     * client answers the node's pings (every 15 s).
     */
    static final int IDLE_SECONDS = 60;

    private final SslContext ssl;
    private final Router router;
    private final AccessPolicy access;
    private final EventHub events;

    AdminChannelInitializer(SslContext ssl, Router router, AccessPolicy access, EventHub events) {
        this.ssl = ssl;
        this.router = router;
        this.access = access;
        this.events = events;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc()));
        }
        p.addLast(new IdleStateHandler(IDLE_SECONDS, 0, 0, TimeUnit.SECONDS))
                .addLast(new HttpServerCodec())
                .addLast(new BoundedBodyAggregator())
                .addLast(new AdminRequestHandler(router, access, events));
    }
}
