package io.sfufleet.console.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.NodeEvent;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;

/**
 * The node's live event stream ({@code GET /api/v1/events}, a WebSocket of {@link NodeEvent}
 * frames, a {@code statsSnapshot} every second). Callbacks arrive on OkHttp's threads, one at a
 * time per stream; a frame that is not a {@code NodeEvent} is reported, not thrown.
 */
public final class NodeEventStream {
    /** What the stream reports. Implementations must not block: they run on OkHttp's reader thread. */
    public interface Listener {
        void opened();

        void event(NodeEvent event);

        /** A frame that could not be read as an event (the stream stays open). */
        void garbage(String problem);

        /** The stream ended: refused (with the HTTP status when there was one), dropped, or closed. */
        void closed(String reason, int httpStatus);
    }

    private final OkHttpClient http;
    private final HttpUrl base;
    private final String token;
    private final ObjectMapper mapper;

    public NodeEventStream(OkHttpClient http, HttpUrl base, String token, ObjectMapper mapper) {
        this.http = Objects.requireNonNull(http, "http");
        this.base = Objects.requireNonNull(base, "base");
        this.token = token == null || token.isEmpty() ? null : token;
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Opens the stream; the returned handle cancels it. */
    public WebSocket open(Listener listener) {
        Request.Builder b = new Request.Builder().url(base.newBuilder().encodedPath(ApiPaths.EVENTS).build());
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.newWebSocket(b.build(), new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket, Response response) {
                listener.opened();
            }

            @Override
            public void onMessage(WebSocket webSocket, String text) {
                NodeEvent event;
                try {
                    event = mapper.readValue(text, NodeEvent.class);
                } catch (Exception e) {
                    listener.garbage("not a node event: " + firstLine(e.getMessage()));
                    return;
                }
                listener.event(event);
            }

            @Override
            public void onClosing(WebSocket webSocket, int code, String reason) {
                webSocket.close(1000, null);
                listener.closed("the node closed the event stream (" + code
                        + (reason == null || reason.isEmpty() ? "" : " " + reason) + ")", 0);
            }

            @Override
            public void onFailure(WebSocket webSocket, Throwable t, Response response) {
                int status = response == null ? 0 : response.code();
                String why = status != 0
                        ? "the event stream was refused: HTTP " + status + (status == 401 || status == 403
                        ? " (check the node's API token)" : "")
                        : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
                if (response != null) {
                    response.close();
                }
                listener.closed(why, status);
            }
        });
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no detail)";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
