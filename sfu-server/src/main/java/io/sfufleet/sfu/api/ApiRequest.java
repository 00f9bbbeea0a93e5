package io.sfufleet.sfu.api;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.util.List;
import java.util.Map;

/**
 * A request as a route handler sees it: copies only, so a handler may finish later on another
 * thread without holding a Netty buffer.
 *
 * @param uri     the request target as sent (path and query)
 * @param params  the path's {@code {name}} values
 * @param query   decoded query parameters
 * @param headers the request headers (a copy)
 * @param body    the body, at most {@code ApiPaths.MAX_REQUEST_BYTES}
 */
record ApiRequest(HttpMethod method, String uri, Map<String, String> params, Map<String, List<String>> query,
                  HttpHeaders headers, byte[] body) {

    String param(String name) {
        String v = params.get(name);
        if (v == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return v;
    }

    /** The last value of a query parameter, or null. */
    String queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getLast();
    }

    <T> T body(Class<T> type) {
        return ApiJson.read(body, type);
    }
}
