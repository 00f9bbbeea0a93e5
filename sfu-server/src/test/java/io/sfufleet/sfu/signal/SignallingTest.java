package io.sfufleet.sfu.signal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.model.signal.Bye;
import io.sfufleet.model.signal.ErrorCode;
import io.sfufleet.model.signal.ErrorMessage;
import io.sfufleet.model.signal.Join;
import io.sfufleet.model.signal.Joined;
import io.sfufleet.model.signal.Leave;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.ParticipantJoined;
import io.sfufleet.model.signal.ParticipantLeft;
import io.sfufleet.model.signal.Ping;
import io.sfufleet.model.signal.Pong;
import io.sfufleet.model.signal.PublishAnswer;
import io.sfufleet.model.signal.PublishOffer;
import io.sfufleet.model.signal.PublishedTrack;
import io.sfufleet.model.signal.SubscribeAnswer;
import io.sfufleet.model.signal.SubscribeOffer;
import io.sfufleet.model.signal.TrackPublished;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SessionDescription;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The signalling protocol against a real node over a real WebSocket (no media). */
class SignallingTest {
    private static SfuNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNodes.start();
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private WsTestClient client() throws Exception {
        return new WsTestClient(node.httpPort());
    }

    @Test
    void joinTellsTheOthersAndLeaveRemoves() throws Exception {
        try (WsTestClient a = client(); WsTestClient b = client()) {
            a.send(new Join(1, "sig-join", "Alice", null));
            Joined ja = a.expect(Joined.class);
            assertThat(ja.participants()).isEmpty();
            b.send(new Join(1, "sig-join", "Bob", null));
            Joined jb = b.expect(Joined.class);
            assertThat(jb.participants()).extracting(p -> p.name()).containsExactly("Alice");
            assertThat(a.expect(ParticipantJoined.class).participant().participantId()).isEqualTo(jb.participantId());
            b.send(new Leave());
            assertThat(b.expect(Bye.class).reason()).isEqualTo("left");
            assertThat(a.expect(ParticipantLeft.class).participantId()).isEqualTo(jb.participantId());
            assertThat(b.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1000);
        }
    }

    @Test
    void publishOfferIsAnsweredAndOthersGetASubscribeOffer() throws Exception {
        try (WsTestClient a = client(); WsTestClient b = client()) {
            a.send(new Join(1, "sig-pub", "Alice", null));
            String alice = a.expect(Joined.class).participantId();
            b.send(new Join(1, "sig-pub", "Bob", null));
            b.expect(Joined.class);
            a.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                    new PublishedTrack("0", MediaSource.microphone, false),
                    new PublishedTrack("1", MediaSource.camera, false))));
            SessionDescription answer = SessionDescription.parse(a.expect(PublishAnswer.class).sdp());
            assertThat(answer.sessionAttribute("ice-lite")).isNotNull();
            assertThat(answer.sessionAttribute("group")).isEqualTo("BUNDLE 0 1");
            for (MediaSection m : answer.media()) {
                assertThat(m.direction()).isEqualTo("recvonly");
                assertThat(m.attribute("setup")).isEqualTo("passive");
                assertThat(m.attribute("candidate")).endsWith("127.0.0.1 " + node.mediaPort() + " typ host");
                assertThat(m.attribute("fingerprint")).startsWith("sha-256 ");
            }
            assertThat(answer.media().get(0).rtpmaps()).containsExactly(java.util.Map.entry(111, "opus/48000/2"));
            assertThat(answer.media().get(1).rtpmaps()).containsExactly(java.util.Map.entry(96, "VP8/90000"));

            assertThat(b.expect(TrackPublished.class).track().participantId()).isEqualTo(alice);
            SubscribeOffer offer = b.expect(SubscribeOffer.class);
            SessionDescription sub = SessionDescription.parse(offer.sdp());
            assertThat(sub.media()).hasSize(2);
            assertThat(sub.media()).allSatisfy(m -> {
                assertThat(m.direction()).isEqualTo("sendonly");
                assertThat(m.attribute("setup")).isEqualTo("actpass");
                assertThat(m.attribute("msid")).startsWith(alice + " ");
            });
            assertThat(sub.media().get(0).ssrcs()).containsExactly(1001L);
            assertThat(sub.media().get(1).ssrcs()).containsExactly(2001L);

            b.send(new SubscribeAnswer("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", offer.revision() + 5));
            assertThat(b.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.STALE_REVISION);
        }
    }

    @Test
    void badInputGetsAnErrorAndTheConnectionSurvives() throws Exception {
        try (WsTestClient a = client()) {
            a.sendRaw("{\"type\":\"publishOffer\",\"sdp\":\"v=0\"}");
            assertThat(a.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.NOT_JOINED);
            a.sendRaw("not json at all");
            assertThat(a.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.BAD_MESSAGE);
            a.sendRaw("{\"type\":\"teleport\"}");
            ErrorMessage unknown = a.expect(ErrorMessage.class);
            assertThat(unknown.code()).isEqualTo(ErrorCode.UNKNOWN_MESSAGE_TYPE);
            assertThat(unknown.fatal()).isFalse();
            a.sendRaw("{\"type\":\"join\",\"protocolVersion\":1,\"callId\":\"bad id!\",\"name\":\"A\"}");
            assertThat(a.expect(ErrorMessage.class).message()).contains("callId");
            a.send(new Ping(42));
            assertThat(a.expect(Pong.class).nonce()).isEqualTo(42);
            a.send(new Join(1, "sig-bad", "A", null));
            a.expect(Joined.class);
            a.send(new Join(1, "sig-bad", "A", null));
            assertThat(a.expect(ErrorMessage.class).code()).isEqualTo(ErrorCode.ALREADY_JOINED);
            a.send(new PublishOffer("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n", List.of()));
            ErrorMessage sdp = a.expect(ErrorMessage.class);
            assertThat(sdp.code()).isEqualTo(ErrorCode.SDP_REJECTED);
            assertThat(sdp.message()).contains("ice-ufrag");
        }
    }

    @Test
    void anOversizedMessageClosesOnlyThatConnection() throws Exception {
        try (WsTestClient big = client(); WsTestClient other = client()) {
            other.send(new Join(1, "sig-big", "Other", null));
            other.expect(Joined.class);
            big.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(node.config().http().maxMessageBytes()) + "\"}");
            ErrorMessage e = big.expect(ErrorMessage.class);
            assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_TOO_LARGE);
            assertThat(e.fatal()).isTrue();
            big.closed.get(15, TimeUnit.SECONDS);
            other.send(new Ping(1));
            assertThat(other.expect(Pong.class).nonce()).isEqualTo(1);
        }
    }

    @Test
    void wrongProtocolVersionIsRefused() throws Exception {
        try (WsTestClient a = client()) {
            a.send(new Join(99, "sig-ver", "A", null));
            ErrorMessage e = a.expect(ErrorMessage.class);
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
            assertThat(e.fatal()).isTrue();
            a.closed.get(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void callsAreIsolated() throws Exception {
        try (WsTestClient x = client(); WsTestClient y = client()) {
            x.send(new Join(1, "sig-iso-x", "X", null));
            x.expect(Joined.class);
            y.send(new Join(1, "sig-iso-y", "Y", null));
            assertThat(y.expect(Joined.class).participants()).isEmpty();
            x.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                    new PublishedTrack("0", MediaSource.microphone, false))));
            x.expect(PublishAnswer.class);
            y.send(new Ping(5));
            // Y's next message is the pong: nothing from call X came in between.
            assertThat(y.next()).isEqualTo(new Pong(5));
        }
    }
}
