package io.sfufleet.sfu.api;

import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.NodeEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A console's view of the event stream: the JDK's WebSocket with the bearer token, events decoded. */
final class EventStreamClient implements AutoCloseable {
    /** One frame and when it arrived. */
    record Received(NodeEvent event, long arrivedNanos) {
    }

    final BlockingQueue<Received> events = new LinkedBlockingQueue<>();
    /** The close code and reason the node sent. */
    final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket ws;

    EventStreamClient(int port, String token, String query) throws Exception {
        ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token)
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create("ws://127.0.0.1:" + port + ApiPaths.EVENTS + (query == null ? "" : "?" + query)),
                        new WebSocket.Listener() {
                            private final StringBuilder partial = new StringBuilder();

                            @Override
                            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                partial.append(data);
                                if (last) {
                                    try {
                                        events.add(new Received(AdminClient.JSON.readValue(partial.toString(),
                                                NodeEvent.class), System.nanoTime()));
                                    } catch (Exception e) {
                                        closed.completeExceptionally(e);
                                    }
                                    partial.setLength(0);
                                }
                                webSocket.request(1);
                                return null;
                            }

                            @Override
                            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                                closed.complete(statusCode + " " + reason);
                                return null;
                            }

                            @Override
                            public void onError(WebSocket webSocket, Throwable error) {
                                closed.completeExceptionally(error);
                            }
                        }).get(5, TimeUnit.SECONDS);
    }

    /** The next event of {@code type} matching {@code match} within {@code timeoutMillis}, skipping others. */
    <T extends NodeEvent> T expect(Class<T> type, Predicate<T> match, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        List<NodeEvent> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Received r = events.poll(20, TimeUnit.MILLISECONDS);
            if (r == null) {
                continue;
            }
            if (type.isInstance(r.event()) && match.test(type.cast(r.event()))) {
                return type.cast(r.event());
            }
            seen.add(r.event());
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + timeoutMillis + " ms; got " + seen);
    }

    <T extends NodeEvent> T expect(Class<T> type, long timeoutMillis) throws Exception {
        return expect(type, e -> true, timeoutMillis);
    }

    /** The very next frame. */
    Received next(long timeoutMillis) throws InterruptedException {
        Received r = events.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        if (r == null) {
            throw new AssertionError("no event within " + timeoutMillis + " ms");
        }
        return r;
    }

    @Override
    public void close() {
        ws.abort();
    }
}
