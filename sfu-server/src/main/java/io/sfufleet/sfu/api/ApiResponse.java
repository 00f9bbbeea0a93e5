package io.sfufleet.sfu.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * What a route answers: a status and a body written on the connection's thread, or (the event
 * stream) the instruction to upgrade the connection to a WebSocket.
 *
 * @param headers extra response headers
 * @param upgrade non-null: switch to the event stream instead of answering
 */
record ApiResponse(HttpResponseStatus status, String contentType, Body body, Map<String, String> headers,
                   EventStreamUpgrade upgrade) {
    static final String JSON = "application/json";

    @FunctionalInterface
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Upgrade the connection to the event stream: the request's target and headers, and its settings. */
    record EventStreamUpgrade(String uri, io.netty.handler.codec.http.HttpHeaders headers, boolean stats) {
    }

    static ApiResponse json(HttpResponseStatus status, Object value) {
        return new ApiResponse(status, JSON, out -> ApiJson.write(out, value), Map.of(), null);
    }

    static ApiResponse ok(Object value) {
        return json(HttpResponseStatus.OK, value);
    }

    /** The error as an {@code ApiError} body; a 401 carries the Bearer challenge. */
    static ApiResponse error(ApiException e) {
        ApiResponse r = json(e.status(), e.toError());
        return e.status().equals(HttpResponseStatus.UNAUTHORIZED)
                ? r.withHeader("WWW-Authenticate", AccessPolicy.CHALLENGE) : r;
    }

    static ApiResponse upgrade(ApiRequest request, boolean stats) {
        return new ApiResponse(HttpResponseStatus.SWITCHING_PROTOCOLS, null, null, Map.of(),
                new EventStreamUpgrade(request.uri(), request.headers(), stats));
    }

    ApiResponse withHeader(String name, String value) {
        var h = new java.util.LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiResponse(status, contentType, body, Map.copyOf(h), upgrade);
    }
}
