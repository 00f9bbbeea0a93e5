package io.sfufleet.sfu.loadtest.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One Janus session over its WebSocket API (subprotocol {@code janus-protocol}): create, attach to
 * a plugin, plugin messages with an optional JSEP, and keepalives every 25 s (Janus ends sessions
 * idle for {@code session_timeout}, 60 s in our configuration). A request's answer is the reply
 * with its transaction: {@code success} or {@code error} for synchronous requests, the plugin's
 * {@code event} for asynchronous ones (the {@code ack} before it is skipped). Everything else
 * (notifications, {@code webrtcup}, {@code hangup}) goes to the listener of the handle it names.
 */
public final class JanusSession implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final long KEEPALIVE_SECONDS = 25;

    private final WebSocket ws;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final Map<Long, Consumer<JsonNode>> handles = new ConcurrentHashMap<>();
    private final AtomicLong transactions = new AtomicLong();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final Duration timeout;
    private volatile long sessionId;
    private volatile ScheduledFuture<?> keepalive;

    private JanusSession(HttpClient http, URI uri, Duration timeout) throws IOException {
        this.timeout = timeout;
        try {
            ws = http.newWebSocketBuilder().subprotocols("janus-protocol").connectTimeout(timeout)
                    .buildAsync(uri, new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String text = partial.toString();
                                partial.setLength(0);
                                dispatch(text);
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            ended("closed by Janus (" + statusCode + ")");
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            ended("WebSocket error: " + error);
                        }
                    }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot open Janus's WebSocket " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no WebSocket handshake from Janus at " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Opens the WebSocket and creates a Janus session on it. */
    public static JanusSession open(HttpClient http, URI uri, Duration timeout, ScheduledExecutorService timers)
            throws IOException {
        JanusSession s = new JanusSession(http, uri, timeout);
        try {
            JsonNode created = s.call(s.message("create"));
            s.sessionId = created.path("data").path("id").asLong();
            s.keepalive = timers.scheduleWithFixedDelay(s::sendKeepalive, KEEPALIVE_SECONDS, KEEPALIVE_SECONDS,
                    TimeUnit.SECONDS);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    private void ended(String reason) {
        if (closed.complete(reason)) {
            IOException e = new IOException("Janus session " + reason);
            pending.values().forEach(f -> f.completeExceptionally(e));
        }
    }

    private void dispatch(String text) {
        JsonNode m;
        try {
            m = JSON.readTree(text);
        } catch (IOException e) {
            return; // not JSON: nothing Janus would send
        }
        String kind = m.path("janus").asText();
        String tx = m.path("transaction").asText(null);
        if (tx != null && !kind.equals("ack")) {
            CompletableFuture<JsonNode> f = pending.remove(tx);
            if (f != null) {
                f.complete(m);
                return;
            }
        }
        if (kind.equals("ack")) {
            return;
        }
        Consumer<JsonNode> listener = handles.get(m.path("sender").asLong());
        if (listener != null) {
            listener.accept(m);
        }
    }

    ObjectNode message(String janus) {
        ObjectNode m = JSON.createObjectNode();
        m.put("janus", janus);
        if (sessionId != 0) {
            m.put("session_id", sessionId);
        }
        return m;
    }

    /** Sends and waits for the answer with the same transaction; a Janus {@code error} becomes an IOException. */
    JsonNode call(ObjectNode m) throws IOException {
        String tx = "t" + transactions.incrementAndGet();
        m.put("transaction", tx);
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(tx, f);
        send(m);
        try {
            JsonNode reply = f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.path("janus").asText().equals("error")) {
                throw new IOException("Janus error " + reply.path("error").path("code").asInt() + ": "
                        + reply.path("error").path("reason").asText());
            }
            return reply;
        } catch (TimeoutException e) {
            throw new IOException("no answer from Janus to " + m.path("janus").asText() + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pending.remove(tx);
        }
    }

    private synchronized void send(ObjectNode m) throws IOException {
        if (closed.isDone()) {
            throw new IOException("Janus session " + closed.join());
        }
        try {
            ws.sendText(JSON.writeValueAsString(m), true).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot send to Janus: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void sendKeepalive() {
        try {
            ObjectNode m = message("keepalive");
            m.put("transaction", "k" + transactions.incrementAndGet());
            send(m);
        } catch (IOException e) {
            // the session is gone; the participant notices through its own requests
        }
    }

    /** Attaches to {@code plugin}; its events go to {@code events}. Returns the handle id. */
    public long attach(String plugin, Consumer<JsonNode> events) throws IOException {
        ObjectNode m = message("attach");
        m.put("plugin", plugin);
        long handle = call(m).path("data").path("id").asLong();
        handles.put(handle, events);
        return handle;
    }

    /**
     * A plugin message on {@code handle}, with a JSEP when {@code jsepType} is not null; returns
     * Janus's answer (for VideoRoom's asynchronous requests, the event that answers it).
     */
    public JsonNode request(long handle, ObjectNode body, String jsepType, String sdp) throws IOException {
        ObjectNode m = message("message");
        m.put("handle_id", handle);
        m.set("body", body);
        if (jsepType != null) {
            ObjectNode jsep = m.putObject("jsep");
            jsep.put("type", jsepType);
            jsep.put("sdp", sdp);
        }
        return call(m);
    }

    public CompletableFuture<String> closedReason() {
        return closed;
    }

    /** Destroys the session (Janus hangs up its PeerConnections) and closes the WebSocket. */
    @Override
    public void close() {
        ScheduledFuture<?> k = keepalive;
        if (k != null) {
            k.cancel(false);
        }
        if (!closed.isDone() && sessionId != 0) {
            try {
                call(message("destroy"));
            } catch (IOException e) {
                // Janus is gone or slow: closing the WebSocket ends the session too
            }
        }
        if (!ws.isOutputClosed()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        ws.abort();
        ended("closed by the client");
    }

    static ObjectNode body() {
        return JSON.createObjectNode();
    }
}
