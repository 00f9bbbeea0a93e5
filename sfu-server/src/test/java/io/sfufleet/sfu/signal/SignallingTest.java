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
import io.sfufleet.model.signal.ServerMessage;
import io.sfufleet.model.signal.TrackPublished;
import io.sfufleet.sfu.SfuNode;
import io.sfufleet.sfu.TestNodes;
import io.sfufleet.sfu.auth.JoinTokens;
import io.sfufleet.sfu.auth.Permission;
import io.sfufleet.sfu.sdp.ChromeOffers;
import io.sfufleet.sfu.sdp.MediaSection;
import io.sfufleet.sfu.sdp.SessionDescription;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
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

    /** A join with a token for that call and name, every permission. */
    private static Join join(String call, String name) {
        return new Join(1, call, name, null, TestNodes.token(call, name));
    }

    @Test
    void joinTellsTheOthersAndLeaveRemoves() throws Exception {
        try (WsTestClient a = client(); WsTestClient b = client()) {
            a.send(join("sig-join", "Alice"));
            Joined ja = a.expect(Joined.class);
            assertThat(ja.participants()).isEmpty();
            b.send(join("sig-join", "Bob"));
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
            a.send(join("sig-pub", "Alice"));
            String alice = a.expect(Joined.class).participantId();
            b.send(join("sig-pub", "Bob"));
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
                assertThat(m.attributes("candidate")).containsExactly(
                        "1 1 udp 2130706431 127.0.0.1 " + node.mediaPort() + " typ host",
                        "2 1 tcp 1518280447 127.0.0.1 " + node.tcpPort() + " typ host tcptype passive");
                assertThat(m.attribute("fingerprint")).startsWith("sha-256 ");
            }
            // Opus with its in-band FEC, and RED over Opus so a client that sends redundancy is understood
            assertThat(answer.media().get(0).rtpmaps()).containsExactly(java.util.Map.entry(111, "opus/48000/2"),
                    java.util.Map.entry(63, "red/48000/2"));
            assertThat(answer.media().get(0).formats()).containsExactly(111, 63);
            assertThat(answer.media().get(0).forPayloadType("fmtp", 111)).containsExactly("minptime=10;useinbandfec=1");
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
            // Bob offered no RTX (he publishes nothing), so no RTX SSRC is announced to him
            assertThat(sub.media().get(1).ssrcs()).containsExactly(2001L);
            assertThat(sub.media().get(1).attribute("ssrc-group")).isNull();
            assertThat(sub.media().get(0).formats()).containsExactly(111, 63);
            assertThat(sub.media().get(0).forPayloadType("fmtp", 111)).containsExactly("minptime=10;useinbandfec=1");
            assertThat(sub.media().get(0).forPayloadType("fmtp", 63)).containsExactly("111/111");

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
            a.send(join("sig-bad", "A"));
            a.expect(Joined.class);
            a.send(join("sig-bad", "A"));
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
            other.send(join("sig-big", "Other"));
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
            a.send(new Join(99, "sig-ver", "A", null, TestNodes.token("sig-ver", "A")));
            ErrorMessage e = a.expect(ErrorMessage.class);
            assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_PROTOCOL_VERSION);
            assertThat(e.fatal()).isTrue();
            a.closed.get(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void callsAreIsolated() throws Exception {
        try (WsTestClient x = client(); WsTestClient y = client()) {
            x.send(join("sig-iso-x", "X"));
            x.expect(Joined.class);
            y.send(join("sig-iso-y", "Y"));
            assertThat(y.expect(Joined.class).participants()).isEmpty();
            x.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                    new PublishedTrack("0", MediaSource.microphone, false))));
            x.expect(PublishAnswer.class);
            y.send(new Ping(5));
            // Y's next message is the pong: nothing from call X came in between.
            assertThat(y.next()).isEqualTo(new Pong(5));
        }
    }

    // ---------------------------------------------------------------------------------- join tokens

    /** The next message is a fatal UNAUTHORIZED naming {@code why}, and the node closes the connection. */
    private static void assertRefused(WsTestClient c, String why) throws Exception {
        ErrorMessage e = c.expect(ErrorMessage.class);
        assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(e.fatal()).isTrue();
        assertThat(e.message()).contains(why);
        assertThat(c.closed.get(15, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void aJoinWithoutATokenIsUnauthorizedAndClosed() throws Exception {
        try (WsTestClient a = client()) {
            a.send(new Join(1, "sig-auth", "A", null));
            assertRefused(a, "requires a join token");
        }
        assertThat(node.signalling().unauthorizedJoins.sum()).isPositive();
    }

    @Test
    void anExpiredTokenIsUnauthorized() throws Exception {
        JoinTokens tenMinutesAgo = new JoinTokens(TestNodes.JOIN_SECRET.getBytes(StandardCharsets.UTF_8),
                Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)));
        String expired = tenMinutesAgo.mint("sig-exp", "A", EnumSet.allOf(Permission.class), Duration.ofMinutes(5), null);
        try (WsTestClient a = client()) {
            a.send(new Join(1, "sig-exp", "A", null, expired));
            assertRefused(a, "expired");
        }
    }

    @Test
    void aTokenForAnotherCallIsUnauthorized() throws Exception {
        try (WsTestClient a = client()) {
            a.send(new Join(1, "sig-mine", "A", null, TestNodes.token("sig-theirs", "A")));
            assertRefused(a, "for call \"sig-theirs\", not \"sig-mine\"");
        }
    }

    @Test
    void aTokenSignedWithAnotherSecretIsUnauthorized() throws Exception {
        JoinTokens other = new JoinTokens("another-secret-of-at-least-32-bytes!".getBytes(StandardCharsets.UTF_8),
                Clock.systemUTC());
        try (WsTestClient a = client()) {
            a.send(new Join(1, "sig-forged", "A", null,
                    other.mint("sig-forged", "A", EnumSet.allOf(Permission.class), Duration.ofMinutes(5), null)));
            assertRefused(a, "signature");
        }
    }

    @Test
    void aValidTokenJoinsUnderItsSubjectAndStarAdmitsToAnyCall() throws Exception {
        try (WsTestClient a = client(); WsTestClient b = client()) {
            a.send(new Join(1, "sig-sub", "Mallory", null, TestNodes.token("sig-sub", "Alice")));
            a.expect(Joined.class);
            b.send(new Join(1, "sig-sub", "Bob", null, TestNodes.token("*", "Bob")));
            Joined jb = b.expect(Joined.class);
            assertThat(jb.participants()).extracting(p -> p.name()).containsExactly("Alice");
            assertThat(a.expect(ParticipantJoined.class).participant().name()).isEqualTo("Bob");
        }
    }

    @Test
    void aScreenShareWithoutPublishScreenIsForbiddenAndNotPublished() throws Exception {
        try (WsTestClient a = client(); WsTestClient b = client()) {
            a.send(new Join(1, "sig-forbid", "Alice", null, TestNodes.token("sig-forbid", "Alice",
                    EnumSet.of(Permission.PUBLISH_AUDIO, Permission.PUBLISH_VIDEO, Permission.SUBSCRIBE))));
            String alice = a.expect(Joined.class).participantId();
            b.send(join("sig-forbid", "Bob"));
            b.expect(Joined.class);
            // mid 1 is a video m-section; declared as the screen, it needs publish:screen
            a.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                    new PublishedTrack("0", MediaSource.microphone, false),
                    new PublishedTrack("1", MediaSource.screen, false))));
            SessionDescription answer = SessionDescription.parse(a.expect(PublishAnswer.class).sdp());
            assertThat(answer.media()).extracting(MediaSection::direction).containsExactly("recvonly", "inactive");
            ErrorMessage e = a.expect(ErrorMessage.class);
            assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(e.fatal()).isFalse();
            assertThat(e.message()).contains("screen", "publish:screen");

            List<ServerMessage> atBob = b.until(SubscribeOffer.class);
            assertThat(atBob).filteredOn(TrackPublished.class::isInstance)
                    .extracting(m -> ((TrackPublished) m).track().source())
                    .containsExactly(MediaSource.microphone);
            SubscribeOffer offer = (SubscribeOffer) atBob.getLast();
            assertThat(SessionDescription.parse(offer.sdp()).media()).singleElement()
                    .satisfies(m -> assertThat(m.attribute("msid")).startsWith(alice + " "));
            a.send(new Ping(3));
            assertThat(a.expect(Pong.class).nonce()).isEqualTo(3);
        }
    }

    @Test
    void withoutSubscribeTheNodeNeverSendsASubscribeOffer() throws Exception {
        try (WsTestClient a = client(); WsTestClient b = client()) {
            a.send(join("sig-nosub", "Alice"));
            a.expect(Joined.class);
            b.send(new Join(1, "sig-nosub", "Bob", null, TestNodes.token("sig-nosub", "Bob",
                    EnumSet.of(Permission.PUBLISH_AUDIO, Permission.PUBLISH_VIDEO))));
            b.expect(Joined.class);
            a.send(new PublishOffer(ChromeOffers.PUBLISH_AUDIO_VIDEO, List.of(
                    new PublishedTrack("0", MediaSource.microphone, false),
                    new PublishedTrack("1", MediaSource.camera, false))));
            a.expect(PublishAnswer.class);
            b.expect(TrackPublished.class);
            // Handled on the media loop after the renegotiation a subscribe would have posted: the
            // reply comes after any subscribe offer.
            b.send(new SubscribeAnswer("v=0\r\n", 1));
            List<ServerMessage> atBob = b.until(ErrorMessage.class);
            assertThat(atBob).noneMatch(SubscribeOffer.class::isInstance);
            assertThat(((ErrorMessage) atBob.getLast()).code()).isEqualTo(ErrorCode.STALE_REVISION);
        }
    }
}
