package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.stats.NodeSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An event-stream client that stops reading is cut off once 1 MiB waits for it: what the node keeps
 * for it is bounded, whatever it is sent.
 */
class SlowEventClientTest {
    private static SfuNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    @Test
    void aClientThatNeverReadsIsDisconnectedAndLittleOfTheFloodIsKept() throws Exception {
        AdminApi admin = node.admin();
        try (Socket s = new Socket()) {
            s.setReceiveBufferSize(16 * 1024);
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), node.adminPort()), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + ApiPaths.EVENTS + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer " + TestNodes.API_TOKEN + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            assertThat(RawHttp.readHead(in)).startsWith("HTTP/1.1 101 ");
            await(() -> admin.eventStreams() == 1, "the stream to open");
            long tooSlowBefore = admin.eventStreamsTooSlow();

            // From here on the client reads nothing. Flood it with snapshots (about 1 KB each) until the
            // node gives up on it; far more than the bound goes out.
            NodeSnapshot snapshot = node.snapshot();
            int frameBytes = ApiJson.bytes(new io.sfufleet.model.api.StatsSnapshotEvent(snapshot.node(),
                    snapshot.calls(), snapshot.takenAtMillis())).length;
            long sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (admin.eventStreams() > 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < 200; i++) {
                    admin.events().snapshotTaken(snapshot);
                    sent += frameBytes;
                }
                Thread.sleep(5);
            }
            assertThat(admin.eventStreams()).as("streams left after sending %d bytes", sent).isZero();
            assertThat(admin.eventStreamsTooSlow()).isEqualTo(tooSlowBefore + 1);
            assertThat(sent).isGreaterThan(AdminServer.HIGH_WATER_MARK);

            // What reached the client: at most the bound plus the socket buffers, then the end.
            long received = 0;
            byte[] buf = new byte[64 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    received += n;
                }
            } catch (IOException reset) {
                // a reset after the node dropped the queue is an end too
            }
            assertThat(received).as("bytes the client got of %d sent", sent)
                    .isLessThan(AdminServer.HIGH_WATER_MARK + 4L * AdminServer.SEND_BUFFER_BYTES + 512 * 1024);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
