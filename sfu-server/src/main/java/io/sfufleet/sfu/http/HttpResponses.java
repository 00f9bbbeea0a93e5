package io.sfufleet.sfu.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/** One way to answer a request on the client listener: length, type, no sniffing, keep-alive honoured. */
final class HttpResponses {
    private HttpResponses() {
    }

    static void send(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, byte[] body,
                     String contentType, String cacheControl) {
        boolean head = req.method().equals(HttpMethod.HEAD);
        FullHttpResponse res = new DefaultFullHttpResponse(req.protocolVersion(), status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, cacheControl)
                .set("X-Content-Type-Options", "nosniff");
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        HttpUtil.setKeepAlive(res, keepAlive);
        var f = ctx.writeAndFlush(res);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
