package io.sfufleet.console.monitor;

import static io.sfufleet.console.TestConsole.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.console.fleet.NodeEntry;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One monitor per kind of node: real and healthy, gone, slow, speaking garbage, refusing the token. */
class NodeMonitorTest {
    private final OkHttpClient http = io.sfufleet.console.node.NodeClient.newHttpClient();
    private ScheduledExecutorService timer;
    private ExecutorService workers;
    private final List<NodeMonitor> monitors = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        timer = Executors.newScheduledThreadPool(2);
        workers = Executors.newVirtualThreadPerTaskExecutor();
    }

    @AfterEach
    void tearDown() throws Exception {
        monitors.forEach(NodeMonitor::close);
        for (AutoCloseable s : servers) {
            s.close();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        http.dispatcher().executorService().shutdown();
    }

    private NodeMonitor watch(String url, String token) {
        NodeMonitor m = new NodeMonitor(new NodeEntry(1, "n", url, token, 0), http, timer, workers,
                Clock.systemUTC(), MonitorSettings.DEFAULTS, (n, s) -> { });
        monitors.add(m);
        m.start();
        return m;
    }

    @Test
    void aRealNodeIsUpWithItsFiguresAndSamplesAndGoesUnreachableWithinFiveSecondsOfStopping() throws Exception {
        SfuNode node = TestNodes.start();
        NodeMonitor m = watch("http://127.0.0.1:" + node.adminPort(), TestNodes.API_TOKEN);
        try {
            await("the node is up", 30, () -> m.status().health() == NodeHealth.UP);
            assertThat(m.status().info().nodeName()).isNotBlank();
            await("two samples arrived", 30, () -> m.samples().size() >= 2);
        } finally {
            node.close();
        }
        long stopped = System.nanoTime();
        await("the node is unreachable", 5, () -> m.status().health() == NodeHealth.UNREACHABLE);
        long tookMillis = (System.nanoTime() - stopped) / 1_000_000;
        assertThat(tookMillis).isLessThan(5000);
        assertThat(m.status().info()).as("the last figures stay visible").isNotNull();
        assertThat(m.status().problem()).isNotBlank();
    }

    @Test
    void aNodeThatComesBackOnItsAddressIsPickedUpAgain() throws Exception {
        int api = io.sfufleet.sfu.FreePorts.tcp();
        var ports = java.util.Map.of("SFU_API_PORT", Integer.toString(api));
        SfuNode first = TestNodes.start(ports);
        NodeMonitor m = watch("http://127.0.0.1:" + api, TestNodes.API_TOKEN);
        await("up", 30, () -> m.status().health() == NodeHealth.UP);
        first.close();
        await("unreachable", 10, () -> m.status().health() == NodeHealth.UNREACHABLE);
        try (SfuNode second = TestNodes.start(ports)) {
            // the backoff is at most 10 s, so the monitor reconnects within about that
            await("up again", 30, () -> m.status().health() == NodeHealth.UP
                    && m.status().info().startedAtMillis() == second.startedAtMillis());
        }
    }

    @Test
    void aWrongTokenIsReportedAsSuch() throws Exception {
        try (SfuNode node = TestNodes.start()) {
            NodeMonitor m = watch("http://127.0.0.1:" + node.adminPort(), "not-the-token-0123456789");
            await("the token is refused", 30, () -> m.status().health() == NodeHealth.AUTH_FAILED);
            assertThat(m.status().problem()).contains("401").contains("token");
        }
    }

    @Test
    void nothingListeningIsUnreachableAtOnce() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        NodeMonitor m = watch("http://127.0.0.1:" + port, "t");
        await("unreachable", 10, () -> m.status().health() == NodeHealth.UNREACHABLE);
        assertThat(m.status().info()).isNull();
    }

    @Test
    void aNodeThatAcceptsButNeverAnswersGoesUnreachableAfterTheStaleTimeAndOthersKeepWorking() throws Exception {
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(silent);
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try {
                while (!silent.isClosed()) {
                    held.add(silent.accept()); // read nothing, answer nothing
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        servers.add(() -> {
            for (Socket s : held) {
                s.close();
            }
        });
        try (SfuNode node = TestNodes.start()) {
            NodeMonitor slow = watch("http://127.0.0.1:" + silent.getLocalPort(), "t");
            NodeMonitor real = watch("http://127.0.0.1:" + node.adminPort(), TestNodes.API_TOKEN);
            long start = System.nanoTime();
            await("the silent node is unreachable", 10, () -> slow.status().health() == NodeHealth.UNREACHABLE);
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5000);
            assertThat(slow.status().problem()).contains("no data");
            await("the real node is up meanwhile", 30, () -> real.status().health() == NodeHealth.UP);
        }
    }

    @Test
    void anHttpServerThatIsNotANodeIsABadAnswer() throws Exception {
        ServerSocket s = server(out -> out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello").getBytes(StandardCharsets.US_ASCII)));
        NodeMonitor m = watch("http://127.0.0.1:" + s.getLocalPort(), "t");
        await("a bad answer", 10, () -> m.status().health() == NodeHealth.BAD_ANSWER);
        assertThat(m.status().problem()).contains("200");
    }

    @Test
    void aWebSocketSpeakingGarbageIsABadAnswer() throws Exception {
        ServerSocket s = server(null);
        NodeMonitor m = watch("http://127.0.0.1:" + s.getLocalPort(), "t");
        await("a bad answer", 10, () -> m.status().health() == NodeHealth.BAD_ANSWER);
        assertThat(m.status().problem()).contains("not a node event");
    }

    /** A one-request-per-connection server: {@code answer} writes a reply, or null for a WebSocket that sends garbage. */
    private ServerSocket server(IoConsumer<OutputStream> answer) throws IOException {
        ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        servers.add(s);
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    String request = readHead(c.getInputStream());
                    OutputStream out = c.getOutputStream();
                    if (answer != null) {
                        answer.accept(out);
                    } else {
                        String key = request.lines().filter(l -> l.toLowerCase().startsWith("sec-websocket-key:"))
                                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
                        String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                                .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
                        out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                        for (int i = 0; i < 10 && !s.isClosed(); i++) {
                            byte[] text = "{this is not json".getBytes(StandardCharsets.UTF_8);
                            out.write(0x81);
                            out.write(text.length);
                            out.write(text);
                            out.flush();
                            Thread.sleep(300);
                        }
                    }
                    out.flush();
                } catch (Exception closed) {
                    // next connection, or the test is over
                }
            }
        });
        return s;
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            b.append((char) c);
            if (b.length() >= 4 && b.substring(b.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        return b.toString();
    }

    @FunctionalInterface
    private interface IoConsumer<T> {
        void accept(T t) throws IOException;
    }
}
