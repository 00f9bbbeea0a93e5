package io.sfufleet.sfu.browser;

import static org.junit.jupiter.api.Assertions.fail;

import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.FreePorts;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.call.ForwardLoss;
import io.sfufleet.sfu.call.Participant;
import io.sfufleet.sfu.call.Track;
import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.rtp.PacketBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/** What every Chromium test class does before and after its browsers. */
final class BrowserTests {
    private BrowserTests() {
    }

    /**
     * Runs only inside the surefire execution browser-tests: src/test/netns/bin/java-in-netns sets
     * SFU_BROWSER_TEST_NETNS. Without it this JVM is the default execution (e.g. -Dtest matched
     * there too), and the class is left to browser-tests. Missing Chromium is a failure, not a skip.
     */
    static void requireBrowserEnvironment() {
        Assumptions.assumeTrue(System.getenv("SFU_BROWSER_TEST_NETNS") != null,
                "browser tests run only in the surefire execution browser-tests (loopback-only network namespace)");
        String missing = Browser.missingTools();
        if (!missing.isEmpty()) {
            fail("browser tests need " + missing + ": apt-get install -y chromium chromium-driver"
                    + " (see shared/TOOLCHAIN.md), or run Maven with -DskipBrowserTests");
        }
    }

    /**
     * Polls {@code condition} every 250 ms until it holds; after {@code timeout} fails with
     * {@code what}, {@code state}, the last exception the condition threw (a page mid-reload
     * throws) and every browser's diagnostics (console log, connection states).
     */
    static void await(String what, Duration timeout, Collection<Browser> browsers, Supplier<Boolean> condition,
                      Supplier<String> state) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        String extra = state.get();
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what
                + (extra.isEmpty() ? "" : " " + extra)
                + (last == null ? "" : "\nlast exception: " + last) + "\n"
                + browsers.stream().map(Browser::diagnostics).collect(Collectors.joining("\n")));
    }

    static void await(String what, Duration timeout, Collection<Browser> browsers, Supplier<Boolean> condition)
            throws InterruptedException {
        await(what, timeout, browsers, condition, () -> "");
    }

    /**
     * A node on loopback for browsers (ICE host 127.0.0.1, one free UDP/TCP media port, dev join
     * tokens), with {@code loss} as its send-path hook.
     */
    static SfuNode startNode(ForwardLoss loss) throws Exception {
        return startNode(loss, Map.of());
    }

    /** As {@link #startNode(ForwardLoss)}, with more settings (environment form, e.g. SFU_MEDIA_UDP_ENABLED). */
    static SfuNode startNode(ForwardLoss loss, Map<String, String> more) throws Exception {
        int port = FreePorts.udpAndTcp();
        Map<String, String> env = new java.util.HashMap<>(Map.of(
                "SFU_MEDIA_ICE_HOST_OVERRIDE", "127.0.0.1",
                "SFU_MEDIA_BIND_ADDRESS", "127.0.0.1",
                "SFU_MEDIA_UDP_PORT", Integer.toString(port),
                "SFU_MEDIA_TCP_PORT", Integer.toString(port),
                "SFU_HTTP_LISTEN_ADDRESS", "127.0.0.1",
                "SFU_HTTP_PORT", Integer.toString(FreePorts.tcp()),
                "SFU_API_PORT", Integer.toString(FreePorts.tcp()),
                "SFU_AUTH_DEV_TOKENS", "true"));
        env.putAll(more);
        return SfuNode.start(ConfigLoader.load(null, env), loss);
    }

    /**
     * A send-path hook that caps the video the node sends participant {@code receiverName} at
     * {@code bitsPerSecond}, dropping the rest as a thin downlink would: counted in 250 ms
     * windows, as a shaper's bucket. Runs on the media loop only.
     */
    static ForwardLoss videoCap(String receiverName, long bitsPerSecond) {
        long windowNanos = 250_000_000L;
        long bytesPerWindow = bitsPerSecond / 8 * windowNanos / 1_000_000_000L;
        return new ForwardLoss() {
            private long windowStart;
            private long bytes;

            @Override
            public boolean drop(Track track, Participant receiver) {
                return false;
            }

            @Override
            public boolean drop(Track track, Participant receiver, PacketBuffer packet) {
                if (track.kind() != TrackKind.video || !receiver.name().equals(receiverName)) {
                    return false;
                }
                long now = System.nanoTime();
                if (now - windowStart > windowNanos) {
                    windowStart = now;
                    bytes = 0;
                }
                bytes += packet.getLength();
                return bytes > bytesPerWindow;
            }
        };
    }

    /** Quits every browser, then stops the node; the first failure is rethrown after all are closed. */
    static void closeAll(Collection<Browser> browsers, SfuNode node) {
        List<RuntimeException> failures = new ArrayList<>();
        for (Browser b : browsers) {
            try {
                b.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        browsers.clear();
        if (node != null) {
            node.close();
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
