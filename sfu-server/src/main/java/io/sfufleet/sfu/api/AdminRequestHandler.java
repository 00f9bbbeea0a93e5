package io.sfufleet.sfu.api;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateEvent;
import io.sfufleet.model.api.ApiError;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * One admin API connection: refuses browser requests, routes, checks access, runs the route and
 * writes its answer; on the event-stream route it upgrades the connection and hands it to an
 * {@link EventStreamHandler}. Answers leave in request order even when a route finishes later on
 * the media loop.
 */
final class AdminRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final System.Logger LOG = System.getLogger(AdminRequestHandler.class.getName());
    /** The client sends nothing but pongs and a close on the event stream. */
    private static final int MAX_CLIENT_FRAME_BYTES = 4096;

    private final Router router;
    private final AccessPolicy access;
    private final EventHub events;
    /** The previous request's answer: the next one is written after it (HTTP/1.1 pipelining). */
    private CompletableFuture<?> previous = CompletableFuture.completedFuture(null);

    AdminRequestHandler(Router router, AccessPolicy access, EventHub events) {
        this.router = router;
        this.access = access;
        this.events = events;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean keepAlive = HttpUtil.isKeepAlive(req) && req.decoderResult().isSuccess();
        String what = req.method() + " " + req.uri();
        CompletableFuture<ApiResponse> answer;
        try {
            answer = dispatch(req).toCompletableFuture();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<ApiResponse> safe = answer.handle((r, e) -> e == null ? r : failure(what, e));
        // an answer that could not be written must not hold up the ones after it
        previous = previous.exceptionally(e -> null)
                .thenCombine(safe, (ignored, r) -> r)
                .thenAcceptAsync(r -> respondOrClose(ctx, r, keepAlive, what), ctx.executor());
    }

    private void respondOrClose(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive, String what) {
        try {
            respond(ctx, r, keepAlive, what);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "admin API " + what + ": the answer could not be written", e);
            ctx.close();
        }
    }

    private CompletionStage<ApiResponse> dispatch(FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            throw ApiException.badRequest(null, "malformed HTTP request: " + req.decoderResult().cause());
        }
        if (req.headers().contains(HttpHeaderNames.ORIGIN)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, ApiError.FORBIDDEN,
                    "requests with an Origin header are refused: the admin API is not for web pages", null);
        }
        QueryStringDecoder uri = new QueryStringDecoder(req.uri());
        String path = uri.rawPath();
        return switch (router.match(req.method(), path)) {
            case Router.NotFound nf -> throw ApiException.notFound(null, "no route " + path + " (see shared-model/docs/api.md)");
            case Router.WrongMethod wm -> {
                String allow = wm.allowed().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
                yield CompletableFuture.completedFuture(ApiResponse.error(new ApiException(
                        HttpResponseStatus.METHOD_NOT_ALLOWED, ApiError.METHOD_NOT_ALLOWED,
                        path + " takes " + allow + ", not " + req.method().name(), null))
                        .withHeader(HttpHeaderNames.ALLOW.toString(), allow));
            }
            case Router.Found found -> {
                access.check(found.route().access(), req.headers().get(HttpHeaderNames.AUTHORIZATION),
                        req.headers().get(HttpHeaderNames.HOST));
                yield found.route().handler().handle(new ApiRequest(req.method(), req.uri(), found.params(),
                        uri.parameters(), req.headers().copy(), ByteBufUtil.getBytes(req.content())));
            }
        };
    }

    private static ApiResponse failure(String what, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ApiException api) {
            return ApiResponse.error(api);
        }
        LOG.log(System.Logger.Level.ERROR, "admin API " + what + " failed", cause);
        return ApiResponse.error(new ApiException(HttpResponseStatus.INTERNAL_SERVER_ERROR, ApiError.INTERNAL,
                "the node failed to answer (" + cause.getClass().getSimpleName() + "); see the node log", null));
    }

    private void respond(ChannelHandlerContext ctx, ApiResponse r, boolean keepAlive, String what) {
        if (!ctx.channel().isActive()) {
            return;
        }
        if (r.upgrade() != null) {
            upgrade(ctx, r.upgrade());
            return;
        }
        ByteBuf body = ctx.alloc().buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            if (r.body() != null) {
                r.body().writeTo(out);
            }
        } catch (IOException | RuntimeException e) {
            body.release();
            respond(ctx, failure(what, e), keepAlive, what);
            return;
        }
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, r.status(), body);
        if (r.contentType() != null) {
            resp.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        resp.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            resp.headers().set(h.getKey(), h.getValue());
        }
        if (!keepAlive) {
            resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture written = ctx.writeAndFlush(resp);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void upgrade(ChannelHandlerContext ctx, ApiResponse.EventStreamUpgrade how) {
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, how.uri(),
                Unpooled.EMPTY_BUFFER, how.headers(), EmptyHttpHeaders.INSTANCE);
        String scheme = ctx.pipeline().get(SslHandler.class) != null ? "wss://" : "ws://";
        WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(
                scheme + how.headers().get(HttpHeaderNames.HOST) + how.uri(), null, false,
                MAX_CLIENT_FRAME_BYTES).newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        handshaker.handshake(ctx.channel(), req).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ctx.pipeline().replace(this, "events", new EventStreamHandler(events, how.stats()));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "admin connection {0} failed: {1}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
