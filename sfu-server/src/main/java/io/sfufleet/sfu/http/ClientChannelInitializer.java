package io.sfufleet.sfu.http;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.sfufleet.model.signal.Protocol;
import io.sfufleet.sfu.auth.JoinAuth;
import io.sfufleet.sfu.call.CallManager;
import io.sfufleet.sfu.signal.SignallingCodec;
import io.sfufleet.sfu.signal.SignallingHandler;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** Builds the pipeline of a client connection: HTTP for the web client, upgraded to WebSocket on /ws. */
final class ClientChannelInitializer extends ChannelInitializer<SocketChannel> {
    private static final int MAX_HTTP_REQUEST = 64 * 1024;

    private final SslContext ssl;
    private final SignallingCodec codec;
    private final CallManager calls;
    private final Executor mediaLoop;
    private final int maxMessageBytes;
    /** Changed by a configuration reload; applies to connections opened afterwards. */
    private volatile int idleSeconds;
    private final SignallingHandler.Counters counters;
    private final Map<String, StaticContentHandler.Resource> web;
    private final JoinAuth auth;

    ClientChannelInitializer(SslContext ssl, SignallingCodec codec, CallManager calls, Executor mediaLoop,
                             int maxMessageBytes, int idleSeconds, SignallingHandler.Counters counters,
                             Map<String, StaticContentHandler.Resource> web, JoinAuth auth) {
        this.ssl = ssl;
        this.codec = codec;
        this.calls = calls;
        this.mediaLoop = mediaLoop;
        this.maxMessageBytes = maxMessageBytes;
        this.idleSeconds = idleSeconds;
        this.counters = counters;
        this.web = web;
        this.auth = auth;
    }

    void setIdleSeconds(int seconds) {
        this.idleSeconds = seconds;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (ssl != null) {
            p.addLast(ssl.newHandler(ch.alloc()));
        }
        // Netty's own frame limit is a hard ceiling well above ours, so an oversized message gets
        // our MESSAGE_TOO_LARGE error before the close instead of a bare 1009 close code.
        int hardLimit = maxMessageBytes * 4;
        p.addLast(new IdleStateHandler(idleSeconds, 0, 0, TimeUnit.SECONDS))
                .addLast(new HttpServerCodec())
                .addLast(new HttpObjectAggregator(MAX_HTTP_REQUEST))
                .addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(Protocol.WS_PATH)
                        .maxFramePayloadLength(hardLimit)
                        .handleCloseFrames(true)
                        .dropPongFrames(true)
                        .build()))
                .addLast(new WebSocketFrameAggregator(hardLimit))
                .addLast(new SignallingHandler(codec, calls, auth, mediaLoop, maxMessageBytes, counters))
                .addLast(new DevTokenHandler(auth))
                .addLast(new StaticContentHandler(web));
    }
}
