package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.browser.ClientView.Participant;
import io.sfufleet.sfu.browser.ClientView.RemoteTrack;
import io.sfufleet.sfu.browser.ClientView.Stats;
import io.sfufleet.sfu.config.ConfigLoader;
import io.sfufleet.sfu.config.SfuConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Real Chromium browsers running the node's built-in client (sfu-server/src/main/resources/web)
 * against one in-process node, asserting on what {@code RTCPeerConnection.getStats()} says
 * through the client's {@code window.sfu} API.
 *
 * <p>Runs in the surefire execution {@code browser-tests}, whose JVM is started by
 * {@code src/test/netns/bin/java-in-netns} inside a network namespace with only {@code lo}: the
 * node, chromedriver and the browsers see nothing but 127.0.0.1, so the fixed ports are safe.
 *
 * <p>One node and up to five browsers serve the whole class. Alice, Bob and Carol stay in the call
 * {@code main} between tests; each test first brings them back to a full three-party call
 * ({@link #threeInMainCall()}), so the tests do not depend on their order. Dave and Erin are the
 * extra participants of single tests and leave at the end of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SfuBrowserTest {
    private static final String MAIN = "main";
    private static final String SIDE = "side";
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(20);

    private SfuNode node;
    private final Map<String, Browser> browsers = new LinkedHashMap<>();
    private Browser alice;
    private Browser bob;
    private Browser carol;
    /** When the three-party call last became complete; media has flowed since. */
    private long mainCallCompleteAtNanos;

    @BeforeAll
    void startNodeAndBrowsers() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        // Dev tokens on: the pages below open /?call=..&name=..&autojoin=1 and fetch their token
        // from /dev/token, as the README's local demo does.
        SfuConfig config = ConfigLoader.load(null, Map.of(
                "SFU_MEDIA_ICE_HOST_OVERRIDE", "127.0.0.1",
                "SFU_MEDIA_BIND_ADDRESS", "127.0.0.1",
                "SFU_HTTP_LISTEN_ADDRESS", "127.0.0.1",
                "SFU_AUTH_DEV_TOKENS", "true"));
        node = SfuNode.start(config);
        alice = browser("Alice");
        bob = browser("Bob");
        carol = browser("Carol");
    }

    @AfterAll
    void stopEverything() {
        BrowserTests.closeAll(browsers.values(), node);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void threeParticipantsReceiveEachOthersAudioAndVideo() throws InterruptedException {
        threeInMainCall();
        List<Browser> all = List.of(alice, bob, carol);
        Map<Browser, List<Stats>> samples = new HashMap<>();
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                Thread.sleep(3_300);
            }
            for (Browser b : all) {
                samples.computeIfAbsent(b, k -> new ArrayList<>()).add(b.stats());
            }
        }
        for (Browser b : all) {
            List<Stats> series = samples.get(b);
            assertThat(series.getFirst().inbound()).as("%s inbound RTP streams", b).hasSize(4);
            for (Inbound first : series.getFirst().inbound()) {
                // Audio: the jitter buffer makes samples even without packets, so bytes must grow too.
                List<String> counters = "video".equals(first.kind())
                        ? List.of("framesDecoded", "bytesReceived")
                        : List.of("totalSamplesReceived", "bytesReceived");
                for (String counter : counters) {
                    List<Long> values = series.stream().map(s -> s.inbound(first.trackId()))
                            .map(in -> in == null ? -1L : switch (counter) {
                                case "framesDecoded" -> in.framesDecoded();
                                case "totalSamplesReceived" -> in.totalSamplesReceived();
                                default -> in.bytesReceived();
                            })
                            .toList();
                    if (!strictlyIncreasing(values)) {
                        fail(b + ": " + counter + " of " + first.kind() + " track " + first.trackId() + " from "
                                + first.participantId() + " did not keep growing over 10 s: " + values + "\n"
                                + diagnostics(all));
                    }
                }
            }
        }
        Path shot = alice.screenshot(OUT.resolve("three-party-call.png"));
        assertThat(shot).exists();
    }

    @Test
    @Order(2)
    void mutingStopsTheMediaAtTheOthersAndUnmutingResumesIt() throws InterruptedException {
        threeInMainCall();
        String aliceId = alice.participantId();
        String micTrack = trackOf(bob, aliceId, "microphone").trackId();
        String camTrack = trackOf(bob, aliceId, "camera").trackId();
        List<Browser> others = List.of(bob, carol);
        try {
            alice.setMuted("microphone", true);
            assertMediaStops("microphone", aliceId, micTrack, others);
            alice.setCamera(false);
            assertMediaStops("camera", aliceId, camTrack, others);
            bob.screenshot(OUT.resolve("muted.png"));

            Map<Browser, Long> micBefore = bytesReceived(others, micTrack);
            Map<Browser, Long> camBefore = bytesReceived(others, camTrack);
            alice.setMuted("microphone", false);
            alice.setCamera(true);
            awaitAll("Alice's audio and video flow again at Bob and Carol after unmute", Duration.ofSeconds(3), others,
                    b -> bytesReceived(List.of(b), micTrack).get(b) > micBefore.get(b)
                            && bytesReceived(List.of(b), camTrack).get(b) > camBefore.get(b)
                            && !trackOf(b, aliceId, "microphone").muted()
                            && !trackOf(b, aliceId, "camera").muted());
        } finally {
            quietly(() -> alice.setMuted("microphone", false));
            quietly(() -> alice.setCamera(true));
        }
    }

    /** After the publisher muted {@code source}, the others see it muted and its bytes stop growing. */
    private static void assertMediaStops(String source, String publisherId, String trackId, List<Browser> others)
            throws InterruptedException {
        awaitAll("the others see " + source + " of " + publisherId + " as muted", Duration.ofSeconds(3),
                others, b -> trackOf(b, publisherId, source).muted());
        Thread.sleep(1_000); // packets in flight and jitter buffers settle
        Map<Browser, Long> before = bytesReceived(others, trackId);
        Thread.sleep(2_000);
        Map<Browser, Long> after = bytesReceived(others, trackId);
        if (!after.equals(before)) {
            fail(publisherId + " muted " + source + " but its bytes still arrive: before " + before + ", 2 s later "
                    + after + "\n" + diagnostics(others));
        }
    }

    @Test
    @Order(3)
    void screenShareAppearsAsAnExtraVideoTrackAndGoesAway() throws InterruptedException {
        threeInMainCall();
        String aliceId = alice.participantId();
        List<Browser> others = List.of(bob, carol);
        try {
            alice.startScreenShare();
            awaitAll("Bob and Carol receive Alice's screen and decode it", Duration.ofSeconds(8), others,
                    b -> screenTracks(b, aliceId).size() == 1 && framesOf(b, screenTracks(b, aliceId).getFirst()) > 0);
            Map<Browser, Long> first = new HashMap<>();
            for (Browser b : others) {
                first.put(b, framesOf(b, screenTracks(b, aliceId).getFirst()));
            }
            Thread.sleep(1_500);
            for (Browser b : others) {
                RemoteTrack screen = screenTracks(b, aliceId).getFirst();
                assertThat(screen.kind()).isEqualTo("video");
                long later = framesOf(b, screen);
                if (later <= first.get(b)) {
                    fail(b + ": frames of Alice's screen stopped at " + later + "\n" + diagnostics(List.of(alice, b)));
                }
            }
            assertThat(alice.stats().outbound()).extracting(ClientView.Outbound::source).contains("screen");
            bob.screenshot(OUT.resolve("screen-share.png"));

            alice.stopScreenShare();
            awaitAll("Alice's screen disappears at Bob and Carol", Duration.ofSeconds(3), others,
                    b -> screenTracks(b, aliceId).isEmpty() && tracksFrom(b, aliceId).size() == 2);
        } finally {
            quietly(alice::stopScreenShare);
        }
    }

    @Test
    @Order(4)
    void aParticipantWhoLeavesDisappearsWithinTwoSeconds() {
        threeInMainCall();
        String aliceId = alice.participantId();
        alice.leave();
        awaitAll("Bob and Carol no longer list Alice's tracks", Duration.ofSeconds(2), List.of(bob, carol),
                b -> tracksFrom(b, aliceId).isEmpty()
                        && b.participants().stream().noneMatch(p -> p.participantId().equals(aliceId)));
        assertThat(alice.state()).isEqualTo("left");
        awaitAll("Bob and Carol still receive each other", Duration.ofSeconds(2), List.of(bob, carol),
                b -> b.remoteTracks().size() == 2);
    }

    @Test
    @Order(5)
    void aLateJoinerSeesEveryVideoAtOnce() throws InterruptedException {
        threeInMainCall();
        long flowing = System.nanoTime() - mainCallCompleteAtNanos;
        long wait = Duration.ofSeconds(5).toNanos() - flowing;
        if (wait > 0) {
            Thread.sleep(Duration.ofNanos(wait)); // media has flowed for a while: keyframes are long past
        }
        Browser dave = browser("Dave");
        try {
            dave.open(url(MAIN, "Dave"));
            await("Dave receives 3 audio and 3 video tracks on a connected subscribe connection", JOIN_TIMEOUT,
                    List.of(dave), () -> {
                        Stats s = dave.stats();
                        return "connected".equals(s.subscribeState()) && kinds(dave.remoteTracks(), "video") == 3
                                && kinds(dave.remoteTracks(), "audio") == 3;
                    });
            long connectedAt = System.nanoTime();
            await("every remote video at Dave has decoded a frame (keyframe requested)", Duration.ofSeconds(3),
                    List.of(dave, alice), () -> {
                        List<Inbound> videos = dave.stats().inbound().stream()
                                .filter(i -> "video".equals(i.kind())).toList();
                        return videos.size() == 3 && videos.stream().allMatch(i -> i.framesDecoded() > 0);
                    });
            System.getLogger(SfuBrowserTest.class.getName()).log(System.Logger.Level.INFO,
                    "late joiner decoded every video {0} ms after the subscribe connection was up",
                    (System.nanoTime() - connectedAt) / 1_000_000);
        } finally {
            leaveAndAwaitGone(dave, List.of(alice, bob, carol));
        }
    }

    @Test
    @Order(6)
    void twoCallsOnOneNodeAreIsolated() {
        threeInMainCall();
        Browser dave = browser("Dave");
        Browser erin = browser("Erin");
        try {
            dave.open(url(SIDE, "Dave"));
            erin.open(url(SIDE, "Erin"));
            awaitMesh(List.of(dave, erin));
            // Isolation is the point here, not speed: the first frame waits for a keyframe of the
            // simulcast layer chosen, which on a loaded 2-core machine took over 5 s once.
            long meshed = System.nanoTime();
            await("Dave decodes Erin's video", Duration.ofSeconds(15), List.of(dave, erin),
                    () -> dave.stats().inbound().stream().anyMatch(i -> "video".equals(i.kind()) && i.framesDecoded() > 0));
            System.getLogger(SfuBrowserTest.class.getName()).log(System.Logger.Level.INFO,
                    "side call: first video frame " + (System.nanoTime() - meshed) / 1_000_000 + " ms after the mesh");

            Map<Browser, Set<String>> expectedNames = Map.of(
                    alice, Set.of("Bob", "Carol"), bob, Set.of("Alice", "Carol"), carol, Set.of("Alice", "Bob"),
                    dave, Set.of("Erin"), erin, Set.of("Dave"));
            for (var e : expectedNames.entrySet()) {
                Browser b = e.getKey();
                Set<String> names = b.participants().stream().map(Participant::name).collect(Collectors.toSet());
                assertThat(names).as("%s sees the participants of its own call only", b).isEqualTo(e.getValue());
                int expectedTracks = 2 * e.getValue().size();
                assertThat(b.remoteTracks()).as("%s receives tracks of its own call only", b).hasSize(expectedTracks);
                assertThat(b.stats().inbound()).as("%s has inbound RTP of its own call only", b).hasSize(expectedTracks);
            }
            // The ids named by the tracks are those of the participants of the same call.
            for (Browser b : List.of(alice, bob, carol, dave, erin)) {
                Set<String> ids = b.participants().stream().map(Participant::participantId).collect(Collectors.toSet());
                assertThat(b.remoteTracks()).extracting(RemoteTrack::participantId)
                        .as("%s: track owners are participants of its call", b).allMatch(ids::contains);
            }
        } finally {
            quietly(dave::leave);
            quietly(erin::leave);
        }
    }

    @Test
    @Order(7)
    void aDrainingNodeRefusesNewJoinsAndThePageSaysSo() throws InterruptedException {
        Browser dave = browser("Dave");
        setDraining(true);
        try {
            dave.open(url("late", "Dave"));
            await("Dave's join is refused with NODE_DRAINING", Duration.ofSeconds(10), List.of(dave),
                    () -> "error".equals(dave.state()) && "NODE_DRAINING".equals(dave.lastErrorCode()));
            assertThat(dave.bannerText()).contains("not taking new calls");
        } finally {
            setDraining(false);
        }
    }

    @Test
    @Order(8)
    void anAdminMuteMutesTheMicrophoneInThePublishersPageAndSaysSo() {
        threeInMainCall();
        String aliceId = alice.participantId();
        try {
            int muted = onMediaLoop(() -> {
                var p = node.calls().call(MAIN).participants().stream()
                        .filter(x -> x.id().equals(aliceId)).findFirst().orElseThrow();
                return node.calls().adminMute(p, true, false);
            });
            assertThat(muted).isEqualTo(1);
            await("Alice's page mutes her microphone and says the moderator did", Duration.ofSeconds(5), List.of(alice),
                    () -> alice.localSources().contains(new ClientView.LocalSource("microphone", true))
                            && alice.bannerText().contains("muted by the moderator")
                            && alice.button("mic-button").equals("Unmute mic|enabled"));
            assertThat(alice.localSources()).contains(new ClientView.LocalSource("camera", false));
            awaitAll("Bob and Carol see Alice's microphone muted", Duration.ofSeconds(3), List.of(bob, carol),
                    b -> trackOf(b, aliceId, "microphone").muted());
            alice.screenshot(OUT.resolve("muted-by-moderator.png"));

            alice.setMuted("microphone", false);
            String micTrack = trackOf(bob, aliceId, "microphone").trackId();
            Map<Browser, Long> before = bytesReceived(List.of(bob, carol), micTrack);
            awaitAll("Alice unmuted herself: her audio flows again", Duration.ofSeconds(5), List.of(bob, carol),
                    b -> !trackOf(b, aliceId, "microphone").muted()
                            && bytesReceived(List.of(b), micTrack).get(b) > before.get(b));
        } finally {
            quietly(() -> alice.setMuted("microphone", false));
        }
    }

    @Test
    @Order(9)
    void withoutDevTokensThePageAsksForATokenAndJoinsWithOneInTheUrl() throws Exception {
        Browser dave = browser("Dave");
        try (SfuNode strict = TestNodes.start()) {
            assertThat(strict.config().auth().devTokens()).isFalse();
            String page = strict.clientUrl() + "?call=strict&name=Dave";
            dave.open(page + "&autojoin=1");
            await("Dave's page says it needs a join token", Duration.ofSeconds(10), List.of(dave),
                    () -> "error".equals(dave.state()) && "TOKEN_REQUIRED".equals(dave.lastErrorCode()));
            assertThat(dave.bannerText()).contains("needs a join token from your meeting app");
            dave.screenshot(OUT.resolve("token-required.png"));

            // A token from "the meeting app" (minted with the node's secret) without publish:screen.
            String token = TestNodes.token("strict", "Dave",
                    EnumSet.of(Permission.PUBLISH_AUDIO, Permission.PUBLISH_VIDEO, Permission.SUBSCRIBE));
            dave.open(page + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&autojoin=1");
            await("Dave joins with the token from the URL", JOIN_TIMEOUT, List.of(dave),
                    () -> "joined".equals(dave.state()) && dave.localSources().size() == 2);
            assertThat(dave.button("screen-button")).isEqualTo("Share screen|disabled");
        } finally {
            quietly(dave::leave);
        }
    }

    // ---------------------------------------------------------------------------------------------

    private <T> T onMediaLoop(java.util.concurrent.Callable<T> task) {
        try {
            return node.onMediaLoop(task);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private void setDraining(boolean draining) throws InterruptedException {
        node.onMediaLoop(() -> {
            if (draining) {
                // a deadline far enough away that the running calls are not ended by this test
                node.calls().drain(System.currentTimeMillis() + 3_600_000);
            } else {
                node.calls().undrain();
            }
            return null;
        });
    }

    private Browser browser(String name) {
        return browsers.computeIfAbsent(name, n -> Browser.launch(n, OUT));
    }

    private String url(String call, String name) {
        return node.clientUrl() + "?call=" + URLEncoder.encode(call, StandardCharsets.UTF_8)
                + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&autojoin=1";
    }

    /** Alice, Bob and Carol in call main, each receiving the other two; nobody else there. */
    private void threeInMainCall() {
        for (String extra : List.of("Dave", "Erin")) {
            Browser b = browsers.get(extra);
            if (b != null && "joined".equals(b.state())) {
                leaveAndAwaitGone(b, List.of());
            }
        }
        boolean rejoined = false;
        for (Browser b : List.of(alice, bob, carol)) {
            if (!"joined".equals(b.state())) {
                b.open(url(MAIN, b.label()));
                rejoined = true;
            }
        }
        awaitMesh(List.of(alice, bob, carol));
        if (rejoined || mainCallCompleteAtNanos == 0) {
            mainCallCompleteAtNanos = System.nanoTime();
        }
    }

    /** Every browser of the group receives exactly one audio and one video track from each other one. */
    private void awaitMesh(List<Browser> group) {
        await(group.size() + " browsers joined and connected", JOIN_TIMEOUT, group,
                () -> group.stream().allMatch(b -> "joined".equals(b.state()) && b.participantId() != null));
        Map<Browser, String> ids = new HashMap<>();
        for (Browser b : group) {
            ids.put(b, b.participantId());
        }
        await("each of " + group + " receives audio and video from each of the others", JOIN_TIMEOUT, group, () -> {
            for (Browser b : group) {
                List<RemoteTrack> tracks = b.remoteTracks();
                if (tracks.size() != 2 * (group.size() - 1)) {
                    return false;
                }
                for (Browser other : group) {
                    if (other == b) {
                        continue;
                    }
                    List<RemoteTrack> from = tracks.stream()
                            .filter(t -> t.participantId().equals(ids.get(other))).toList();
                    if (kinds(from, "audio") != 1 || kinds(from, "video") != 1) {
                        return false;
                    }
                }
                if (!b.stats().connected()) {
                    return false;
                }
            }
            return true;
        });
    }

    private void leaveAndAwaitGone(Browser leaver, List<Browser> observers) {
        String id;
        try {
            id = leaver.participantId();
            leaver.leave();
        } catch (RuntimeException e) {
            return; // the browser is gone or broken; the next test's set-up will tell
        }
        if (id != null && !observers.isEmpty()) {
            awaitAll(leaver + " gone", Duration.ofSeconds(5), observers, b -> tracksFrom(b, id).isEmpty());
        }
    }

    /** Clean-up in a finally block: must not hide the test's own failure. */
    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | AssertionError e) {
            System.getLogger(SfuBrowserTest.class.getName()).log(System.Logger.Level.WARNING,
                    "clean-up failed: " + e);
        }
    }

    private static RemoteTrack trackOf(Browser b, String participantId, String source) {
        return b.remoteTracks().stream()
                .filter(t -> t.participantId().equals(participantId) && t.source().equals(source))
                .findFirst()
                .orElseThrow(() -> new AssertionError(b + " has no " + source + " track from " + participantId));
    }

    private static List<RemoteTrack> tracksFrom(Browser b, String participantId) {
        return b.remoteTracks().stream().filter(t -> t.participantId().equals(participantId)).toList();
    }

    private static List<RemoteTrack> screenTracks(Browser b, String participantId) {
        return tracksFrom(b, participantId).stream().filter(t -> "screen".equals(t.source())).toList();
    }

    private static long framesOf(Browser b, RemoteTrack track) {
        Inbound in = b.stats().inbound(track.trackId());
        return in == null ? 0 : in.framesDecoded();
    }

    private static Map<Browser, Long> bytesReceived(List<Browser> browsers, String trackId) {
        Map<Browser, Long> bytes = new LinkedHashMap<>();
        for (Browser b : browsers) {
            Inbound in = b.stats().inbound(trackId);
            bytes.put(b, in == null ? -1 : in.bytesReceived());
        }
        return bytes;
    }

    private static long kinds(List<RemoteTrack> tracks, String kind) {
        return tracks.stream().filter(t -> kind.equals(t.kind())).count();
    }

    private static boolean strictlyIncreasing(List<Long> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i - 1) < 0 || values.get(i) <= values.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static void awaitAll(String what, Duration timeout, List<Browser> browsers, Predicate<Browser> ok) {
        await(what, timeout, browsers, () -> browsers.stream().allMatch(ok));
    }

    /**
     * Polls {@code condition} every 200 ms until it holds; fails after {@code timeout} with the
     * diagnostics of {@code involved}. An exception thrown by the condition counts as "not yet".
     */
    private static void await(String what, Duration timeout, List<Browser> involved, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException lastProblem = null;
        AssertionError lastAssertion = null;
        while (true) {
            try {
                if (Objects.equals(condition.get(), Boolean.TRUE)) {
                    return;
                }
            } catch (RuntimeException e) {
                lastProblem = e;
            } catch (AssertionError e) {
                lastAssertion = e;
            }
            if (System.nanoTime() > deadline) {
                String cause = lastProblem != null ? "\nlast exception: " + lastProblem
                        : lastAssertion != null ? "\nlast check: " + lastAssertion.getMessage() : "";
                throw new AssertionError("not reached within " + timeout.toMillis() + " ms: " + what + cause + "\n"
                        + diagnostics(involved));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    private static String diagnostics(List<Browser> browsers) {
        return browsers.stream().map(Browser::diagnostics).collect(Collectors.joining("\n"));
    }
}
