package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.call.Participant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ICE restart with real browsers: both connections get new credentials and media flows again. */
class IceRestartBrowserTest {
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration TIMEOUT = Duration.ofSeconds(40);

    private SfuNode node;
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void stop() {
        BrowserTests.closeAll(browsers, node);
    }

    private void start(boolean udp, String call) throws Exception {
        BrowserTests.requireBrowserEnvironment();
        node = BrowserTests.startNode(ForwardLoss.NONE, Map.of("SFU_MEDIA_UDP_ENABLED", Boolean.toString(udp)));
        for (String name : List.of(call + "Alice", call + "Bob")) {
            Browser b = Browser.launch(name, OUT);
            browsers.add(b);
            b.open(node.clientUrl() + "?call=" + call + "&name=" + name + "&autojoin=1");
        }
        await("both connected and receiving two tracks",
                () -> browsers.stream().allMatch(b -> b.stats().connected() && b.remoteTracks().size() == 2));
    }

    @Test
    void anIceRestartGivesBothConnectionsNewCredentialsAndMediaFlowsOn() throws Exception {
        start(true, "restart");
        Browser alice = browsers.getFirst();
        alice.restartIce();
        assertThat(alice.iceRestarts()).isEqualTo(1);
        await("the node restarted both of Alice's connections", () -> restartsOf("restartAlice").equals(List.of(1, 1)));
        assertThat(restartsOf("restartBob")).containsExactly(0, 0);
        awaitVideoDecodingEverywhere();
    }

    /**
     * The node drops every ICE-TCP connection (as a middlebox reset would). Chromium reconnects the
     * same candidate pair by itself (no ICE restart is needed: measured 0), the node binds the new
     * connections by their checks, and media resumes.
     */
    @Test
    void whenTheNodeDropsItsIceTcpConnectionsTheBrowsersReconnectAndMediaResumes() throws Exception {
        start(false, "tcpbreak");
        node.closeIceTcpConnections();
        awaitVideoDecodingEverywhere();
        for (Browser b : browsers) {
            assertThat(b.stats().publishPath().protocol()).isEqualTo("tcp");
        }
    }

    /** The node's publish and subscribe ICE restarts for the participant named {@code name}. */
    private List<Integer> restartsOf(String name) {
        try {
            return node.onMediaLoop(() -> {
                for (var call : node.calls().calls()) {
                    for (Participant p : call.participants()) {
                        if (p.name().equals(name)) {
                            return List.of(p.publishTransport().iceRestarts(), p.subscribeTransport().iceRestarts());
                        }
                    }
                }
                return List.<Integer>of();
            });
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private void awaitVideoDecodingEverywhere() throws InterruptedException {
        long[] before = videoFrames();
        await("video decodes at both again", () -> {
            long[] now = videoFrames();
            return browsers.stream().allMatch(b -> b.stats().connected())
                    && now[0] > before[0] + 30 && now[1] > before[1] + 30;
        });
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
