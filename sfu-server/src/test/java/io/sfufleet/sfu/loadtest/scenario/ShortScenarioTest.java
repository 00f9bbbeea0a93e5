package io.sfufleet.sfu.loadtest.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.loadtest.client.ClientRuntime;
import io.sfufleet.sfu.loadtest.client.JoinTokenSource;
import io.sfufleet.sfu.loadtest.report.ReportWriter;
import io.sfufleet.sfu.loadtest.server.SfuNodeProbe;
import io.sfufleet.sfu.loadtest.server.SfuParticipantFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A short, small scenario against a real node: the report's counters must match the node's own. */
class ShortScenarioTest {
    @TempDir
    Path out;

    @Test
    void theReportsCountersMatchTheNodesApiWithinTwoPercent() throws Exception {
        Scenario s = new Scenario(2, 3, 2, 1, 1, Duration.ofSeconds(4), 20, Duration.ofSeconds(60));
        LoadResult r;
        try (SfuNode node = TestNodes.start();
             ClientRuntime runtime = ClientRuntime.loopback();
             HttpClient http = HttpClient.newHttpClient()) {
            URI client = URI.create("http://127.0.0.1:" + node.httpPort());
            SfuNodeProbe probe = new SfuNodeProbe(http, URI.create("http://127.0.0.1:" + node.adminPort()),
                    TestNodes.API_TOKEN);
            r = new ScenarioRunner(new SfuParticipantFactory(runtime, client, JoinTokenSource.secret(TestNodes.JOIN_SECRET)),
                    probe, "short").run(s);
            // everybody left: the node's snapshot (taken once a second) soon shows nobody
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (probe.node().participants() != 0) {
                assertThat(System.nanoTime()).as("participants still on the node").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
        assertThat(r.joinFailures()).as(String.join("\n", r.errors())).isZero();
        assertThat(r.joinMillis()).hasSize(6);
        assertThat(r.counterMatches()).hasSize(4).allSatisfy(m -> {
            assertThat(m.server()).as(m.what()).isPositive();
            assertThat(m.deviationPercent()).as(m.what() + ": clients " + m.clients() + ", node " + m.server())
                    .isLessThanOrEqualTo(2.0);
        });
        // 2 audio + 1 camera + (call 0) 1 screen senders, each received by the other 2 of its call
        assertThat(r.clientTotals().packetsReceived()).isGreaterThan(r.clientTotals().packetsSent());
        assertThat(r.clientTotals().lossPercent()).isLessThan(5.0);
        assertThat(r.srtpErrors()).isZero();
        assertThat(r.delayMicros()[0]).isPositive();
        assertThat(r.samples()).isNotEmpty();
        assertThat(r.maxRssBytes()).isPositive();
        assertThat(r.forwardedPacketsPerSecond()).isPositive();
        // the node's own histogram over the steady window: one observation per packet queued for a
        // receiver, so some, and never more than the node sent over the whole run
        assertThat(r.serverDelay()).as("the node's forwarding-delay histogram").isNotNull();
        assertThat(r.serverDelay().count()).isPositive().isLessThanOrEqualTo(r.serverTotals().packetsSent());
        assertThat(r.serverDelay().quantileMillis(0.5)).isLessThanOrEqualTo(r.serverDelay().quantileMillis(0.99));

        Path md = ReportWriter.write(out, List.of(new ReportWriter.Labelled("sfu", r)));
        String text = Files.readString(md);
        assertThat(text).contains("forwarded packets per server CPU-second", "clients sent / server received",
                "join time p50", "server's own forwarding delay");
        assertThat(out.resolve("samples-sfu.csv")).isNotEmptyFile();
        assertThat(Files.readAllLines(out.resolve("samples-sfu.csv")).size()).isEqualTo(r.samples().size() + 1);
        for (String png : List.of("cpu-rss.png", "packets.png", "bitrate.png", "delay.png")) {
            byte[] head = Files.readAllBytes(out.resolve(png));
            assertThat(head).as(png).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void scenariosOutsideTheCapsAreRefusedWithTheReason() {
        Duration d = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new Scenario(100, 100, 1, 0, 0, d, 10, d)).hasMessageContaining("cap of 2000");
        assertThatThrownBy(() -> new Scenario(1, 4, 5, 0, 0, d, 10, d)).hasMessageContaining("unmuted must be 0 to 4");
        assertThatThrownBy(() -> new Scenario(1, 4, 1, 0, 2, d, 10, d)).hasMessageContaining("screen-sharing");
        assertThatThrownBy(() -> new Scenario(1, 4, 1, 0, 0, Duration.ofHours(2), 10, d)).hasMessageContaining("duration");
        assertThatThrownBy(() -> new Scenario(1, 4, 1, 0, 0, d, 0, d)).hasMessageContaining("ramp");
    }
}
