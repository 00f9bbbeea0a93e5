package io.sfufleet.model.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackKind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One value of every record of the API, with no field at its default, so dropping a field shows. */
final class ApiSamples {
    /** Configured as every client of the API must be: tolerant of what it does not know. */
    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .build();

    static final long T = 1_763_942_400_000L;

    static final Capacity CAPACITY = new Capacity(1000, 100);
    static final NodeInfo NODE = new NodeInfo("sfu-eu-1", "0.1.0", 1, T - 3_600_000, 3600, NodeState.draining,
            T + 600_000, true, 37.5, 12.25, 268_435_456L, 212L, 1_048_576L, 2_500_000, 9_800_000, 2_900, 11_200,
            3, 9, 17, CAPACITY, 8443, "203.0.113.7", 8);
    static final CallSummary CALL_SUMMARY = new CallSummary("standup", T - 60_000, 3, 5, 2_600_000, 5_100_000);
    static final PublishedTrackStats PUBLISHED = new PublishedTrackStats("p1-v1", TrackKind.video, MediaSource.camera,
            "VP8/90000", 3_735_928_559L, true, true, 1_200_000, 5400, 6_480_000, 12, 0.5, 4.25, 21.5, 7, 2, 2);
    static final ReceivedTrackStats RECEIVED = new ReceivedTrackStats("p2-a0", "p2", TrackKind.audio, 4_294_967_295L,
            32_000, 2900, 290_000, 1.5, 3.0, 18.75, 1, 3, "full");
    static final ParticipantDetail PARTICIPANT = new ParticipantDetail("p1", "Alice", T - 50_000, "198.51.100.23",
            50_123, CandidateType.udp, "AEAD_AES_128_GCM", ConnectionState.connected, ConnectionState.new_,
            List.of(PUBLISHED), List.of(RECEIVED), 2_400_000L);

    private ApiSamples() {
    }

    /** The first value of each record is the one the per-field tests start from. */
    static List<Object> all() {
        return List.of(
                CAPACITY, NODE, CALL_SUMMARY, new CallList(List.of(CALL_SUMMARY)),
                new CallDetail("standup", T - 60_000, List.of(PARTICIPANT)), PARTICIPANT, PUBLISHED, RECEIVED,
                new DrainRequest(T + 600_000, "kernel upgrade"), new MuteRequest(MuteKind.audio),
                new KickRequest("spam"), new EndCallRequest("meeting over"), new ActionResult(true, "muted 1 track"),
                new ReloadResult(List.of("limits.max_calls"), List.of("media.udp_port"), false),
                new ReloadResult(List.of(), List.of(), true),
                new ApiError(404, ApiError.NOT_FOUND, "no call standup", "callId"),
                new Health(HealthStatus.fail, Map.of("state", "draining", "cpu", "ok", "calls", "full")),
                new HelloEvent(1, "sfu-eu-1", T),
                new CallStartedEvent("standup", T),
                new CallEndedEvent("standup", T, "left"),
                new ParticipantJoinedEvent("standup", "p1", "Alice", "198.51.100.23", T),
                new ParticipantLeftEvent("standup", "p1", "kicked", T),
                new TrackPublishedEvent("standup", "p1", "p1-a0", TrackKind.audio, MediaSource.microphone, T),
                new TrackUnpublishedEvent("standup", "p1", "p1-a0", T),
                new TrackMutedEvent("standup", "p1", "p1-a0", true, true, T),
                new TrackMutedEvent("standup", "p1", "p1-a0", false, false, T),
                new NodeStateChangedEvent(NodeState.draining, T + 600_000, T),
                new NodeStateChangedEvent(NodeState.running, null, T),
                new StatsSnapshotEvent(NODE, List.of(CALL_SUMMARY), T),
                new DominantSpeakerEvent("standup", "p1", T));
    }

    /** Every record class compiled into io.sfufleet.model.api. */
    static List<Class<?>> recordsOfThePackage() {
        Path classes;
        try {
            classes = Path.of(ApiPaths.class.getResource("ApiPaths.class").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        try (Stream<Path> files = Files.list(classes)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.equals("package-info.class"))
                    .<Class<?>>map(n -> load("io.sfufleet.model.api." + n.substring(0, n.length() - ".class".length())))
                    .filter(Class::isRecord)
                    .sorted(java.util.Comparator.comparing(Class::getSimpleName))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Events are written and read through {@link NodeEvent}, so they carry their "type". */
    static Class<?> wireType(Class<?> c) {
        return NodeEvent.class.isAssignableFrom(c) ? NodeEvent.class : c;
    }

    static String write(Object value) throws IOException {
        return JSON.writerFor(wireType(value.getClass())).writeValueAsString(value);
    }
}
