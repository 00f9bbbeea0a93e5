package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Bounded fan-out with eight real Chromium participants, all unmuted with the fake microphone
 * and without cameras ({@code camera=0}: eight video encoders do not fit a two-core test machine;
 * the last-N video choice is covered by SpeakerSelectionTest): each receives seven audio
 * m-sections but media on at most five (limits.max_audio_streams, default 5).
 */
class TopNAudioBrowserTest {
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int PARTICIPANTS = 8;

    private SfuNode node;
    private final List<Browser> browsers = new ArrayList<>();

    @AfterEach
    void stop() {
        BrowserTests.closeAll(browsers, node);
    }

    @Test
    void withEightUnmutedParticipantsEachReceivesAtMostFiveAudioStreams() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        node = BrowserTests.startNode(ForwardLoss.NONE);
        for (int i = 0; i < PARTICIPANTS; i++) {
            Browser b = Browser.launch("TopN" + i, OUT);
            browsers.add(b);
            b.open(node.clientUrl() + "?call=topn&name=TopN" + i + "&autojoin=1&camera=0");
        }
        await("all " + PARTICIPANTS + " connected with 7 remote audio tracks each", () -> browsers.stream()
                .allMatch(b -> b.stats().connected() && b.remoteTracks().size() == PARTICIPANTS - 1));

        // Which m-sections receive media: compare bytes over short windows. The selection follows
        // the loudest speakers, so a switch inside a window shows the outgoing and the incoming
        // stream both flowing; the limit must hold in most windows and never reach all seven.
        int windows = 4;
        Map<Browser, List<Long>> flowing = new HashMap<>();
        Map<Browser, Map<String, Long>> before = new HashMap<>();
        for (Browser b : browsers) {
            before.put(b, bytesByTrack(b));
        }
        for (int w = 0; w < windows; w++) {
            Thread.sleep(1_500);
            for (Browser b : browsers) {
                Map<String, Long> after = bytesByTrack(b);
                Map<String, Long> was = before.get(b);
                long n = b.stats().inbound().stream().filter(in -> "audio".equals(in.kind()))
                        .filter(in -> after.getOrDefault(in.trackId(), 0L) > was.getOrDefault(in.trackId(), 0L))
                        .count();
                flowing.computeIfAbsent(b, k -> new ArrayList<>()).add(n);
                before.put(b, after);
            }
        }
        List<String> report = new ArrayList<>();
        for (Browser b : browsers) {
            report.add(b + ": " + flowing.get(b));
        }
        for (Browser b : browsers) {
            List<Long> counts = flowing.get(b);
            assertThat(b.stats().inbound()).as("%s has an m-section for each of the 7 others", b)
                    .hasSize(PARTICIPANTS - 1);
            assertThat(counts).as("%s never receives all 7 audio streams at once (%s)", b, report)
                    .allMatch(n -> n < PARTICIPANTS - 1);
            assertThat(counts.stream().filter(n -> n >= 1 && n <= 5).count())
                    .as("%s receives audio from 1 to 5 of 7 in at least %d of %d windows (%s)", b, windows - 1,
                            windows, report)
                    .isGreaterThanOrEqualTo(windows - 1);
        }
        System.getLogger(TopNAudioBrowserTest.class.getName()).log(System.Logger.Level.INFO,
                "audio streams with media per receiver: " + report);
        await("every client heard of a dominant speaker", () -> browsers.stream()
                .allMatch(b -> b.execute("return window.sfu.dominantSpeaker;") != null));
    }

    private static Map<String, Long> bytesByTrack(Browser b) {
        return b.stats().inbound().stream().collect(Collectors.toMap(Inbound::trackId, Inbound::bytesReceived, Long::sum));
    }

    private void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        BrowserTests.await(what, TIMEOUT, browsers, condition);
    }
}
