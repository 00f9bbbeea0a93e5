package io.sfufleet.sfu.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.api.ActionResult;
import io.sfufleet.model.api.ApiError;
import io.sfufleet.model.api.ApiPaths;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.CallEndedEvent;
import io.sfufleet.model.api.CallList;
import io.sfufleet.model.api.CallStartedEvent;
import io.sfufleet.model.api.CallSummary;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.api.Health;
import io.sfufleet.model.api.HealthStatus;
import io.sfufleet.model.api.HelloEvent;
import io.sfufleet.model.api.NodeInfo;
import io.sfufleet.model.api.NodeState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.ParticipantJoinedEvent;
import io.sfufleet.model.api.ParticipantLeftEvent;
import io.sfufleet.model.api.PublishedTrackStats;
import io.sfufleet.model.api.StatsSnapshotEvent;
import io.sfufleet.model.api.TrackMutedEvent;
import io.sfufleet.model.api.TrackPublishedEvent;
import io.sfufleet.model.api.TrackUnpublishedEvent;
import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.ParticipantLeft;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.TrackKind;
import io.sfufleet.model.signal.TrackMuted;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.signal.WsTestClient;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API of a real node over real HTTP and WebSockets, with calls joined over signalling. */
class AdminApiTest {
    private static SfuNode node;
    private static AdminClient api;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start();
        api = new AdminClient(node.adminPort(), TestNodes.API_TOKEN);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    // ---------------------------------------------------------------- access

