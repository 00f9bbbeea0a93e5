package io.sfufleet.sfu.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.signal.WsTestClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The scrape read by Prometheus' own parser: {@code promtool check metrics} (Debian package
 * {@code prometheus}, installed by .ci/run). Our strict {@link PrometheusText} helper is ours;
 * this is the reference implementation, so a format slip cannot hide behind a shared mistake.
 */
class PromtoolCheckTest {
    private static final Path PROMTOOL = Path.of(System.getProperty("sfu.test.promtool", "/usr/bin/promtool"));

    @Test
    void promtoolAcceptsTheScrapeOfANodeWithACall() throws Exception {
        if (!Files.isExecutable(PROMTOOL)) {
            fail(PROMTOOL + " not found: apt-get install -y prometheus (it provides promtool), as .ci/run does");
        }
        try (SfuNode node = TestNodes.start(); WsTestClient alice = new WsTestClient(node.httpPort())) {
            alice.send(new Join(1, "promtool", "Alice", null, TestNodes.token("promtool", "Alice")));
            alice.expect(Joined.class);
            alice.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                    new PublishedTrack("0", MediaSource.microphone, false),
                    new PublishedTrack("1", MediaSource.camera, false))));
            alice.expect(PublishAnswer.class);
            // per-call series appear on the once-a-second tick
            Thread.sleep(2_500);
            String scrape = node.metrics().scrape();
            assertThat(scrape).contains("sfu_call_participants{call=\"promtool\"}");

            Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
            p.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(p.exitValue()).as("promtool check metrics said:\n" + out).isZero();
            assertThat(out).as("promtool lint findings").doesNotContainIgnoringCase("error");
        }
    }
}
