package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.CandidateType;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.sfu.FreePorts;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.browser.ClientView.Stats;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Through a TURN relay: Debian's coturn on loopback with a shared secret, the node handing out
 * credentials minted from it in {@code joined}, and Chromium forced to relayed candidates
 * ({@code ?relay=1}, iceTransportPolicy "relay"). Media must flow, and the node must see the
 * relay's addresses, not the browsers'.
 */
class TurnRelayBrowserTest {
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration TIMEOUT = Duration.ofSeconds(40);
    private static final String TURNSERVER = System.getProperty("sfu.test.turnserver", "/usr/bin/turnserver");
    private static final String SECRET = "coturn-test-secret-0123456789";
    /** coturn's relay ports in this test; the namespace is ours alone, so a fixed range is free. */
    private static final int RELAY_MIN = 50_000;
    private static final int RELAY_MAX = 50_100;

    private SfuNode node;
    private Process coturn;
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        try {
            BrowserTests.closeAll(browsers, node);
        } finally {
            if (coturn != null) {
                coturn.destroy();
                if (!coturn.waitFor(10, TimeUnit.SECONDS)) {
                    coturn.destroyForcibly();
                }
            }
        }
    }

    @Test
    void relayOnlyBrowsersConnectThroughCoturnWithTheNodesCredentials() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        assertThat(Path.of(TURNSERVER)).as("coturn: apt-get install -y coturn").isExecutable();
        int turnPort = FreePorts.udpAndTcp();
        coturn = startCoturn(turnPort);

        node = BrowserTests.startNode(ForwardLoss.NONE, Map.of("SFU_MEDIA_TURN_URLS", "turn:127.0.0.1:" + turnPort + "?transport=udp", "SFU_MEDIA_TURN_SECRET", SECRET));
        for (String name : List.of("RelayAlice", "RelayBob")) {
            Browser b = Browser.launch(name, OUT);
            browsers.add(b);
            b.open(node.clientUrl() + "?call=relay&name=" + name + "&autojoin=1&relay=1");
        }
        await("both connected through the relay and receiving two tracks",
                () -> browsers.stream().allMatch(b -> b.stats().connected() && b.remoteTracks().size() == 2));
        for (Browser b : browsers) {
            Stats s = b.stats();
            assertThat(s.publishPath().localCandidateType()).as("%s publish path", b).isEqualTo("relay");
            assertThat(s.subscribePath().localCandidateType()).as("%s subscribe path", b).isEqualTo("relay");
        }
        long[] before = videoFrames();
        await("video decodes through the relay", () -> {
            long[] now = videoFrames();
            return now[0] > before[0] + 30 && now[1] > before[1] + 30;
        });
        // The node sees coturn's relay addresses: what the browsers' own sockets are is hidden from it.
        // It knows coturn's address from its TURN configuration, so it reports them as relayed.
        await("the node sees relay addresses and reports relayed participants", () -> {
            List<ParticipantDetail> ps = node.snapshot().details().values().stream()
                    .flatMap(c -> c.participants().stream()).toList();
            return ps.size() == 2 && ps.stream().allMatch(p -> p.remotePort() >= RELAY_MIN && p.remotePort() <= RELAY_MAX
                    && p.candidateType() == CandidateType.relay);
        });
    }

    /** coturn on 127.0.0.1 with the REST-API shared secret; waits until it accepts connections. */
    private static Process startCoturn(int port) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("sfu-coturn-");
        Path conf = dir.resolve("turnserver.conf");
        Files.writeString(conf, String.join("\n",
                "listening-ip=127.0.0.1",
                "relay-ip=127.0.0.1",
                "listening-port=" + port,
                "min-port=" + RELAY_MIN,
                "max-port=" + RELAY_MAX,
                "use-auth-secret",
                "static-auth-secret=" + SECRET,
                "realm=sfu-fleet-test",
                "fingerprint",
                "no-tls",
                "no-dtls",
                "no-cli",
                // the node is a loopback peer, which coturn refuses unless told otherwise
                "allow-loopback-peers",
                "pidfile=" + dir.resolve("turnserver.pid"),
                "userdb=" + dir.resolve("turndb"),
                "log-file=stdout",
                "simple-log",
                ""));
        Files.createDirectories(OUT);
        Process p = new ProcessBuilder(TURNSERVER, "-c", conf.toString())
                .redirectErrorStream(true)
                .redirectOutput(OUT.resolve("coturn.log").toFile())
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return p;
            } catch (IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("coturn did not start listening on " + port + " (exit "
                            + (p.isAlive() ? "none" : p.exitValue()) + "); see " + OUT.resolve("coturn.log"));
                }
                Thread.sleep(100);
            }
        }
    }

    private long[] videoFrames() {
        long[] out = new long[browsers.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = browsers.get(i).stats().inbound().stream().filter(in -> "video".equals(in.kind()))
                    .mapToLong(Inbound::framesDecoded).sum();
        }
        return out;
    }

    private void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        BrowserTests.await(what, TIMEOUT, browsers, condition);
    }
}
