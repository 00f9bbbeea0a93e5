package io.sfufleet.sfu.loadtest.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.model.api.CallDetail;
import io.sfufleet.model.api.ConnectionState;
import io.sfufleet.model.api.ParticipantDetail;
import io.sfufleet.model.api.ReceivedTrackStats;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Synthetic participants against a real in-process node, checked through the node's admin API. */
class SyntheticParticipantTest {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private SfuNode node;
    private ClientRuntime runtime;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<SyntheticParticipant> participants = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        node = TestNodes.start();
        runtime = ClientRuntime.loopback();
    }

    @AfterEach
    void stop() {
        participants.forEach(SyntheticParticipant::close);
        runtime.close();
        node.close();
        http.close();
    }

    private URI clientUrl() {
        return URI.create("http://127.0.0.1:" + node.httpPort());
    }

    private SyntheticParticipant join(String call, String name, boolean audio, boolean camera, boolean screen)
            throws Exception {
        ParticipantOptions o = ParticipantOptions.of(clientUrl(), call, name, TestNodes.token(call, name))
                .withMedia(audio, camera, screen).withJoinTimeout(PATIENCE);
        SyntheticParticipant p = SyntheticParticipant.join(runtime, o);
        participants.add(p);
        return p;
    }

    private CallDetail call(String id) throws Exception {
        CallDetail c = callOrNull(id);
        assertThat(c).as("call " + id + " on the node").isNotNull();
        return c;
    }

    /** The call, or null while the node does not list it (its snapshot is taken once a second). */
    private CallDetail callOrNull(String id) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.adminPort() + "/api/v1/calls/" + id))
                .header("Authorization", "Bearer " + TestNodes.API_TOKEN).timeout(Duration.ofSeconds(15)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 404) {
            return null;
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readValue(r.body(), CallDetail.class);
    }

    /** Polls the admin API until {@code done} holds (the node's stats tick is one second). */
    private CallDetail awaitCall(String id, Predicate<CallDetail> done) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        CallDetail last = callOrNull(id);
        while (last == null || !done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("call never reached the expected state: " + last);
            }
            Thread.sleep(100);
            last = callOrNull(id);
        }
        return last;
    }

    @Test
    void threeParticipantsEachReceiveTheOthersMediaAsTheNodeCountsIt() throws Exception {
        SyntheticParticipant alice = join("standup", "Alice", true, true, false);
        SyntheticParticipant bob = join("standup", "Bob", true, false, false);
        SyntheticParticipant carol = join("standup", "Carol", true, false, true);

        CallDetail detail = awaitCall("standup", c -> c.participants().size() == 3 && c.participants().stream()
                .allMatch(p -> receivesFromAllOthers(p, 3)));
        assertThat(detail.participants()).extracting(ParticipantDetail::name)
                .containsExactly("Alice", "Bob", "Carol");
        for (ParticipantDetail p : detail.participants()) {
            assertThat(p.publishState()).isEqualTo(ConnectionState.connected);
            assertThat(p.subscribeState()).isEqualTo(ConnectionState.connected);
            assertThat(p.published()).allSatisfy(t -> assertThat(t.packets()).isPositive());
        }
        // Alice: mic + camera; Bob: mic; Carol: mic + screen
        assertThat(detail.participants().get(0).published()).hasSize(2);
        assertThat(detail.participants().get(1).published()).hasSize(1);
        assertThat(detail.participants().get(2).published()).hasSize(2);

        // What the clients counted: each receives every track of the other two, without SRTP errors.
        awaitClients(() -> alice.stats().receivedStreams() == 3 && bob.stats().receivedStreams() == 4
                && carol.stats().receivedStreams() == 3);
        for (SyntheticParticipant p : List.of(alice, bob, carol)) {
            ParticipantStats s = p.stats();
            assertThat(s.packetsSent()).as(p + " sent").isPositive();
            assertThat(s.packetsReceived()).as(p + " received").isPositive();
            assertThat(s.bytesReceived()).isGreaterThan(s.packetsReceived() * 12);
            assertThat(s.srtpErrors()).as(p + " SRTP errors").isZero();
            assertThat(s.lastDelayMicros()).as(p + " delay").isBetween(0L, 5_000_000L);
            assertThat(s.joinMillis()).isPositive();
            assertThat(p.delays().count()).isPositive();
        }
        // Video senders got the node's keyframe requests (it asks when a receiver starts) and answered them.
        assertThat(alice.stats().keyframesSent()).isPositive();
        assertThat(carol.stats().keyframesSent()).isPositive();
        // The node forwarded what it received: its per-receiver packet counts trail the clients' own.
        ParticipantDetail bobOnNode = call("standup").participants().get(1);
        long nodeSentToBob = bobOnNode.received().stream().mapToLong(ReceivedTrackStats::packets).sum();
        assertThat(nodeSentToBob).isPositive();
        assertThat(bob.stats().packetsReceived()).isGreaterThan(nodeSentToBob / 2);

        // The senders' reports reach the receivers through the node and the receivers' reports echo
        // them (LSR, DLSR), as browsers' do: the node knows every receiver's round trip.
        CallDetail withRtt = awaitCall("standup", c -> c.participants().stream().allMatch(p -> !p.received().isEmpty()
                && p.received().stream().allMatch(t -> t.rttMillis() != null)));
        assertThat(withRtt.participants()).allSatisfy(p -> assertThat(p.received())
                .allSatisfy(t -> assertThat(t.rttMillis()).as("loopback round trip, ms").isBetween(0.0, 1_000.0)));
    }

    private static boolean receivesFromAllOthers(ParticipantDetail p, int participants) {
        long fromOthers = p.received().stream().filter(t -> t.packets() > 0)
                .map(ReceivedTrackStats::fromParticipantId).distinct().count();
        return fromOthers == participants - 1;
    }

    private static void awaitClients(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("clients never received every track");
            }
            Thread.sleep(50);
        }
    }

    @Test
    void closingLeavesTheCallAndTheNodeSeesIt() throws Exception {
        SyntheticParticipant alice = join("retro", "Alice", true, false, false);
        SyntheticParticipant bob = join("retro", "Bob", true, false, false);
        awaitCall("retro", c -> c.participants().size() == 2);
        bob.close();
        CallDetail after = awaitCall("retro", c -> c.participants().size() == 1);
        assertThat(after.participants().get(0).participantId()).isEqualTo(alice.participantId());
        assertThat(bob.isClosed()).isTrue();
        bob.close(); // idempotent
    }

    @Test
    void aBadTokenFailsTheJoinWithTheNodesReason() {
        ParticipantOptions o = ParticipantOptions.of(clientUrl(), "standup", "Mallory",
                TestNodes.token("another-call", "Mallory")).withJoinTimeout(PATIENCE);
        assertThatThrownBy(() -> SyntheticParticipant.join(runtime, o))
                .isInstanceOf(JoinFailedException.class)
                .hasMessageContaining("UNAUTHORIZED");
    }

    @Test
    void aNodeThatIsNotThereFailsTheJoinNamingTheUrl() {
        ParticipantOptions o = ParticipantOptions.of(URI.create("http://127.0.0.1:1"), "standup", "Alice", "x")
                .withJoinTimeout(Duration.ofSeconds(5));
        assertThatThrownBy(() -> SyntheticParticipant.join(runtime, o))
                .isInstanceOf(JoinFailedException.class)
                .hasMessageContaining("ws://127.0.0.1:1/ws");
    }

    @Test
    void optionsRefuseBadInputWithTheReason() {
        URI url = clientUrl();
        assertThatThrownBy(() -> ParticipantOptions.of(url, "bad call!", "Alice", "t"))
                .hasMessageContaining("callId");
        assertThatThrownBy(() -> ParticipantOptions.of(url, "c", "", "t")).hasMessageContaining("name");
        assertThatThrownBy(() -> ParticipantOptions.of(url, "c", "Alice", " ")).hasMessageContaining("join token");
        assertThatThrownBy(() -> ParticipantOptions.of(url, "c", "Alice", "t").withJoinTimeout(Duration.ZERO))
                .hasMessageContaining("joinTimeout");
        ParticipantOptions ftp = ParticipantOptions.of(URI.create("ftp://127.0.0.1/"), "c", "Alice", "t");
        assertThatThrownBy(() -> SyntheticParticipant.join(runtime, ftp))
                .isInstanceOf(JoinFailedException.class)
                .hasMessageContaining("http, https, ws or wss");
    }
}
