package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.CandidateType;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.browser.ClientView.Stats;
import io.sfufleet.sfu.transport.DropReason;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * UDP blocked: a node with {@code media.udp_enabled = false} offers only its passive ICE-TCP
 * candidate; two Chromium clients connect over TCP on their own (nothing in the client asks for
 * it) and decode each other's video.
 */
class IceTcpBrowserTest {
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private SfuNode node;
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void stop() {
        BrowserTests.closeAll(browsers, node);
    }

    @Test
    void withUdpOffBrowsersConnectOverTcpAndMediaFlows() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        node = BrowserTests.startNode(ForwardLoss.NONE, Map.of("SFU_MEDIA_UDP_ENABLED", "false"));
        Browser alice = Browser.launch("TcpAlice", OUT);
        browsers.add(alice);
        Browser bob = Browser.launch("TcpBob", OUT);
        browsers.add(bob);
        for (Browser b : browsers) {
            b.open(node.clientUrl() + "?call=tcp&name=" + b.label() + "&autojoin=1");
        }
        await("both connected and receiving two tracks", () -> browsers.stream().allMatch(b -> {
            Stats s = b.stats();
            return s.connected() && b.remoteTracks().size() == 2;
        }));

        for (Browser b : browsers) {
            Stats s = b.stats();
            assertThat(s.publishPath()).as("%s publish path", b).isNotNull();
            assertThat(s.publishPath().protocol()).as("%s publish path", b).isEqualTo("tcp");
            assertThat(s.publishPath().port()).isEqualTo(node.tcpPort());
            assertThat(s.subscribePath().protocol()).as("%s subscribe path", b).isEqualTo("tcp");
        }
        long[] before = videoFrames();
        await("video keeps decoding over TCP", () -> {
            long[] now = videoFrames();
            return now[0] > before[0] + 30 && now[1] > before[1] + 30;
        });
        await("audio bytes arrive over TCP", () -> browsers.stream().allMatch(b -> b.stats().inbound().stream()
                .filter(i -> "audio".equals(i.kind())).anyMatch(i -> i.bytesReceived() > 1000)));

        // The node's view agrees: every participant's media comes over ICE-TCP.
        await("the node reports tcp for both", () -> {
            List<ParticipantDetail> details = node.snapshot().details().values().stream()
                    .flatMap(c -> c.participants().stream()).toList();
            return details.size() == 2 && details.stream().allMatch(d -> d.candidateType() == CandidateType.tcp);
        });
        assertThat(node.drops().count(DropReason.EMPTY_OR_OVERSIZED)).as("no malformed frames").isZero();
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
