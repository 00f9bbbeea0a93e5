package io.sfufleet.sfu.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Serves the built-in browser client from the classpath. The files are read once at start: they
 * are small, and an air-gapped node must never reach out for them.
 */
public final class StaticContentHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    record Resource(byte[] body, String contentType) {
    }

    private final Map<String, Resource> resources;

    StaticContentHandler(Map<String, Resource> resources) {
        this.resources = resources;
    }

    /** Loads the web client's files; a missing file is left out and answered with 404. */
    static Map<String, Resource> loadWebClient() {
        Map<String, Resource> m = new HashMap<>();
        put(m, "/", "web/index.html", "text/html; charset=utf-8");
        put(m, "/index.html", "web/index.html", "text/html; charset=utf-8");
        put(m, "/client.js", "web/client.js", "text/javascript; charset=utf-8");
        put(m, "/e2ee-worker.js", "web/e2ee-worker.js", "text/javascript; charset=utf-8");
        put(m, "/style.css", "web/style.css", "text/css; charset=utf-8");
        return Map.copyOf(m);
    }

    private static void put(Map<String, Resource> m, String path, String resource, String type) {
        try (InputStream in = StaticContentHandler.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                m.put(path, new Resource(in.readAllBytes(), type));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, "bad request\n".getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8");
            return;
        }
        if (!req.method().equals(HttpMethod.GET) && !req.method().equals(HttpMethod.HEAD)) {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n".getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8");
            return;
        }
        String path = new QueryStringDecoder(req.uri()).path();
        Resource r = resources.get(path);
        if (r == null) {
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, "not found\n".getBytes(StandardCharsets.UTF_8),
                    "text/plain; charset=utf-8");
            return;
        }
        respond(ctx, req, HttpResponseStatus.OK, r.body(), r.contentType());
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status, byte[] body,
                                String type) {
        HttpResponses.send(ctx, req, status, body, type, "no-cache");
    }
}
