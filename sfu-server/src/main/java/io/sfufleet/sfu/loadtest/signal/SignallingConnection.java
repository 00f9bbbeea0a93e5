package io.sfufleet.sfu.loadtest.signal;

import io.sfufleet.model.signal.ClientMessage;
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.sfu.signal.SignallingCodec;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * A signalling WebSocket to a node (shared-model/docs/signalling.md) on the JDK's client: messages
 * out are encoded and sent one at a time; messages in are decoded and handed to a consumer on the
 * WebSocket's thread (the consumer must not block). Unknown message types are skipped as the
 * protocol asks.
 */
public final class SignallingConnection implements AutoCloseable {
    private final SignallingCodec codec = new SignallingCodec();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private final WebSocket ws;

    private SignallingConnection(HttpClient http, URI uri, Duration timeout, Consumer<ServerMessage> onMessage)
            throws IOException {
        try {
            ws = http.newWebSocketBuilder()
                    .connectTimeout(timeout)
                    .buildAsync(uri, new WebSocket.Listener() {
                        private final StringBuilder partial = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                String text = partial.toString();
                                partial.setLength(0);
                                ServerMessage m = decode(text);
                                if (m != null) {
                                    onMessage.accept(m);
                                }
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            closed.complete("closed by the node (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
                            return null;
                        }

                        @Override
                        public void onError(WebSocket webSocket, Throwable error) {
                            closed.complete("WebSocket error: " + error);
                        }
                    }).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("cannot open the signalling WebSocket " + uri + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no WebSocket handshake from " + uri + " within " + timeout.toMillis() + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while opening " + uri, e);
        }
    }

    /** Opens the WebSocket; fails with a message naming the URI. */
    public static SignallingConnection open(HttpClient http, URI uri, Duration timeout,
                                            Consumer<ServerMessage> onMessage) throws IOException {
        return new SignallingConnection(http, uri, timeout, onMessage);
    }

    /**
     * The signalling URI of a node's client URL: http(s)://host:port[/] becomes ws(s)://host:port/ws;
     * a ws(s) URL is taken as it is (with /ws added when it has no path).
     */
    public static URI signallingUri(URI clientUrl) {
        String scheme = clientUrl.getScheme() == null ? "" : clientUrl.getScheme().toLowerCase(java.util.Locale.ROOT);
        String ws = switch (scheme) {
            case "http", "ws" -> "ws";
            case "https", "wss" -> "wss";
            default -> throw new IllegalArgumentException("the node's client URL must be http, https, ws or wss: "
                    + clientUrl);
        };
        if (clientUrl.getHost() == null) {
            throw new IllegalArgumentException("the node's client URL has no host: " + clientUrl);
        }
        String path = clientUrl.getPath() == null || clientUrl.getPath().isEmpty() || clientUrl.getPath().equals("/")
                ? "/ws" : clientUrl.getPath();
        return URI.create(ws + "://" + clientUrl.getRawAuthority() + path);
    }

    private ServerMessage decode(String text) {
        try {
            return codec.decodeServer(text);
        } catch (IOException | RuntimeException e) {
            return null; // a message type we do not know: ignored, as the protocol asks of clients
        }
    }

    /** Sends one message; waits until the WebSocket took it (frames must not interleave). */
    public synchronized void send(ClientMessage message) throws IOException {
        if (closed.isDone()) {
            throw new IOException("signalling connection is " + closed.join());
        }
        try {
            ws.sendText(codec.encodeClient(message), true).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("could not send " + message.getClass().getSimpleName() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        }
    }

    /** Completes with why the connection ended. */
    public CompletableFuture<String> closedReason() {
        return closed;
    }

    @Override
    public void close() {
        if (!closed.isDone() && !ws.isOutputClosed()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(1, TimeUnit.SECONDS);
                closed.get(1, TimeUnit.SECONDS); // the node's closing frame
            } catch (ExecutionException | TimeoutException e) {
                // the node is gone or slow; abort below ends it either way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ws.abort();
        closed.complete("closed by the client");
    }
}
