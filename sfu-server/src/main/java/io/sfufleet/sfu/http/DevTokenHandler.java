package io.sfufleet.sfu.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sfufleet.sfu.auth.JoinAuth;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /dev/token?call=NAME&name=ALICE}: a join token with every permission for one hour,
 * so the built-in client works without an outside token service. Answers only while
 * {@code auth.dev_tokens} is on; otherwise the request goes on to {@link StaticContentHandler},
 * which answers 404 as for any unknown path. Other paths pass through untouched.
 */
final class DevTokenHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String PATH = "/dev/token";
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final int MAX_NAME_CHARS = 64;
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final JoinAuth auth;

    DevTokenHandler(JoinAuth auth) {
        this.auth = auth;
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof FullHttpRequest req && req.decoderResult().isSuccess()
                && new QueryStringDecoder(req.uri()).path().equals(PATH) && auth.devTokensEnabled();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.method().equals(HttpMethod.GET)) {
            respond(ctx, req, HttpResponseStatus.METHOD_NOT_ALLOWED, Map.of("error", "use GET"));
            return;
        }
        Map<String, List<String>> params = new QueryStringDecoder(req.uri()).parameters();
        String call = single(params, "call");
        String name = single(params, "name");
        if (call == null || !CALL_ID.matcher(call).matches()) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST,
                    Map.of("error", "call must be 1 to 64 characters of [A-Za-z0-9._-]"));
            return;
        }
        if (name == null || name.isBlank() || name.length() > MAX_NAME_CHARS) {
            respond(ctx, req, HttpResponseStatus.BAD_REQUEST, Map.of("error", "name must be 1 to 64 characters"));
            return;
        }
        String token;
        try {
            token = auth.mintDevToken(call, name);
        } catch (IllegalStateException e) {
            // dev tokens were turned off by a reload between the check and now
            respond(ctx, req, HttpResponseStatus.NOT_FOUND, Map.of("error", "not found"));
            return;
        }
        respond(ctx, req, HttpResponseStatus.OK, Map.of("token", token));
    }

    private static String single(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.size() != 1 ? null : values.getFirst();
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest req, HttpResponseStatus status,
                                Map<String, String> body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a map of strings", e);
        }
        // no-store: a token must not sit in any cache
        HttpResponses.send(ctx, req, status, bytes, "application/json; charset=utf-8", "no-store");
    }
}
