package io.sfufleet.sfu.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.sfufleet.model.api.ApiPaths;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One event-stream connection after the WebSocket upgrade. It writes what the {@link EventHub}
 * hands it and never queues without bound: once more than the channel's high water mark (1 MiB) is
 * waiting, the client is too slow and the connection is closed with 1008 "too slow"; closing drops
 * what was queued. Data frames from the client are ignored; the node pings every 15 seconds.
 */
final class EventStreamHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final System.Logger LOG = System.getLogger(EventStreamHandler.class.getName());
    static final long PING_INTERVAL_SECONDS = 15;
    /** How long a closing handshake may take before the connection is cut. */
    private static final long CLOSE_GRACE_MILLIS = 1000;

    private final EventHub hub;
    private final boolean stats;
    private ChannelHandlerContext ctx;
    /** Hello was sent; events are written from now on. */
    private boolean started;
    private boolean closing;
    private ScheduledFuture<?> pings;

    EventStreamHandler(EventHub hub, boolean stats) {
        this.hub = hub;
        this.stats = stats;
    }

    boolean wantsStats() {
        return stats;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        hub.subscribe(this);
    }

    /** Sends {@code hello} (taking the buffer) and starts the stream. Admin loop. */
    void start(ByteBuf hello) {
        if (closing || !ctx.channel().isActive()) {
            hello.release();
            return;
        }
        started = true;
        ctx.writeAndFlush(new TextWebSocketFrame(hello), ctx.voidPromise());
        pings = ctx.executor().scheduleAtFixedRate(
                () -> ctx.writeAndFlush(new PingWebSocketFrame(), ctx.voidPromise()),
                PING_INTERVAL_SECONDS, PING_INTERVAL_SECONDS, TimeUnit.SECONDS);
    }

    /** Writes one event frame, taking ownership of {@code json}. Admin loop. */
    void send(ByteBuf json) {
        if (!started || closing) {
            json.release();
            return;
        }
        if (!ctx.channel().isWritable()) {
            json.release();
            tooSlow();
            return;
        }
        ctx.writeAndFlush(new TextWebSocketFrame(json), ctx.voidPromise());
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable() && started) {
            tooSlow();
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void tooSlow() {
        if (closing) {
            return;
        }
        hub.countTooSlow();
        LOG.log(System.Logger.Level.INFO, "event stream {0}: client does not keep up; closing it",
                ctx.channel().remoteAddress());
        close(new CloseWebSocketFrame(ApiPaths.EVENTS_TOO_SLOW_CLOSE_CODE, ApiPaths.EVENTS_TOO_SLOW_CLOSE_REASON));
    }

    /** The node is stopping: close with 1001. */
    ChannelFuture goingAway() {
        return close(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE));
    }

    /**
     * Starts the closing handshake and cuts the connection once the close frame is out, or after a
     * grace period when the client reads nothing (then what was queued is dropped with it).
     */
    private ChannelFuture close(CloseWebSocketFrame frame) {
        if (closing) {
            frame.release();
            return ctx.channel().closeFuture();
        }
        closing = true;
        ctx.writeAndFlush(frame).addListener(ChannelFutureListener.CLOSE);
        ctx.executor().schedule(() -> {
            ctx.close();
        }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS);
        return ctx.channel().closeFuture();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof CloseWebSocketFrame close) {
            if (!closing) {
                closing = true;
                ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.close(); // the client answered our close
            }
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()), ctx.voidPromise());
        }
        // pongs and data frames: nothing to do (clients send nothing else)
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            // not even a pong for the idle timeout: the client is gone
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (pings != null) {
            pings.cancel(false);
        }
        hub.unsubscribe(this);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "event stream {0} failed: {1}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
