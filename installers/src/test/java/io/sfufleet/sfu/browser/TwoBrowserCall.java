package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.browser.ClientView.RemoteTrack;
import io.sfufleet.sfu.browser.ClientView.Stats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The installers' browser check, shared by the bundled and the provisioned node: Alice and Bob join
 * a call through the node's built-in client, each receives the other's audio and video, the bytes
 * keep coming and the video decodes.
 */
final class TwoBrowserCall {
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(45);

    private TwoBrowserCall() {
    }

    /** Launches two browsers into {@code browsers} (closed by the caller) and checks the call. */
    static void check(String clientUrl, String call, List<Browser> browsers, Path out) throws InterruptedException {
        browsers.add(Browser.launch("Alice", out));
        browsers.add(Browser.launch("Bob", out));
        for (Browser b : browsers) {
            b.open(clientUrl + "/?call=" + call + "&name=" + b.label() + "&autojoin=1");
        }
        await(browsers, "both joined and each receives the other's audio and video", () -> browsers.stream()
                .allMatch(b -> {
                    if (!"joined".equals(b.state())) {
                        return false;
                    }
                    List<RemoteTrack> tracks = b.remoteTracks();
                    return tracks.size() == 2 && tracks.stream().anyMatch(t -> "audio".equals(t.kind()))
                            && tracks.stream().anyMatch(t -> "video".equals(t.kind()));
                }));
        List<Stats> before = browsers.stream().map(Browser::stats).toList();
        Thread.sleep(3_000);
        for (int i = 0; i < browsers.size(); i++) {
            Browser b = browsers.get(i);
            Stats now = b.stats();
            assertThat(now.inbound()).as("%s inbound streams: %s", b, b.diagnostics()).hasSize(2);
            for (Inbound in : now.inbound()) {
                Inbound earlier = before.get(i).inbound(in.trackId());
                long earlierBytes = earlier == null ? 0 : earlier.bytesReceived();
                assertThat(in.bytesReceived()).as("%s: %s bytes from %s keep coming", b, in.kind(), in.participantId())
                        .isGreaterThan(earlierBytes);
                if ("video".equals(in.kind())) {
                    assertThat(in.framesDecoded()).as("%s decodes video", b).isPositive();
                }
            }
        }
        browsers.getFirst().screenshot(out.resolve(call + "-call.png"));
    }

    private static void await(List<Browser> browsers, String what, BooleanSupplier condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(250);
        }
        StringBuilder diag = new StringBuilder();
        browsers.forEach(b -> diag.append(b.diagnostics()).append('\n'));
        throw new AssertionError("not within " + JOIN_TIMEOUT + ": " + what + "\n" + diag);
    }
}
