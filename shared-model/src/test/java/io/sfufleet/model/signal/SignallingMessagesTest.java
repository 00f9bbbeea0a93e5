package io.sfufleet.model.signal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SignallingMessagesTest {
    /** Configured as every peer of the protocol must be: tolerant of what it does not know. */
    private final ObjectMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    @Test
    void subtypeListsMatchTheSealedInterfaces() {
        assertSubtypesMatch(ClientMessage.class);
        assertSubtypesMatch(ServerMessage.class);
    }

    private static void assertSubtypesMatch(Class<?> sealed) {
        Set<Class<?>> listed = Arrays.stream(sealed.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        Set<Class<?>> permitted = Set.of(sealed.getPermittedSubclasses());
        assertThat(listed).as("@JsonSubTypes of " + sealed.getSimpleName()).isEqualTo(permitted);
    }

    @Test
    void joinRoundTripsWithItsTypeName() throws Exception {
        String text = json.writeValueAsString(new Join(1, "standup", "Alice", "test"));
        assertThat(json.readTree(text).get("type").asText()).isEqualTo("join");
        assertThat(json.readValue(text, ClientMessage.class)).isEqualTo(new Join(1, "standup", "Alice", "test"));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        ClientMessage m = json.readValue(
                "{\"type\":\"join\",\"protocolVersion\":1,\"callId\":\"c\",\"name\":\"A\",\"fromTheFuture\":{\"x\":1}}",
                ClientMessage.class);
        assertThat(m).isEqualTo(new Join(1, "c", "A", null));
    }

    @Test
    void missingOptionalFieldIsNullAndMissingRequiredFieldIsRefused() throws Exception {
        assertThat(((Join) json.readValue("{\"type\":\"join\",\"protocolVersion\":1,\"callId\":\"c\",\"name\":\"A\"}",
                ClientMessage.class)).client()).isNull();
        assertThatThrownBy(() -> json.readValue("{\"type\":\"join\",\"protocolVersion\":1,\"name\":\"A\"}",
                ClientMessage.class))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("callId");
        assertThatThrownBy(() -> json.readValue("{\"type\":\"join\",\"protocolVersion\":1,\"callId\":null,\"name\":\"A\"}",
                ClientMessage.class))
                .hasMessageContaining("callId");
    }

    @Test
    void joinTokenIsOptionalAndComesLast() throws Exception {
        String base = "{\"type\":\"join\",\"protocolVersion\":1,\"callId\":\"c\",\"name\":\"A\"";
        assertThat(((Join) json.readValue(base + "}", ClientMessage.class)).token()).isNull();
        assertThat(((Join) json.readValue(base + ",\"token\":null}", ClientMessage.class)).token()).isNull();
        assertThat(((Join) json.readValue(base + ",\"token\":\"a.b.c\",\"tokenFromTheFuture\":1}",
                ClientMessage.class)).token()).isEqualTo("a.b.c");
        assertThat(new Join(1, "c", "A", "x")).isEqualTo(new Join(1, "c", "A", "x", null));
        Join withToken = new Join(1, "c", "A", "x", "a.b.c");
        assertThat(json.readValue(json.writeValueAsString(withToken), ClientMessage.class)).isEqualTo(withToken);
        assertThat(Join.class.getRecordComponents()[4].getName()).isEqualTo("token");
        assertThat(new Join(1, "c", "A", null, "t".repeat(Join.MAX_TOKEN_CHARS)).token()).hasSize(Join.MAX_TOKEN_CHARS);
        assertThatThrownBy(() -> new Join(1, "c", "A", null, "t".repeat(Join.MAX_TOKEN_CHARS + 1)))
                .hasMessageContaining("token");
    }

    @Test
    void trackMutedSourceIsOptional() throws Exception {
        String base = "{\"type\":\"trackMuted\",\"participantId\":\"p1\",\"trackId\":\"p1-0\",\"muted\":true";
        assertThat(json.readValue(base + "}", ServerMessage.class)).isEqualTo(new TrackMuted("p1", "p1-0", true));
        assertThat(((TrackMuted) json.readValue(base + ",\"source\":null}", ServerMessage.class)).source()).isNull();
        assertThat(((TrackMuted) json.readValue(base + ",\"source\":\"hologram\"}", ServerMessage.class)).source())
                .isEqualTo(MediaSource.unknown);
        assertThat(((TrackMuted) json.readValue(base + ",\"source\":\"camera\"}", ServerMessage.class)).source())
                .isEqualTo(MediaSource.camera);
    }

    @Test
    void newErrorCodesComeLastAndOldNodesReadThemAsUnknown() throws Exception {
        List<ErrorCode> codes = List.of(ErrorCode.values());
        assertThat(codes.subList(codes.indexOf(ErrorCode.INTERNAL) + 1, codes.size()))
                .containsExactly(ErrorCode.UNAUTHORIZED, ErrorCode.FORBIDDEN, ErrorCode.UNKNOWN);
        ErrorMessage e = (ErrorMessage) json.readValue("{\"type\":\"error\",\"code\":\"FORBIDDEN\",\"message\":\"m\"}",
                ServerMessage.class);
        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void callIdIsRestricted() {
        assertThatThrownBy(() -> new Join(1, "a b", "A", null)).hasMessageContaining("callId");
        assertThatThrownBy(() -> new Join(1, "x".repeat(65), "A", null)).hasMessageContaining("callId");
        assertThatThrownBy(() -> new Join(1, "ok", "", null)).hasMessageContaining("name");
        assertThatThrownBy(() -> new Join(0, "ok", "A", null)).hasMessageContaining("protocolVersion");
    }

    @Test
    void unknownMessageTypeIsReportedAsSuch() {
        assertThatThrownBy(() -> json.readValue("{\"type\":\"teleport\"}", ClientMessage.class))
                .isInstanceOfSatisfying(InvalidTypeIdException.class, e -> assertThat(e.getTypeId()).isEqualTo("teleport"));
    }

    @Test
    void unknownEnumValuesReadAsUnknown() throws Exception {
        ServerMessage m = json.readValue("{\"type\":\"trackPublished\",\"track\":{\"trackId\":\"t\",\"participantId\":\"p\","
                + "\"kind\":\"hologram\",\"source\":\"brain\",\"muted\":false}}", ServerMessage.class);
        TrackInfo t = ((TrackPublished) m).track();
        assertThat(t.kind()).isEqualTo(TrackKind.unknown);
        assertThat(t.source()).isEqualTo(MediaSource.unknown);
        ErrorMessage e = (ErrorMessage) json.readValue("{\"type\":\"error\",\"code\":\"NEW_CODE\",\"message\":\"m\"}",
                ServerMessage.class);
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN);
    }

    @Test
    void nullAndMissingListsBecomeEmpty() throws Exception {
        PublishOffer o = (PublishOffer) json.readValue("{\"type\":\"publishOffer\",\"sdp\":\"v=0\",\"tracks\":null}",
                ClientMessage.class);
        assertThat(o.tracks()).isEmpty();
        Joined j = (Joined) json.readValue("{\"type\":\"joined\",\"protocolVersion\":1,\"callId\":\"c\","
                + "\"participantId\":\"p1\"}", ServerMessage.class);
        assertThat(j.participants()).isEmpty();
        assertThat(j.iceServers()).as("missing").isEmpty();
        Joined withNull = (Joined) json.readValue("{\"type\":\"joined\",\"protocolVersion\":1,\"callId\":\"c\","
                + "\"participantId\":\"p1\",\"iceServers\":null}", ServerMessage.class);
        assertThat(withNull.iceServers()).as("null").isEmpty();
        Joined withUnknown = (Joined) json.readValue("{\"type\":\"joined\",\"protocolVersion\":1,\"callId\":\"c\","
                + "\"participantId\":\"p1\",\"iceServers\":[{\"urls\":[\"turn:t:3478\"],\"username\":\"9:p1\","
                + "\"credential\":\"x\",\"credentialType\":\"password\"}]}", ServerMessage.class);
        assertThat(withUnknown.iceServers()).containsExactly(new IceServer(List.of("turn:t:3478"), "9:p1", "x"));
        assertThatThrownBy(() -> json.readValue("{\"type\":\"joined\",\"protocolVersion\":1,\"callId\":\"c\","
                + "\"participantId\":\"p1\",\"iceServers\":[{\"urls\":[]}]}", ServerMessage.class))
                .hasMessageContaining("at least one URL");
    }

    @Test
    void everyServerMessageRoundTrips() throws Exception {
        TrackInfo track = new TrackInfo("p1-0", "p1", TrackKind.video, MediaSource.screen, false);
        List<ServerMessage> all = List.of(
                new Joined(1, "c", "p2", List.of(new ParticipantInfo("p1", "A", 5, List.of(track))), "node"),
                new Joined(1, "c", "p2", List.of(), "node", List.of(new IceServer(
                        List.of("turn:198.51.100.7:3478?transport=udp"), "1763942400:p2", "c2VjcmV0"))),
                new Joined(1, "c", "p2", List.of(), "node", List.of(), List.of("vp9", "vp8")),
                new PublishAnswer("v=0"), new SubscribeOffer("v=0", 3),
                new ParticipantJoined(new ParticipantInfo("p3", "C", 6, List.of())),
                new ParticipantLeft("p3", "left"), new TrackPublished(track), new TrackUnpublished("p1", "p1-0"),
                new TrackMuted("p1", "p1-0", true, MediaSource.microphone), new ErrorMessage(ErrorCode.CALL_FULL, "full", true),
                new Bye("kicked"), new Pong(7), new DominantSpeaker("p3"));
        assertThat(all.stream().map(Object::getClass).collect(Collectors.toSet()))
                .isEqualTo(Set.of(ServerMessage.class.getPermittedSubclasses()));
        for (ServerMessage m : all) {
            assertThat(json.readValue(json.writeValueAsString(m), ServerMessage.class)).isEqualTo(m);
        }
    }

    @Test
    void everyClientMessageRoundTrips() throws Exception {
        List<ClientMessage> all = List.of(new Join(1, "c", "A", null, "h.p.s"),
                new PublishOffer("v=0", List.of(new PublishedTrack("0", MediaSource.microphone, false))),
                new SubscribeAnswer("v=0", 2), new SetMuted(MediaSource.camera, true), new SetViewport("p1-v0", 320, 180), new Leave(),
                new Ping(9));
        assertThat(all.stream().map(Object::getClass).collect(Collectors.toSet()))
                .isEqualTo(Set.of(ClientMessage.class.getPermittedSubclasses()));
        for (ClientMessage m : all) {
            assertThat(json.readValue(json.writeValueAsString(m), ClientMessage.class)).isEqualTo(m);
        }
    }
}
