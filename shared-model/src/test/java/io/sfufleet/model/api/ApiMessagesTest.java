package io.sfufleet.model.api;

import static io.sfufleet.model.api.ApiSamples.JSON;
import static io.sfufleet.model.api.ApiSamples.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackKind;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class ApiMessagesTest {
    /**
     * Fields a reader refuses when they are missing or null, with the field the error names.
     * Identifiers, the versions and the numbers that cannot be 0 are required; every other field
     * has a default (0, false, empty, unknown or null). This table is the contract's list of them;
     * docs/api.md says the same.
     */
    private static final Map<String, String> REQUIRED = Map.ofEntries(
            Map.entry("Capacity.maxCalls", "maxCalls"),
            Map.entry("Capacity.maxParticipantsPerCall", "maxParticipantsPerCall"),
            Map.entry("NodeInfo.nodeName", "nodeName"),
            Map.entry("NodeInfo.apiVersion", "apiVersion"),
            Map.entry("NodeInfo.capacity", "capacity"),
            Map.entry("NodeInfo.mediaPort", "mediaPort"),
            Map.entry("CallSummary.callId", "callId"),
            Map.entry("CallDetail.callId", "callId"),
            Map.entry("ParticipantDetail.participantId", "participantId"),
            Map.entry("PublishedTrackStats.trackId", "trackId"),
            Map.entry("ReceivedTrackStats.trackId", "trackId"),
            Map.entry("ReceivedTrackStats.fromParticipantId", "fromParticipantId"),
            Map.entry("DrainRequest.deadlineMillis", "deadlineMillis"),
            Map.entry("ApiError.status", "status"),
            Map.entry("ApiError.error", "error"),
            Map.entry("HelloEvent.apiVersion", "apiVersion"),
            Map.entry("HelloEvent.nodeName", "nodeName"),
            Map.entry("CallStartedEvent.callId", "callId"),
            Map.entry("CallEndedEvent.callId", "callId"),
            Map.entry("ParticipantJoinedEvent.callId", "callId"),
            Map.entry("ParticipantJoinedEvent.participantId", "participantId"),
            Map.entry("ParticipantLeftEvent.callId", "callId"),
            Map.entry("ParticipantLeftEvent.participantId", "participantId"),
            Map.entry("TrackPublishedEvent.callId", "callId"),
            Map.entry("TrackPublishedEvent.participantId", "participantId"),
            Map.entry("TrackPublishedEvent.trackId", "trackId"),
            Map.entry("TrackUnpublishedEvent.callId", "callId"),
            Map.entry("TrackUnpublishedEvent.participantId", "participantId"),
            Map.entry("TrackUnpublishedEvent.trackId", "trackId"),
            Map.entry("TrackMutedEvent.callId", "callId"),
            Map.entry("TrackMutedEvent.participantId", "participantId"),
            Map.entry("TrackMutedEvent.trackId", "trackId"),
            // muted=false with byAdmin=true is contradictory: an admin can only mute
            Map.entry("TrackMutedEvent.muted", "byAdmin"),
            Map.entry("StatsSnapshotEvent.node", "node"),
            Map.entry("DominantSpeakerEvent.callId", "callId"),
            Map.entry("DominantSpeakerEvent.participantId", "participantId"));

    /** Fields whose default is not the one their type implies. */
    private static final Map<String, Object> SPECIAL_DEFAULTS = Map.of("MuteRequest.kind", MuteKind.all);

    @Test
    void subtypeListMatchesTheSealedInterface() {
        Set<Class<?>> listed = Arrays.stream(NodeEvent.class.getAnnotation(JsonSubTypes.class).value())
                .map(JsonSubTypes.Type::value).collect(Collectors.toSet());
        assertThat(listed).isEqualTo(Set.of(NodeEvent.class.getPermittedSubclasses()));
    }

    @Test
    void everyRecordOfThePackageHasASampleAndIgnoresUnknownFields() {
        List<Class<?>> records = ApiSamples.recordsOfThePackage();
        assertThat(records).isNotEmpty();
        assertThat(ApiSamples.all().stream().map(Object::getClass).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(records);
        for (Class<?> c : records) {
            assertThat(c.getAnnotation(JsonIgnoreProperties.class))
                    .as(c.getSimpleName()).isNotNull()
                    .extracting(JsonIgnoreProperties::ignoreUnknown).isEqualTo(true);
        }
    }

    @TestFactory
    Stream<DynamicTest> everySampleRoundTrips() {
        return ApiSamples.all().stream().map(sample -> DynamicTest.dynamicTest(sample.toString(), () -> {
            String text = ApiSamples.write(sample);
            assertThat(JSON.readValue(text, ApiSamples.wireType(sample.getClass()))).isEqualTo(sample);
        }));
    }

    @Test
    void eventsCarryTheirTypeName() throws Exception {
        Map<String, String> names = Arrays.stream(NodeEvent.class.getAnnotation(JsonSubTypes.class).value())
                .collect(Collectors.toMap(t -> t.value().getSimpleName(), JsonSubTypes.Type::name));
        for (Object sample : ApiSamples.all()) {
            if (sample instanceof NodeEvent e) {
                assertThat(JSON.readTree(ApiSamples.write(e)).get("type").asText())
                        .isEqualTo(names.get(e.getClass().getSimpleName()))
                        .isEqualTo(Character.toLowerCase(e.getClass().getSimpleName().charAt(0))
                                + e.getClass().getSimpleName().substring(1).replaceFirst("Event$", ""));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> unknownFieldsAreIgnoredEverywhere() {
        return firstSampleOfEachRecord().map(sample -> DynamicTest.dynamicTest(name(sample), () -> {
            ObjectNode tree = (ObjectNode) JSON.readTree(ApiSamples.write(sample));
            tree.put("fromTheFuture", 1);
            tree.putObject("alsoFromTheFuture").putArray("x").add("y");
            assertThat(JSON.treeToValue(tree, ApiSamples.wireType(sample.getClass()))).isEqualTo(sample);
        }));
    }

    /** For every field of every record: dropped, and sent as null. Both read the same. */
    @TestFactory
    Stream<DynamicTest> everyFieldMissingOrNullReadsAsItsDefaultOrIsRefused() {
        List<DynamicTest> tests = new ArrayList<>();
        firstSampleOfEachRecord().forEach(sample -> {
            Class<?> c = sample.getClass();
            for (RecordComponent rc : c.getRecordComponents()) {
                String key = c.getSimpleName() + "." + rc.getName();
                for (boolean explicitNull : new boolean[] {false, true}) {
                    tests.add(DynamicTest.dynamicTest(key + (explicitNull ? " null" : " missing"), () -> {
                        ObjectNode tree = (ObjectNode) JSON.readTree(ApiSamples.write(sample));
                        assertThat(tree.has(rc.getName())).as("written").isTrue();
                        if (explicitNull) {
                            tree.putNull(rc.getName());
                        } else {
                            tree.remove(rc.getName());
                        }
                        ThrowingCallable read = () -> JSON.treeToValue(tree, ApiSamples.wireType(c));
                        if (REQUIRED.containsKey(key)) {
                            assertThatThrownBy(read).isInstanceOf(ValueInstantiationException.class)
                                    .hasMessageContaining(REQUIRED.get(key));
                        } else {
                            Object dflt = SPECIAL_DEFAULTS.getOrDefault(key, defaultOf(rc.getType()));
                            Object expected = with(sample, rc, dflt);
                            assertThat(JSON.treeToValue(tree, ApiSamples.wireType(c))).isEqualTo(expected);
                        }
                    }));
                }
            }
        });
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> unknownEnumValuesReadAsUnknown() {
        List<DynamicTest> tests = new ArrayList<>();
        firstSampleOfEachRecord().forEach(sample -> {
            for (RecordComponent rc : sample.getClass().getRecordComponents()) {
                if (rc.getType().isEnum()) {
                    tests.add(DynamicTest.dynamicTest(sample.getClass().getSimpleName() + "." + rc.getName(), () -> {
                        ObjectNode tree = (ObjectNode) JSON.readTree(ApiSamples.write(sample));
                        tree.put(rc.getName(), "fromTheFuture");
                        Object read = JSON.treeToValue(tree, ApiSamples.wireType(sample.getClass()));
                        assertThat(read).isEqualTo(with(sample, rc, defaultOf(rc.getType())));
                        assertThat(rc.getAccessor().invoke(read)).hasToString("unknown");
                    }));
                }
            }
        });
        return tests.stream();
    }

    @Test
    void everyEnumHasAnUnknownDefault() throws Exception {
        for (Class<?> e : List.of(NodeState.class, CandidateType.class, ConnectionState.class, MuteKind.class,
                HealthStatus.class, TrackKind.class, MediaSource.class)) {
            assertThat(defaultOf(e)).as(e.getSimpleName()).hasToString("unknown");
        }
    }

    @Test
    void connectionStateNewIsSpelledNewOnTheWire() throws Exception {
        assertThat(JSON.writeValueAsString(ConnectionState.new_)).isEqualTo("\"new\"");
        assertThat(JSON.readValue("\"new\"", ConnectionState.class)).isEqualTo(ConnectionState.new_);
    }

    @Test
    void unknownEventTypeIsReportedAndCanBeSkipped() throws Exception {
        String frame = "{\"type\":\"callTeleported\",\"callId\":\"c\",\"atMillis\":1}";
        assertThatThrownBy(() -> JSON.readValue(frame, NodeEvent.class))
                .isInstanceOfSatisfying(InvalidTypeIdException.class,
                        e -> assertThat(e.getTypeId()).isEqualTo("callTeleported"));
        // What docs/api.md recommends to consumers of the event stream: unknown types read as null.
        var skipping = JSON.copy().disable(DeserializationFeature.FAIL_ON_INVALID_SUBTYPE);
        assertThat(skipping.readValue(frame, NodeEvent.class)).isNull();
        assertThat(skipping.readValue("{\"type\":\"callStarted\",\"callId\":\"c\",\"atMillis\":1}", NodeEvent.class))
                .isEqualTo(new CallStartedEvent("c", 1));
    }

    @Test
    void listsAndMapsAreCopiedAndUnmodifiable() {
        var calls = new ArrayList<>(List.of(ApiSamples.CALL_SUMMARY));
        CallList list = new CallList(calls);
        calls.clear();
        assertThat(list.calls()).hasSize(1);
        assertThatThrownBy(() -> list.calls().clear()).isInstanceOf(UnsupportedOperationException.class);
        var checks = new LinkedHashMap<>(Map.of("state", "ok"));
        Health h = new Health(HealthStatus.ok, checks);
        checks.put("cpu", "overloaded");
        assertThat(h.checks()).containsOnlyKeys("state");
        assertThatThrownBy(() -> h.checks().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void nullElementsAreRefusedWithTheFieldName() {
        assertThatThrownBy(() -> JSON.readValue("{\"calls\":[null]}", CallList.class)).hasMessageContaining("calls");
        assertThatThrownBy(() -> JSON.readValue("{\"status\":\"ok\",\"checks\":{\"state\":null}}", Health.class))
                .hasMessageContaining("checks");
        assertThatThrownBy(() -> new ReloadResult(Arrays.asList("a", null), List.of(), false))
                .hasMessageContaining("applied");
    }

    /** Each invariant, broken on its own in an otherwise valid record, names its field. */
    @TestFactory
    Stream<DynamicTest> invariantViolationsAreRefusedWithTheFieldName() {
        NodeInfo n = ApiSamples.NODE;
        PublishedTrackStats p = ApiSamples.PUBLISHED;
        ReceivedTrackStats r = ApiSamples.RECEIVED;
        ParticipantDetail d = ApiSamples.PARTICIPANT;
        List<Map.Entry<String, ThrowingCallable>> cases = new ArrayList<>();
        cases.add(Map.entry("maxCalls", () -> new Capacity(0, 10)));
        cases.add(Map.entry("maxParticipantsPerCall", () -> new Capacity(10, -1)));
        cases.add(Map.entry("nodeName", () -> new HelloEvent(1, " ", T)));
        cases.add(Map.entry("apiVersion", () -> new HelloEvent(0, "n", T)));
        cases.add(Map.entry("nodeName", () -> change(n, "nodeName", "")));
        cases.add(Map.entry("apiVersion", () -> change(n, "apiVersion", -1)));
        cases.add(Map.entry("uptimeSeconds", () -> change(n, "uptimeSeconds", -1L)));
        cases.add(Map.entry("startedAtMillis", () -> change(n, "startedAtMillis", -5L)));
        cases.add(Map.entry("drainDeadlineMillis", () -> change(n, "drainDeadlineMillis", 0L)));
        cases.add(Map.entry("cpuPercent", () -> change(n, "cpuPercent", Double.NaN)));
        cases.add(Map.entry("systemCpuPercent", () -> change(n, "systemCpuPercent", 100.5)));
        cases.add(Map.entry("rssBytes", () -> change(n, "rssBytes", -1L)));
        cases.add(Map.entry("openFileDescriptors", () -> change(n, "openFileDescriptors", -1L)));
        cases.add(Map.entry("maxFileDescriptors", () -> change(n, "maxFileDescriptors", -1L)));
        cases.add(Map.entry("bytesOutPerSecond", () -> change(n, "bytesOutPerSecond", -1L)));
        cases.add(Map.entry("participants", () -> change(n, "participants", -1)));
        cases.add(Map.entry("capacity", () -> change(n, "capacity", null)));
        cases.add(Map.entry("mediaPort", () -> change(n, "mediaPort", 65536)));
        cases.add(Map.entry("availableProcessors", () -> change(n, "availableProcessors", -1)));
        cases.add(Map.entry("callId", () -> new CallSummary("a b", T, 1, 1, 0, 0)));
        cases.add(Map.entry("callId", () -> new CallDetail("x".repeat(65), T, List.of())));
        cases.add(Map.entry("bitrateInBps", () -> new CallSummary("c", T, 1, 1, -1, 0)));
        cases.add(Map.entry("participantId", () -> change(d, "participantId", "")));
        cases.add(Map.entry("remotePort", () -> change(d, "remotePort", -1)));
        cases.add(Map.entry("published", () -> change(d, "published", Arrays.asList(p, null))));
        cases.add(Map.entry("trackId", () -> change(p, "trackId", null)));
        cases.add(Map.entry("ssrc", () -> change(p, "ssrc", -1L)));
        cases.add(Map.entry("ssrc", () -> change(r, "ssrc", 1L << 32)));
        cases.add(Map.entry("lossPercent", () -> change(p, "lossPercent", -0.5)));
        cases.add(Map.entry("lossPercent", () -> change(r, "lossPercent", 100.01)));
        cases.add(Map.entry("packetsLost", () -> change(p, "packetsLost", -1L)));
        cases.add(Map.entry("rttMillis", () -> change(p, "rttMillis", Double.POSITIVE_INFINITY)));
        cases.add(Map.entry("rttMillis", () -> change(r, "rttMillis", Double.NaN)));
        cases.add(Map.entry("jitterMillis", () -> change(r, "jitterMillis", -1.0)));
        cases.add(Map.entry("receivers", () -> change(p, "receivers", -1)));
        cases.add(Map.entry("fromParticipantId", () -> change(r, "fromParticipantId", null)));
        cases.add(Map.entry("deadlineMillis", () -> new DrainRequest(0, null)));
        cases.add(Map.entry("reason", () -> new KickRequest("x".repeat(257))));
        cases.add(Map.entry("reason", () -> new EndCallRequest("x".repeat(257))));
        cases.add(Map.entry("reason", () -> new DrainRequest(T, "x".repeat(257))));
        cases.add(Map.entry("unchanged", () -> new ReloadResult(List.of("limits.max_calls"), List.of(), true)));
        cases.add(Map.entry("status", () -> new ApiError(200, "ok", null, null)));
        cases.add(Map.entry("error", () -> new ApiError(400, "", null, null)));
        cases.add(Map.entry("byAdmin", () -> new TrackMutedEvent("c", "p", "t", false, true, T)));
        cases.add(Map.entry("atMillis", () -> new CallStartedEvent("c", -1)));
        cases.add(Map.entry("node", () -> new StatsSnapshotEvent(null, List.of(), T)));
        cases.add(Map.entry("drainDeadlineMillis", () -> new NodeStateChangedEvent(NodeState.draining, -1L, T)));
        return cases.stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () ->
                assertThatThrownBy(e.getValue()).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith(e.getKey() + " ")));
    }

    @Test
    void documentedNullsAreAccepted() {
        NodeInfo n = ApiSamples.NODE;
        assertThat(change(n, "rssBytes", null).rssBytes()).isNull();
        assertThat(change(n, "drainDeadlineMillis", null).drainDeadlineMillis()).isNull();
        assertThat(change(ApiSamples.RECEIVED, "rttMillis", null).rttMillis()).isNull();
        assertThat(change(ApiSamples.RECEIVED, "lossPercent", 100.0).lossPercent()).isEqualTo(100.0);
        assertThat(new ParticipantDetail("p1", null, 0, null, 0, null, null, null, null, null, null))
                .satisfies(d -> {
                    assertThat(d.candidateType()).isEqualTo(CandidateType.unknown);
                    assertThat(d.publishState()).isEqualTo(ConnectionState.unknown);
                    assertThat(d.published()).isEmpty();
                    assertThat(d.received()).isEmpty();
                });
        assertThat(new MuteRequest(null).kind()).isEqualTo(MuteKind.all);
        assertThat(new Health(null, null)).isEqualTo(new Health(HealthStatus.unknown, Map.of()));
    }

    @Test
    void pathsExpandOnlySafeSegments() {
        assertThat(ApiPaths.expand(ApiPaths.MUTE, "standup", "p2"))
                .isEqualTo("/api/v1/calls/standup/participants/p2/mute");
        assertThat(ApiPaths.expand(ApiPaths.CALLS)).isEqualTo("/api/v1/calls");
        assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.CALL, "../node")).hasMessageContaining("{callId}");
        assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.CALL, "a/b")).hasMessageContaining("{callId}");
        assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.CALL)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiPaths.expand(ApiPaths.CALL, "a", "b")).isInstanceOf(IllegalArgumentException.class);
        assertThat(ApiPaths.NODE).startsWith(ApiPaths.PREFIX).endsWith("/node");
        assertThat(ApiPaths.PREFIX).isEqualTo("/api/v" + ApiPaths.API_VERSION);
    }

    // ---- helpers

    private static String name(Object sample) {
        return sample.getClass().getSimpleName();
    }

    private static Stream<Object> firstSampleOfEachRecord() {
        Map<Class<?>, Object> first = new LinkedHashMap<>();
        for (Object s : ApiSamples.all()) {
            first.putIfAbsent(s.getClass(), s);
        }
        return first.values().stream();
    }

    /** What a reader gets for a missing or null field of this type when no rule says otherwise. */
    private static Object defaultOf(Class<?> type) {
        if (type == boolean.class) {
            return false;
        } else if (type == int.class) {
            return 0;
        } else if (type == long.class) {
            return 0L;
        } else if (type == double.class) {
            return 0.0;
        } else if (type == List.class) {
            return List.of();
        } else if (type == Map.class) {
            return Map.of();
        } else if (type.isEnum()) {
            return Arrays.stream(type.getFields()).filter(f -> f.isAnnotationPresent(JsonEnumDefaultValue.class))
                    .findFirst().map(f -> enumConstant(type, f.getName())).orElseThrow(
                            () -> new AssertionError(type + " has no @JsonEnumDefaultValue"));
        }
        return null;
    }

    private static Object enumConstant(Class<?> type, String name) {
        return Arrays.stream(type.getEnumConstants()).filter(c -> ((Enum<?>) c).name().equals(name)).findFirst()
                .orElseThrow();
    }

    /** A copy of {@code record} with one component replaced, through the canonical constructor. */
    private static Object with(Object record, RecordComponent replaced, Object value) {
        RecordComponent[] rcs = record.getClass().getRecordComponents();
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        try {
            for (int i = 0; i < rcs.length; i++) {
                types[i] = rcs[i].getType();
                args[i] = rcs[i].getName().equals(replaced.getName()) ? value : rcs[i].getAccessor().invoke(record);
            }
            Constructor<?> canonical = record.getClass().getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R extends Record> R change(R record, String field, Object value) {
        return (R) with(record, Arrays.stream(record.getClass().getRecordComponents())
                .filter(c -> c.getName().equals(field)).findFirst().orElseThrow(), value);
    }
}