    @Test
    void everyRouteButTheOpenOnesRefusesAMissingOrWrongToken() throws Exception {
        List<Router.Route> routes = node.admin().router().routes();
        assertThat(routes).hasSizeGreaterThanOrEqualTo(14);
        List<String> checked = new ArrayList<>();
        for (Router.Route route : routes) {
            String path = route.template().replace("{callId}", "c1").replace("{participantId}", "p1");
            String method = route.method().name();
            for (AdminClient client : List.of(api.withToken(null), api.withToken("wrong-token-0123456789"))) {
                HttpResponse<String> r = client.send(method, path, method.equals("POST") ? "{}" : null);
                if (route.access() == Router.Access.OPEN) {
                    assertThat(r.statusCode()).as("%s %s", method, path).isNotEqualTo(401);
                    continue;
                }
                ApiError e = AdminClient.error(r, 401);
                assertThat(e.error()).isEqualTo(ApiError.UNAUTHORIZED);
                assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sfu-fleet\"");
            }
            checked.add(method + " " + route.template());
        }
        // api.md: only /livez is open; /metrics needs the token unless api.metrics_open
        assertThat(routes).filteredOn(r -> r.access() == Router.Access.OPEN).extracting(Router.Route::template)
                .containsExactly(ApiPaths.LIVEZ);
        assertThat(routes).filteredOn(r -> r.access() == Router.Access.METRICS).extracting(Router.Route::template)
                .containsExactly(ApiPaths.METRICS);
        assertThat(checked).contains("GET " + ApiPaths.READYZ, "POST " + ApiPaths.DRAIN, "DELETE " + ApiPaths.DRAIN,
                "POST " + ApiPaths.RELOAD, "GET " + ApiPaths.EVENTS, "POST " + ApiPaths.KICK);
    }

    @Test
    void theRightTokenPassesWhateverTheCaseOfBearer() throws Exception {
        HttpResponse<String> r = api.withToken(null).send("GET", ApiPaths.NODE, null,
                "Authorization", "bEaReR " + TestNodes.API_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void aRequestWithAnOriginIsRefused() throws Exception {
        ApiError e = AdminClient.error(api.send("GET", ApiPaths.NODE, null, "Origin", "http://evil.example"), 403);
        assertThat(e.error()).isEqualTo(ApiError.FORBIDDEN);
    }

    // ---------------------------------------------------------------- errors

    @Test
    void unknownRoutesAre404AndWrongMethods405WithAllow() throws Exception {
        ApiError e = AdminClient.error(api.get("/api/v1/nodes"), 404);
        assertThat(e.error()).isEqualTo(ApiError.NOT_FOUND);
        AdminClient.error(api.get(ApiPaths.NODE + "/"), 404);
        AdminClient.error(api.get("/api/v2/node"), 404);

        HttpResponse<String> r = api.delete(ApiPaths.expand(ApiPaths.CALL, "some-call"));
        assertThat(AdminClient.error(r, 405).error()).isEqualTo(ApiError.METHOD_NOT_ALLOWED);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
        r = api.send("PUT", ApiPaths.DRAIN, "{}");
        AdminClient.error(r, 405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST, DELETE");
        r = api.get(ApiPaths.RELOAD);
        AdminClient.error(r, 405);
        assertThat(r.headers().firstValue("Allow")).hasValue("POST");
    }

    @Test
    void badBodiesAre400NamingTheField() throws Exception {
        ApiError e = AdminClient.error(api.post(ApiPaths.DRAIN, "{\"deadlineMillis\": \"soon\"}"), 400);
        assertThat(e.error()).isEqualTo(ApiError.BAD_REQUEST);
        assertThat(e.field()).isEqualTo("deadlineMillis");

        e = AdminClient.error(api.post(ApiPaths.DRAIN, "{}"), 400);
        assertThat(e.field()).isEqualTo("deadlineMillis");

        e = AdminClient.error(api.post(ApiPaths.DRAIN, "{\"deadlineMillis\": " + (System.currentTimeMillis() + 60_000)
                + ", \"reason\": \"" + "x".repeat(300) + "\"}"), 400);
        assertThat(e.field()).isEqualTo("reason");

        e = AdminClient.error(api.post(ApiPaths.DRAIN, "{\"deadlineMillis\": 1"), 400);
        assertThat(e.field()).isNull();
        assertThat(e.message()).contains("not valid JSON");

        e = AdminClient.error(api.post(ApiPaths.expand(ApiPaths.MUTE, "no-call", "p1"), "{\"kind\": \"loud\"}"), 400);
        assertThat(e.field()).isEqualTo("kind");

        e = AdminClient.error(api.post(ApiPaths.expand(ApiPaths.KICK, "no-call", "p1"), "[1, 2]"), 400);
        assertThat(e.error()).isEqualTo(ApiError.BAD_REQUEST);
    }

    @Test
    void aDrainDeadlineInThePastIs400() throws Exception {
        ApiError e = AdminClient.error(api.post(ApiPaths.DRAIN,
                "{\"deadlineMillis\": " + (System.currentTimeMillis() - 1000) + "}"), 400);
        assertThat(e.field()).isEqualTo("deadlineMillis");
        assertThat(e.message()).contains("in the future");
        assertThat(node.state()).isEqualTo(NodeState.running);
    }

    @Test
    void aBodyOver64KiBIs413() throws Exception {
        String big = "{\"reason\": \"" + "x".repeat(ApiPaths.MAX_REQUEST_BYTES) + "\"}";
        ApiError e = AdminClient.error(api.post(ApiPaths.expand(ApiPaths.END_CALL, "no-call"), big), 413);
        assertThat(e.error()).isEqualTo(ApiError.PAYLOAD_TOO_LARGE);
        // the connection is still usable (the client announced the length and keeps it alive)
        assertThat(api.get(ApiPaths.NODE).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownCallsAndParticipantsAre404NamingWhich() throws Exception {
        assertThat(AdminClient.error(api.get(ApiPaths.expand(ApiPaths.CALL, "nope")), 404).field()).isEqualTo("callId");
        assertThat(AdminClient.error(api.get(ApiPaths.expand(ApiPaths.PARTICIPANT, "nope", "p1")), 404).field())
                .isEqualTo("callId");
        assertThat(AdminClient.error(api.post(ApiPaths.expand(ApiPaths.KICK, "nope", "p1"), null), 404).field())
                .isEqualTo("callId");
        try (WsTestClient a = new WsTestClient(node.httpPort())) {
            a.send(new Join(1, "adm-404", "Alice", null, TestNodes.token("adm-404", "Alice")));
            a.expect(Joined.class);
            awaitCall("adm-404", c -> c.participants().size() == 1);
            assertThat(AdminClient.error(api.get(ApiPaths.expand(ApiPaths.PARTICIPANT, "adm-404", "p9")), 404).field())
                    .isEqualTo("participantId");
            assertThat(AdminClient.error(api.post(ApiPaths.expand(ApiPaths.MUTE, "adm-404", "p9"), "{}"), 404).field())
                    .isEqualTo("participantId");
        }
    }

    @Test
    void reloadWithoutAConfigFileIsAConflict() throws Exception {
        ApiError e = AdminClient.error(api.post(ApiPaths.RELOAD, null), 409);
        assertThat(e.error()).isEqualTo(ApiError.CONFLICT);
        assertThat(e.message()).contains("without a configuration file");
    }

    // ---------------------------------------------------------------- reads

    @Test
    void nodeInfoDescribesTheNode() throws Exception {
        NodeInfo n = api.getOk(ApiPaths.NODE, NodeInfo.class);
        assertThat(n.nodeName()).isEqualTo(node.config().node().name());
        assertThat(n.apiVersion()).isEqualTo(ApiPaths.API_VERSION);
        assertThat(n.version()).isNotBlank();
        assertThat(n.state()).isEqualTo(NodeState.running);
        assertThat(n.ready()).isTrue();
        assertThat(n.drainDeadlineMillis()).isNull();
        assertThat(n.startedAtMillis()).isBetween(System.currentTimeMillis() - 600_000, System.currentTimeMillis());
        assertThat(n.uptimeSeconds()).isGreaterThanOrEqualTo(0);
        assertThat(n.mediaPort()).isEqualTo(node.mediaPort());
        assertThat(n.advertisedAddress()).isEqualTo("127.0.0.1");
        assertThat(n.capacity().maxCalls()).isEqualTo(node.config().limits().maxCalls());
        assertThat(n.capacity().maxParticipantsPerCall()).isEqualTo(node.config().limits().maxParticipantsPerCall());
        assertThat(n.availableProcessors()).isPositive();
        assertThat(n.rssBytes()).isPositive();
        assertThat(n.cpuPercent()).isGreaterThanOrEqualTo(0);
        assertThat(n.systemCpuPercent()).isBetween(0.0, 100.0);
    }

    @Test
    void probesAndMetrics() throws Exception {
        HttpResponse<String> live = api.withToken(null).get(ApiPaths.LIVEZ);
        assertThat(live.statusCode()).isEqualTo(200);
        Health h = AdminClient.read(live, Health.class);
        assertThat(h.status()).isEqualTo(HealthStatus.ok);
        assertThat(h.checks()).containsEntry("mediaLoop", "ok");

        Health ready = api.getOk(ApiPaths.READYZ, Health.class);
        assertThat(ready.status()).isEqualTo(HealthStatus.ok);
        assertThat(ready.checks()).containsEntry("state", "ok").containsEntry("capacity", "ok");

        HttpResponse<String> m = api.get(ApiPaths.METRICS);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        assertThat(m.body()).contains("# TYPE sfu_calls gauge", "sfu_ready 1");
    }

    @Test
    void callsAndParticipantsShowWhatJoinedOverSignallingWithinTwoSeconds() throws Exception {
        try (WsTestClient a = new WsTestClient(node.httpPort()); WsTestClient b = new WsTestClient(node.httpPort())) {
            a.send(new Join(1, "adm-calls", "Alice", null, TestNodes.token("adm-calls", "Alice")));
            String alice = a.expect(Joined.class).participantId();
            b.send(new Join(1, "adm-calls", "Bob", null, TestNodes.token("adm-calls", "Bob")));
            String bob = b.expect(Joined.class).participantId();
            publishAudioVideo(a);
            long published = System.nanoTime();

            CallDetail call = awaitCall("adm-calls", c -> c.participants().size() == 2
                    && c.participants().getFirst().published().size() == 2
                    && c.participants().get(1).received().size() == 2);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published)).isLessThanOrEqualTo(2000);
            assertThat(call.participants()).extracting(ParticipantDetail::name).containsExactly("Alice", "Bob");

            CallSummary summary = api.getOk(ApiPaths.CALLS, CallList.class).calls().stream()
                    .filter(c -> c.callId().equals("adm-calls")).findFirst().orElseThrow();
            assertThat(summary.participants()).isEqualTo(2);
            assertThat(summary.tracks()).isEqualTo(2);

            ParticipantDetail a1 = api.getOk(ApiPaths.expand(ApiPaths.PARTICIPANT, "adm-calls", alice),
                    ParticipantDetail.class);
            assertThat(a1.participantId()).isEqualTo(alice);
            assertThat(a1.publishState()).isEqualTo(ConnectionState.new_); // no ICE from this client
            assertThat(a1.remoteAddress()).isNull();
            assertThat(a1.published()).extracting(PublishedTrackStats::kind, PublishedTrackStats::codec,
                            PublishedTrackStats::ssrc, PublishedTrackStats::receivers)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(TrackKind.audio, "opus/48000/2", 1001L, 1),
                            org.assertj.core.groups.Tuple.tuple(TrackKind.video, "VP8/90000", 2001L, 1));
            ParticipantDetail b1 = api.getOk(ApiPaths.expand(ApiPaths.PARTICIPANT, "adm-calls", bob),
                    ParticipantDetail.class);
            assertThat(b1.received()).allSatisfy(r -> assertThat(r.fromParticipantId()).isEqualTo(alice));
            assertThat(b1.received()).extracting(r -> r.layer()).containsExactly(null, "full");
            assertThat(b1.received().getFirst().rttMillis()).isNull();

            NodeInfo n = api.getOk(ApiPaths.NODE, NodeInfo.class);
            assertThat(n.calls()).isGreaterThanOrEqualTo(1);
            assertThat(n.participants()).isGreaterThanOrEqualTo(2);
        }
        awaitNoCall("adm-calls");
    }

    // ---------------------------------------------------------------- actions

    @Test
    void kickSendsByeKickedAndTheOthersSeeItLeave() throws Exception {
        try (WsTestClient a = new WsTestClient(node.httpPort()); WsTestClient b = new WsTestClient(node.httpPort())) {
            a.send(new Join(1, "adm-kick", "Alice", null, TestNodes.token("adm-kick", "Alice")));
            a.expect(Joined.class);
            b.send(new Join(1, "adm-kick", "Bob", null, TestNodes.token("adm-kick", "Bob")));
            String bob = b.expect(Joined.class).participantId();
            ActionResult r = api.postOk(ApiPaths.expand(ApiPaths.KICK, "adm-kick", bob), "{\"reason\": \"test\"}",
                    ActionResult.class);
            assertThat(r.ok()).isTrue();
            assertThat(b.expect(Bye.class).reason()).isEqualTo("kicked");
            assertThat(a.expect(ParticipantLeft.class).reason()).isEqualTo("kicked");
            // the action refreshed the snapshot: the next read shows it at once
            assertThat(api.getOk(ApiPaths.expand(ApiPaths.CALL, "adm-kick"), CallDetail.class).participants())
                    .hasSize(1);
            AdminClient.error(api.post(ApiPaths.expand(ApiPaths.KICK, "adm-kick", bob), null), 404);
        }
    }

    @Test
    void muteStopsTheTracksAndTellsEveryone() throws Exception {
        try (WsTestClient a = new WsTestClient(node.httpPort()); WsTestClient b = new WsTestClient(node.httpPort());
             EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, "stats=false")) {
            events.expect(HelloEvent.class, 2000);
            a.send(new Join(1, "adm-mute", "Alice", null, TestNodes.token("adm-mute", "Alice")));
            String alice = a.expect(Joined.class).participantId();
            b.send(new Join(1, "adm-mute", "Bob", null, TestNodes.token("adm-mute", "Bob")));
            b.expect(Joined.class);
            publishAudioVideo(a);
            events.expect(TrackPublishedEvent.class, e -> e.kind() == TrackKind.video, 2000);

            ActionResult r = api.postOk(ApiPaths.expand(ApiPaths.MUTE, "adm-mute", alice), "{\"kind\": \"audio\"}",
                    ActionResult.class);
            assertThat(r.message()).isEqualTo("muted 1 track");
            assertThat(b.expect(TrackMuted.class).muted()).isTrue();
            assertThat(a.expect(TrackMuted.class).muted()).isTrue();
            TrackMutedEvent ev = events.expect(TrackMutedEvent.class, 2000);
            assertThat(ev.byAdmin()).isTrue();
            assertThat(ev.participantId()).isEqualTo(alice);

            ParticipantDetail p = api.getOk(ApiPaths.expand(ApiPaths.PARTICIPANT, "adm-mute", alice),
                    ParticipantDetail.class);
            assertThat(p.published()).extracting(PublishedTrackStats::kind, PublishedTrackStats::adminMuted)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(TrackKind.audio, true),
                            org.assertj.core.groups.Tuple.tuple(TrackKind.video, false));
            // muting again is not an error; no body means all
            assertThat(api.postOk(ApiPaths.expand(ApiPaths.MUTE, "adm-mute", alice), null, ActionResult.class)
                    .message()).isEqualTo("muted 1 track");
            assertThat(api.postOk(ApiPaths.expand(ApiPaths.MUTE, "adm-mute", alice), "{\"kind\": null}",
                    ActionResult.class).message()).isEqualTo("muted 0 tracks");
        }
    }

    @Test
    void endCallSendsByeCallEndedToEveryParticipant() throws Exception {
        try (WsTestClient a = new WsTestClient(node.httpPort()); WsTestClient b = new WsTestClient(node.httpPort());
             EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, "stats=false")) {
            events.expect(HelloEvent.class, 2000);
            a.send(new Join(1, "adm-end", "Alice", null, TestNodes.token("adm-end", "Alice")));
            a.expect(Joined.class);
            b.send(new Join(1, "adm-end", "Bob", null, TestNodes.token("adm-end", "Bob")));
            b.expect(Joined.class);
            assertThat(api.postOk(ApiPaths.expand(ApiPaths.END_CALL, "adm-end"), "{\"reason\": \"over\"}",
                    ActionResult.class).ok()).isTrue();
            assertThat(a.expect(Bye.class).reason()).isEqualTo("callEnded");
            assertThat(b.expect(Bye.class).reason()).isEqualTo("callEnded");
            assertThat(events.expect(ParticipantLeftEvent.class, e -> e.callId().equals("adm-end"), 2000).reason())
                    .isEqualTo("callEnded");
            assertThat(events.expect(CallEndedEvent.class, e -> e.callId().equals("adm-end"), 2000).reason())
                    .isEqualTo("callEnded");
            AdminClient.error(api.get(ApiPaths.expand(ApiPaths.CALL, "adm-end")), 404);
        }
    }

    // ---------------------------------------------------------------- event stream

    @Test
    void theEventStreamStartsWithHelloThenDeliversJoinsAndLeavesWithinASecond() throws Exception {
        try (EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, "stats=false")) {
            HelloEvent hello = (HelloEvent) events.next(3000).event();
            assertThat(hello.apiVersion()).isEqualTo(ApiPaths.API_VERSION);
            assertThat(hello.nodeName()).isEqualTo(node.config().node().name());
            String pid;
            try (WsTestClient a = new WsTestClient(node.httpPort())) {
                long sent = System.nanoTime();
                a.send(new Join(1, "adm-events", "Alice", null, TestNodes.token("adm-events", "Alice")));
                assertThat(events.expect(CallStartedEvent.class, e -> e.callId().equals("adm-events"), 1000)).isNotNull();
                ParticipantJoinedEvent joined = events.expect(ParticipantJoinedEvent.class,
                        e -> e.callId().equals("adm-events"), 1000);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent)).isLessThan(1000);
                assertThat(joined.name()).isEqualTo("Alice");
                assertThat(joined.remoteAddress()).isEqualTo("127.0.0.1");
                pid = joined.participantId();
                publishAudioVideo(a);
                events.expect(TrackPublishedEvent.class, e -> e.callId().equals("adm-events"), 1000);
            }
            long closed = System.nanoTime();
            events.expect(TrackUnpublishedEvent.class, e -> e.callId().equals("adm-events"), 1000);
            ParticipantLeftEvent left = events.expect(ParticipantLeftEvent.class,
                    e -> e.callId().equals("adm-events"), 1000);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closed)).isLessThan(1000);
            assertThat(left.participantId()).isEqualTo(pid);
            assertThat(left.reason()).isEqualTo("disconnected");
            events.expect(CallEndedEvent.class, e -> e.callId().equals("adm-events"), 1000);
            // stats=false: no snapshots
            Thread.sleep(1500);
            assertThat(events.events).noneMatch(r -> r.event() instanceof StatsSnapshotEvent);
        }
    }

    @Test
    void theEventStreamSendsAStatsSnapshotEverySecond() throws Exception {
        try (EventStreamClient events = new EventStreamClient(node.adminPort(), TestNodes.API_TOKEN, null)) {
            assertThat(events.next(3000).event()).isInstanceOf(HelloEvent.class);
            List<Long> arrivals = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                StatsSnapshotEvent s = events.expect(StatsSnapshotEvent.class, 2000);
                assertThat(s.node().nodeName()).isEqualTo(node.config().node().name());
                arrivals.add(System.nanoTime());
            }
            for (int i = 1; i < arrivals.size(); i++) {
                assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1))).isBetween(500L, 1500L);
            }
        }
    }

    @Test
    void theEventStreamNeedsAnUpgradeAndAValidStatsParameter() throws Exception {
        ApiError e = AdminClient.error(api.get(ApiPaths.EVENTS), 400);
        assertThat(e.message()).contains("WebSocket");
        e = AdminClient.error(api.get(ApiPaths.EVENTS + "?stats=maybe"), 400);
        assertThat(e.field()).isEqualTo("stats");
    }

    // ---------------------------------------------------------------- helpers

    static void publishAudioVideo(WsTestClient c) throws Exception {
        c.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                new PublishedTrack("0", MediaSource.microphone, false),
                new PublishedTrack("1", MediaSource.camera, false))));
        c.expect(PublishAnswer.class);
    }

    /** Polls the call's detail until it matches; a dashboard must see a change within 2 s. */
    private static CallDetail awaitCall(String callId, Predicate<CallDetail> match) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        CallDetail last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = api.get(ApiPaths.expand(ApiPaths.CALL, callId));
            if (r.statusCode() == 200) {
                last = AdminClient.read(r, CallDetail.class);
                if (match.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("call " + callId + " not as expected within 2 s; last seen: " + last);
    }

    private static void awaitNoCall(String callId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (api.get(ApiPaths.expand(ApiPaths.CALL, callId)).statusCode() == 404) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("call " + callId + " still there");
    }
}
