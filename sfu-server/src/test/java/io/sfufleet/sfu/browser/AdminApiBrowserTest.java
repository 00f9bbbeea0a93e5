package io.sfufleet.sfu.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.model.api.ActionResult;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.api.NodeEvent;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.ParticipantJoinedEvent;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.ReceivedTrackStats;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.browser.ClientView.Inbound;
import io.sfufleet.sfu.browser.ClientView.Participant;
import io.sfufleet.sfu.browser.ClientView.RemoteTrack;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
 * The admin API (shared-model/docs/api.md) against a call of real Chromium browsers running the
 * built-in client: what the API lists is what the browsers are in, and what the API does (mute,
 * kick, drain, undrain) is what the browsers see. Its own node, with dev tokens (the pages fetch
 * their join tokens from /dev/token) and the admin token {@link TestNodes#API_TOKEN}.
 *
 * <p>The tests run in order on one call {@code main} of Alice, Bob and Carol: the listing, then a
 * mute of Alice, a kick of Carol, and a drain that ends the call of Alice and Bob; Dave is the
 * browser that joins while the node drains, and again after the undrain.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminApiBrowserTest {
    private static final String MAIN = "main";
    private static final Path OUT = Path.of("target", "browser-tests");
    private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(30);
    private static final System.Logger LOG = System.getLogger(AdminApiBrowserTest.class.getName());
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    private SfuNode node;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Browser> browsers = new LinkedHashMap<>();
    private Browser alice;
    private Browser bob;
    private Browser carol;
    /** Participant ids as the pages have them, by browser. */
    private final Map<Browser, String> ids = new HashMap<>();

    @BeforeAll
    void startNodeAndBrowsers() throws Exception {
        BrowserTests.requireBrowserEnvironment();
        node = TestNodes.start(Map.of("SFU_AUTH_DEV_TOKENS", "true"));
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
    void theApiListsTheBrowsersInTheCallWithLiveTrackStatsAndTheEventStreamAnnouncesThem() throws Exception {
        Map<String, Long> joinedEventAt = new ConcurrentHashMap<>();
        Map<String, Long> listedAt = new ConcurrentHashMap<>();
        List<Browser> all = List.of(alice, bob, carol);
        try (Events events = new Events(node.adminPort())) {
            events.awaitHello();
            events.onEvent = e -> {
                if (e instanceof ParticipantJoinedEvent j && MAIN.equals(j.callId())) {
                    joinedEventAt.putIfAbsent(j.participantId(), System.nanoTime());
                }
            };
            // Poll the API every 100 ms while the pages join (opening a page blocks until it has
            // loaded): when it first lists each participant.
            Thread poller = Thread.ofPlatform().daemon().name("api-poller").start(() -> {
                while (!Thread.currentThread().isInterrupted() && listedAt.size() < 3) {
                    try {
                        CallDetail call = callOrNull(MAIN);
                        long now = System.nanoTime();
                        if (call != null) {
                            for (ParticipantDetail p : call.participants()) {
                                listedAt.putIfAbsent(p.participantId(), now);
                            }
                        }
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    } catch (RuntimeException | AssertionError e) {
                        LOG.log(System.Logger.Level.WARNING, "API poll failed: " + e);
                    }
                }
            });
            try {
                for (Browser b : all) {
                    b.open(url(MAIN, b.label()));
                }
                await("the API lists 3 participants in " + MAIN, JOIN_TIMEOUT, all, () -> listedAt.size() >= 3);
            } finally {
                poller.interrupt();
                poller.join(5_000);
            }
            awaitMesh(all);
            for (Browser b : all) {
                ids.put(b, b.participantId());
            }
            await("a participantJoined event for each participant", Duration.ofSeconds(3), all,
                    () -> joinedEventAt.keySet().containsAll(ids.values()));
            for (String id : ids.values()) {
                long deltaMs = (joinedEventAt.get(id) - listedAt.get(id)) / 1_000_000;
                LOG.log(System.Logger.Level.INFO, "participantJoined for {0} arrived {1} ms after the API first listed it (negative: before)", id,
                        deltaMs);
                assertThat(deltaMs).as("participantJoined for %s arrives within 1 s of the API listing it", id)
                        .isLessThanOrEqualTo(1000);
            }
        }

        // exactly the browsers: one call, the three names and ids
        CallList calls = getOk(ApiPaths.CALLS, CallList.class);
        assertThat(calls.calls()).extracting(CallSummary::callId).containsExactly(MAIN);
        assertThat(calls.calls().getFirst().participants()).isEqualTo(3);
        CallDetail call = getOk(ApiPaths.expand(ApiPaths.CALL, MAIN), CallDetail.class);
        assertThat(call.participants()).extracting(ParticipantDetail::name)
                .containsExactlyInAnyOrder("Alice", "Bob", "Carol");
        assertThat(call.participants()).extracting(ParticipantDetail::participantId)
                .containsExactlyInAnyOrderElementsOf(ids.values());
        for (Browser b : all) {
            Set<String> others = b.participants().stream().map(Participant::participantId).collect(Collectors.toSet());
            assertThat(others).as("%s sees the others the API lists", b)
                    .isEqualTo(ids.values().stream().filter(id -> !id.equals(ids.get(b))).collect(Collectors.toSet()));
        }

        // live statistics: sampled 4 times, ~1.3 s apart (stats ticks are 1 s)
        Map<String, List<ParticipantDetail>> samples = new HashMap<>();
        await("every participant connected with audio and video flowing both ways in the API", Duration.ofSeconds(15),
                all, () -> {
                    for (ParticipantDetail p : getOk(ApiPaths.expand(ApiPaths.CALL, MAIN), CallDetail.class).participants()) {
                        String why = flowing(p);
                        if (why != null) {
                            throw new AssertionError(why);
                        }
                    }
                    return true;
                });
        for (int i = 0; i < 4; i++) {
            if (i > 0) {
                Thread.sleep(1_300);
            }
            for (String id : ids.values()) {
                samples.computeIfAbsent(id, k -> new ArrayList<>())
                        .add(getOk(ApiPaths.expand(ApiPaths.PARTICIPANT, MAIN, id), ParticipantDetail.class));
            }
        }
        for (var e : samples.entrySet()) {
            List<ParticipantDetail> series = e.getValue();
            ParticipantDetail p = series.getLast();
            String who = p.name() + " (" + e.getKey() + ")";
            LOG.log(System.Logger.Level.INFO, "{0}: published {1}", who, series.stream()
                    .map(s -> s.published().stream().map(t -> t.kind() + "=" + t.bitrateBps()).toList().toString())
                    .collect(Collectors.joining(" ")));
            LOG.log(System.Logger.Level.INFO, "{0}: received {1}", who, series.stream()
                    .map(s -> s.received().stream().map(t -> t.kind() + "=" + t.bitrateBps()).toList().toString())
                    .collect(Collectors.joining(" ")));
            for (ParticipantDetail s : series) {
                assertThat(s.publishState()).as("%s publishState", who).isEqualTo(ConnectionState.connected);
                assertThat(s.subscribeState()).as("%s subscribeState", who).isEqualTo(ConnectionState.connected);
                assertThat(s.published()).as("%s publishes audio and video, bitrate > 0 in every sample", who)
                        .extracting(PublishedTrackStats::kind).containsExactlyInAnyOrder(TrackKind.audio, TrackKind.video);
                assertThat(s.published()).as("%s published bitrate > 0 in every sample", who)
                        .allMatch(t -> t.bitrateBps() > 0);
                assertThat(s.received()).as("%s receives 4 tracks", who).hasSize(4);
            }
            // Received: > 0 when checked above; over the samples the bytes sent to it grow. (A single
            // one-second tick without video to a receiver happens when the browsers stall on this
            // shared machine, so no bitrate > 0 in every sample here.)
            for (ReceivedTrackStats t : p.received()) {
                List<Long> bytes = series.stream().map(s -> s.received().stream()
                        .filter(x -> x.trackId().equals(t.trackId())).mapToLong(ReceivedTrackStats::bytes)
                        .findFirst().orElse(-1)).toList();
                assertThat(strictlyIncreasing(bytes)).as("%s receives %s: bytes grow %s", who, t.trackId(), bytes).isTrue();
                assertThat(series.stream().map(s -> s.received().stream()
                        .filter(x -> x.trackId().equals(t.trackId())).mapToLong(ReceivedTrackStats::bitrateBps)
                        .findFirst().orElse(0)).filter(v -> v > 0).count())
                        .as("%s receives %s with bitrate > 0 in most samples", who, t.trackId()).isGreaterThanOrEqualTo(3);
            }
            assertThat(p.remoteAddress()).as("%s remoteAddress", who).isEqualTo("127.0.0.1");
            assertThat(p.remotePort()).as("%s remotePort", who).isPositive();
            assertThat(p.srtpProfile()).as("%s srtpProfile", who).isNotBlank();
            for (PublishedTrackStats t : p.published()) {
                List<Long> bitrates = series.stream().map(s -> published(s, t.trackId()).bitrateBps()).toList();
                List<Long> bytes = series.stream().map(s -> published(s, t.trackId()).bytes()).toList();
                assertThat(strictlyIncreasing(bytes)).as("%s %s bytes grow: %s", who, t.kind(), bytes).isTrue();
                assertThat(Set.copyOf(bitrates)).as("%s %s bitrateBps is live (changes): %s", who, t.kind(), bitrates)
                        .hasSizeGreaterThan(1);
                assertThat(t.receivers()).as("%s %s receivers", who, t.kind()).isEqualTo(2);
                assertThat(t.adminMuted()).isFalse();
            }
        }
    }

    @Test
    @Order(2)
    void anApiMuteMutesTheMicrophoneInThePageAndTheOthersStopReceivingIt() throws Exception {
        requireJoined(alice, bob, carol);
        String aliceId = ids.get(alice);
        String micTrack = published(participant(aliceId), TrackKind.audio).trackId();
        List<Browser> others = List.of(bob, carol);
        Map<Browser, Long> before = bytesReceived(others, micTrack);
        assertThat(before.values()).as("Bob and Carol receive Alice's microphone").allMatch(v -> v > 0);

        long t0 = System.nanoTime();
        ActionResult r = postOk(ApiPaths.expand(ApiPaths.MUTE, MAIN, aliceId), "{\"kind\": \"audio\"}");
        assertThat(r.ok()).isTrue();
        assertThat(r.message()).isEqualTo("muted 1 track");
        try {
            await("Alice's page shows her microphone muted by the moderator", Duration.ofSeconds(5), List.of(alice),
                    () -> alice.localSources().contains(new ClientView.LocalSource("microphone", true))
                            && alice.bannerText().contains("muted by the moderator")
                            && alice.button("mic-button").equals("Unmute mic|enabled"));
            LOG.log(System.Logger.Level.INFO, "admin mute shown in the page of Alice after {0} ms",
                    (System.nanoTime() - t0) / 1_000_000);
            alice.screenshot(OUT.resolve("api-muted-by-moderator.png"));
            assertThat(alice.localSources()).contains(new ClientView.LocalSource("camera", false));
            awaitAll("Bob and Carol see Alice's microphone muted", Duration.ofSeconds(3), others,
                    b -> trackOf(b, aliceId, "microphone").muted());

            // The API answers from the snapshot of the last stats tick (once a second).
            await("the API shows Alice's microphone adminMuted", Duration.ofSeconds(3), List.of(alice),
                    () -> published(participant(aliceId), TrackKind.audio).adminMuted());
            assertThat(published(participant(aliceId), TrackKind.video).adminMuted()).isFalse();

            // Packets in flight at the mute arrive within a moment; after that nothing more.
            Thread.sleep(1_000);
            Map<Browser, Long> settled = bytesReceived(others, micTrack);
            Thread.sleep(2_500);
            Map<Browser, Long> later = bytesReceived(others, micTrack);
            assertThat(later).as("Alice's audio bytesReceived at Bob and Carol stop growing (after 1 s: %s)", settled)
                    .isEqualTo(settled);
            // while her video still flows
            String camTrack = trackOf(bob, aliceId, "camera").trackId();
            Map<Browser, Long> cam = bytesReceived(others, camTrack);
            awaitAll("Alice's video still flows", Duration.ofSeconds(5), others,
                    b -> bytesReceived(List.of(b), camTrack).get(b) > cam.get(b));
        } finally {
            quietly(() -> alice.setMuted("microphone", false));
        }
        Map<Browser, Long> muted = bytesReceived(others, micTrack);
        awaitAll("Alice unmuted herself: her audio flows again", Duration.ofSeconds(10), others,
                b -> !trackOf(b, aliceId, "microphone").muted() && bytesReceived(List.of(b), micTrack).get(b) > muted.get(b));
        await("the API shows Alice's microphone no longer adminMuted", Duration.ofSeconds(3), List.of(alice),
                () -> !published(participant(aliceId), TrackKind.audio).adminMuted());
    }

    @Test
    @Order(3)
    void anApiKickEndsTheKickedPageAndTheOthersStopListingIt() throws Exception {
        requireJoined(alice, bob, carol);
        String carolId = ids.get(carol);
        List<Browser> others = List.of(alice, bob);
        // Each page notes (Date.now(), same clock as this JVM) when it no longer lists Carol,
        // checking every 20 ms, so the slow WebDriver round trips do not count.
        for (Browser b : others) {
            b.execute("const id = " + jsString(carolId) + "; window.__carolGoneAt = 0;"
                    + " const timer = setInterval(() => {"
                    + "  if (!sfu.participants().some(p => p.participantId === id)"
                    + "      && !sfu.remoteTracks().some(t => t.participantId === id)) {"
                    + "    window.__carolGoneAt = Date.now(); clearInterval(timer); } }, 20);");
        }
        long kickedAt = System.currentTimeMillis();
        long t0 = System.nanoTime();
        ActionResult r = postOk(ApiPaths.expand(ApiPaths.KICK, MAIN, carolId), "{\"reason\": \"browser test\"}");
        assertThat(r.ok()).isTrue();
        awaitAll("Alice and Bob stop listing Carol", Duration.ofSeconds(10), others,
                b -> ((Number) b.execute("return window.__carolGoneAt;")).longValue() > 0);
        Map<Browser, Long> goneAfter = new LinkedHashMap<>();
        for (Browser b : others) {
            goneAfter.put(b, ((Number) b.execute("return window.__carolGoneAt;")).longValue() - kickedAt);
        }
        LOG.log(System.Logger.Level.INFO, "kick: the pages stopped listing Carol after {0} ms", goneAfter);
        assertThat(goneAfter.values()).as("ms after the kick request until the page stops listing Carol: %s", goneAfter)
                .allMatch(ms -> ms <= 2_000);
        long othersMs = (System.nanoTime() - t0) / 1_000_000;
        await("Carol's page has left, saying she was kicked", Duration.ofSeconds(5), List.of(carol),
                () -> "left".equals(carol.state()) && carol.bannerText().contains("kicked"));
        LOG.log(System.Logger.Level.INFO, "kick: checked the others after {0} ms, her page left after {1} ms",
                othersMs, (System.nanoTime() - t0) / 1_000_000);
        // The API answers from the snapshot of the last stats tick (once a second).
        await("the API no longer lists Carol", Duration.ofSeconds(3), List.of(), () ->
                getOk(ApiPaths.expand(ApiPaths.CALL, MAIN), CallDetail.class).participants().size() == 2);
        CallDetail call = getOk(ApiPaths.expand(ApiPaths.CALL, MAIN), CallDetail.class);
        assertThat(call.participants()).extracting(ParticipantDetail::name).containsExactlyInAnyOrder("Alice", "Bob");
        assertThat(get(ApiPaths.expand(ApiPaths.PARTICIPANT, MAIN, carolId)).statusCode()).isEqualTo(404);
        assertThat(getOk(ApiPaths.CALLS, CallList.class).calls().getFirst().participants()).isEqualTo(2);
    }

    @Test
    @Order(4)
    void drainRefusesANewPageKeepsTheCallUntilTheDeadlineThenEndsItAndUndrainTakesJoinsAgain() throws Exception {
        requireJoined(alice, bob);
        Browser dave = browser("Dave");
        List<Browser> inCall = List.of(alice, bob);
        try {
            long deadline = System.currentTimeMillis() + 12_000;
            ActionResult r = postOk(ApiPaths.DRAIN, "{\"deadlineMillis\": " + deadline + ", \"reason\": \"browser test\"}");
            assertThat(r.ok()).isTrue();
            assertThat(getOk(ApiPaths.NODE, NodeInfo.class).state()).isEqualTo(NodeState.draining);

            dave.open(url("late", "Dave"));
            await("Dave's join is refused with NODE_DRAINING", Duration.ofSeconds(8), List.of(dave),
                    () -> "error".equals(dave.state()) && "NODE_DRAINING".equals(dave.lastErrorCode()));
            assertThat(dave.bannerText()).contains("not taking new calls");
            dave.screenshot(OUT.resolve("api-drain-refused.png"));

            // the call goes on while the deadline is ahead
            Map<Browser, Long> frames = framesDecoded(inCall);
            await("Alice and Bob keep decoding video while draining", Duration.ofSeconds(4), inCall,
                    () -> inCall.stream().allMatch(b -> framesDecoded(List.of(b)).get(b) > frames.get(b)));
            assertThat(System.currentTimeMillis()).as("checked before the deadline").isLessThan(deadline);
            assertThat(inCall).allMatch(b -> "joined".equals(b.state()));
            assertThat(getOk(ApiPaths.expand(ApiPaths.CALL, MAIN), CallDetail.class).participants()).hasSize(2);

            await("at the deadline Alice's and Bob's pages end with nodeDrained",
                    Duration.ofMillis(Math.max(0, deadline - System.currentTimeMillis()) + 8_000), inCall,
                    () -> inCall.stream().allMatch(b -> "left".equals(b.state())
                            && b.bannerText().contains("nodeDrained")));
            long endedAt = System.currentTimeMillis();
            LOG.log(System.Logger.Level.INFO, "drain: the pages showed the end {0} ms after the deadline",
                    endedAt - deadline);
            assertThat(endedAt).as("not ended before the deadline").isGreaterThanOrEqualTo(deadline - 100);
            await("the call is gone from the API", Duration.ofSeconds(3), inCall,
                    () -> get(ApiPaths.expand(ApiPaths.CALL, MAIN)).statusCode() == 404
                            && getOk(ApiPaths.CALLS, CallList.class).calls().isEmpty());
        } finally {
            HttpResponse<String> undrain = send("DELETE", ApiPaths.DRAIN, null);
            assertThat(undrain.statusCode()).as("DELETE drain: %s", undrain.body()).isEqualTo(200);
        }
        assertThat(getOk(ApiPaths.NODE, NodeInfo.class).state()).isEqualTo(NodeState.running);
        dave.open(url("after-drain", "Dave"));
        await("after the undrain Dave joins and publishes", JOIN_TIMEOUT, List.of(dave),
                () -> "joined".equals(dave.state()) && dave.localSources().size() == 2
                        && "connected".equals(dave.stats().publishState()));
        String daveId = dave.participantId();
        await("the API lists Dave in after-drain, publishing", Duration.ofSeconds(10), List.of(dave), () -> {
            CallDetail c = callOrNull("after-drain");
            return c != null && c.participants().size() == 1 && c.participants().getFirst().participantId().equals(daveId)
                    && c.participants().getFirst().published().stream().anyMatch(t -> t.bitrateBps() > 0);
        });
        quietly(dave::leave);
    }

    // ---------------------------------------------------------------------------------------------

    /** Why the participant's stats are not those of a connected participant sending and receiving, or null. */
    private static String flowing(ParticipantDetail p) {
        if (p.publishState() != ConnectionState.connected || p.subscribeState() != ConnectionState.connected) {
            return p.name() + " publish " + p.publishState() + " subscribe " + p.subscribeState();
        }
        List<PublishedTrackStats> pub = p.published();
        if (pub.size() != 2 || pub.stream().noneMatch(t -> t.kind() == TrackKind.audio)
                || pub.stream().noneMatch(t -> t.kind() == TrackKind.video)) {
            return p.name() + " publishes " + pub;
        }
        if (pub.stream().anyMatch(t -> t.bitrateBps() <= 0)) {
            return p.name() + " published bitrate 0: " + pub;
        }
        List<ReceivedTrackStats> rec = p.received();
        if (rec.size() != 4 || rec.stream().anyMatch(t -> t.bitrateBps() <= 0)) {
            return p.name() + " receives " + rec;
        }
        return null;
    }

    private static PublishedTrackStats published(ParticipantDetail p, String trackId) {
        return p.published().stream().filter(t -> t.trackId().equals(trackId)).findFirst()
                .orElseThrow(() -> new AssertionError(p.name() + " no longer publishes " + trackId));
    }

    private static PublishedTrackStats published(ParticipantDetail p, TrackKind kind) {
        return p.published().stream().filter(t -> t.kind() == kind).findFirst()
                .orElseThrow(() -> new AssertionError(p.name() + " publishes no " + kind + ": " + p.published()));
    }

    private ParticipantDetail participant(String id) {
        return getOk(ApiPaths.expand(ApiPaths.PARTICIPANT, MAIN, id), ParticipantDetail.class);
    }

    private CallDetail callOrNull(String callId) {
        HttpResponse<String> r = get(ApiPaths.expand(ApiPaths.CALL, callId));
        return r.statusCode() == 404 ? null : read(r, CallDetail.class);
    }

    private void requireJoined(Browser... group) {
        for (Browser b : group) {
            assertThat(b.state()).as("%s is in the call (set up by the earlier tests)", b).isEqualTo("joined");
        }
    }

    // ---------------------------------------------------------------- admin API over HTTP

    private HttpResponse<String> send(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + TestNodes.API_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private HttpResponse<String> get(String path) {
        return send("GET", path, null);
    }

    private <T> T getOk(String path, Class<T> type) {
        HttpResponse<String> r = get(path);
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return read(r, type);
    }

    private ActionResult postOk(String path, String body) {
        HttpResponse<String> r = send("POST", path, body);
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isEqualTo(200);
        return read(r, ActionResult.class);
    }

    private static <T> T read(HttpResponse<String> r, Class<T> type) {
        try {
            return JSON.readValue(r.body(), type);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + type.getSimpleName() + " from " + r.body(), e);
        }
    }

    /** The event stream (stats off), as a console opens it: the JDK WebSocket with the bearer token. */
    private final class Events implements AutoCloseable {
        private final WebSocket ws;
        private final List<NodeEvent> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile java.util.function.Consumer<NodeEvent> onEvent = e -> { };

        Events(int port) throws Exception {
            ws = http.newWebSocketBuilder()
                    .header("Authorization", "Bearer " + TestNodes.API_TOKEN)
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + ApiPaths.EVENTS + "?"
                            + ApiPaths.EVENTS_STATS_PARAM + "=false"), new WebSocket.Listener() {
                                private final StringBuilder partial = new StringBuilder();

                                @Override
                                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                                    partial.append(data);
                                    if (last) {
                                        try {
                                            NodeEvent e = JSON.readValue(partial.toString(), NodeEvent.class);
                                            seen.add(e);
                                            onEvent.accept(e);
                                        } catch (IOException | RuntimeException e) {
                                            LOG.log(System.Logger.Level.WARNING, "unreadable event " + partial + ": " + e);
                                        }
                                        partial.setLength(0);
                                    }
                                    webSocket.request(1);
                                    return null;
                                }
                            }).get(10, TimeUnit.SECONDS);
        }

        void awaitHello() {
            await("the event stream says hello", Duration.ofSeconds(5), List.of(),
                    () -> seen.stream().anyMatch(e -> e instanceof io.sfufleet.model.api.HelloEvent));
        }

        @Override
        public void close() {
            ws.abort();
        }
    }

    // ---------------------------------------------------------------- browsers

    private Browser browser(String name) {
        return browsers.computeIfAbsent(name, n -> Browser.launch(n, OUT));
    }

    private String url(String call, String name) {
        return node.clientUrl() + "?call=" + URLEncoder.encode(call, StandardCharsets.UTF_8)
                + "&name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&autojoin=1";
    }

    /** Every browser of the group receives exactly one audio and one video track from each other one. */
    private void awaitMesh(List<Browser> group) {
        await(group.size() + " browsers joined", JOIN_TIMEOUT, group,
                () -> group.stream().allMatch(b -> "joined".equals(b.state()) && b.participantId() != null));
        Map<Browser, String> pids = new HashMap<>();
        for (Browser b : group) {
            pids.put(b, b.participantId());
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
                    List<RemoteTrack> from = tracks.stream().filter(t -> t.participantId().equals(pids.get(other))).toList();
                    if (from.stream().filter(t -> "audio".equals(t.kind())).count() != 1
                            || from.stream().filter(t -> "video".equals(t.kind())).count() != 1) {
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

    private static String jsString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
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

    private static Map<Browser, Long> bytesReceived(List<Browser> browsers, String trackId) {
        Map<Browser, Long> bytes = new LinkedHashMap<>();
        for (Browser b : browsers) {
            Inbound in = b.stats().inbound(trackId);
            bytes.put(b, in == null ? -1 : in.bytesReceived());
        }
        return bytes;
    }

    /** Sum of framesDecoded over the browser's inbound video. */
    private static Map<Browser, Long> framesDecoded(List<Browser> browsers) {
        Map<Browser, Long> frames = new LinkedHashMap<>();
        for (Browser b : browsers) {
            frames.put(b, b.stats().inbound().stream().filter(i -> "video".equals(i.kind()))
                    .mapToLong(Inbound::framesDecoded).sum());
        }
        return frames;
    }

    private static boolean strictlyIncreasing(List<Long> values) {
        for (int i = 1; i < values.size(); i++) {
            if (values.get(i) <= values.get(i - 1)) {
                return false;
            }
        }
        return true;
    }

    private static void quietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | AssertionError e) {
            LOG.log(System.Logger.Level.WARNING, "clean-up failed: " + e);
        }
    }

    private static void awaitAll(String what, Duration timeout, List<Browser> browsers, Predicate<Browser> ok) {
        await(what, timeout, browsers, () -> browsers.stream().allMatch(ok));
    }

    private static void await(String what, Duration timeout, List<Browser> involved, Supplier<Boolean> condition) {
        await(what, timeout, involved, condition, 200);
    }

    /**
     * Polls {@code condition} every {@code periodMillis} until it holds; fails after {@code timeout}
     * with the diagnostics of {@code involved}. An exception thrown by the condition counts as "not yet".
     */
    private static void await(String what, Duration timeout, List<Browser> involved, Supplier<Boolean> condition,
                              long periodMillis) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Objects.equals(condition.get(), Boolean.TRUE)) {
                    return;
                }
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout.toMillis() + " ms: " + what
                        + (last == null ? "" : "\nlast problem: " + last) + "\n"
                        + involved.stream().map(Browser::diagnostics).collect(Collectors.joining("\n")));
            }
            try {
                Thread.sleep(periodMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }
}
