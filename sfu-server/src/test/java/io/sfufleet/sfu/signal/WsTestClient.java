package io.sfufleet.sfu.signal;

import io.sfufleet.model.signal.ClientMessage;
import io.sfufleet.model.signal.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A signalling client for tests on the JDK's WebSocket: sends messages, collects what comes back. */
public final class WsTestClient implements AutoCloseable {
    private final SignallingCodec codec = new SignallingCodec();
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
    private final AtomicInteger receivedCount = new AtomicInteger();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final WebSocket ws;

    public WsTestClient(int port) throws Exception {
        this(HttpClient.newHttpClient(), URI.create("ws://127.0.0.1:" + port + "/ws"));
    }

    /** A client for any signalling URL, e.g. wss:// with an HttpClient that trusts the node's certificate. */
    public WsTestClient(HttpClient http, URI uri) throws Exception {
        ws = http.newWebSocketBuilder()
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            receivedCount.incrementAndGet();
                            received.add(partial.toString());
                            partial.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.complete(-1);
                    }
                }).get(5, TimeUnit.SECONDS);
    }

    public void send(ClientMessage m) {
        sendRaw(codec.encodeClient(m));
    }

    public void sendRaw(String text) {
        ws.sendText(text, true).join();
    }

    /** The very next message, whatever it is; fails after 5 s. */
    public ServerMessage next() throws Exception {
        String text = received.poll(15, TimeUnit.SECONDS);
        if (text == null) {
            throw new AssertionError("no message within 15 s");
        }
        return codec.decodeServer(text);
    }

    /** The next message of type {@code type}, skipping others; fails after 5 s. */
    public <T extends ServerMessage> T expect(Class<T> type) throws Exception {
        return expect(type, m -> true);
    }

    public <T extends ServerMessage> T expect(Class<T> type, Predicate<T> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        StringBuilder seen = new StringBuilder();
        while (System.nanoTime() < deadline) {
            String text = received.poll(100, TimeUnit.MILLISECONDS);
            if (text == null) {
                continue;
            }
            ServerMessage m = codec.decodeServer(text);
            if (type.isInstance(m) && match.test(type.cast(m))) {
                return type.cast(m);
            }
            seen.append(text).append('\n');
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 15 s; got instead:\n" + seen);
    }

    /**
     * Without waiting: the first message of {@code type} among those already received (the ones
     * before it are consumed), or null if there is none yet.
     */
    public <T extends ServerMessage> T pollFor(Class<T> type) throws Exception {
        String text;
        while ((text = received.poll()) != null) {
            ServerMessage m = codec.decodeServer(text);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
        return null;
    }

    /** Messages received so far, whether or not a test looked at them. */
    public int receivedCount() {
        return receivedCount.get();
    }

    /** Every message up to and including the first of {@code type}, in order; fails after 15 s. */
    List<ServerMessage> until(Class<? extends ServerMessage> type) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<ServerMessage> out = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String text = received.poll(100, TimeUnit.MILLISECONDS);
            if (text == null) {
                continue;
            }
            ServerMessage m = codec.decodeServer(text);
            out.add(m);
            if (type.isInstance(m)) {
                return out;
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within 15 s; got instead: " + out);
    }

    @Override
    public void close() {
        ws.abort();
    }
}
