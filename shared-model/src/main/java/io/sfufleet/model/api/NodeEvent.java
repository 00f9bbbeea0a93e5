package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A frame of the event stream ({@code /api/v1/events}). The first one is {@link HelloEvent}.
 * Consumers skip types they do not know.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = HelloEvent.class, name = "hello"),
    @JsonSubTypes.Type(value = CallStartedEvent.class, name = "callStarted"),
    @JsonSubTypes.Type(value = CallEndedEvent.class, name = "callEnded"),
    @JsonSubTypes.Type(value = ParticipantJoinedEvent.class, name = "participantJoined"),
    @JsonSubTypes.Type(value = ParticipantLeftEvent.class, name = "participantLeft"),
    @JsonSubTypes.Type(value = TrackPublishedEvent.class, name = "trackPublished"),
    @JsonSubTypes.Type(value = TrackUnpublishedEvent.class, name = "trackUnpublished"),
    @JsonSubTypes.Type(value = TrackMutedEvent.class, name = "trackMuted"),
    @JsonSubTypes.Type(value = NodeStateChangedEvent.class, name = "nodeStateChanged"),
    @JsonSubTypes.Type(value = StatsSnapshotEvent.class, name = "statsSnapshot"),
    @JsonSubTypes.Type(value = DominantSpeakerEvent.class, name = "dominantSpeaker"),
})
public sealed interface NodeEvent permits HelloEvent, CallStartedEvent, CallEndedEvent, ParticipantJoinedEvent,
        ParticipantLeftEvent, TrackPublishedEvent, TrackUnpublishedEvent, TrackMutedEvent, NodeStateChangedEvent,
        StatsSnapshotEvent, DominantSpeakerEvent {
    /** When it happened on the node, epoch milliseconds. */
    long atMillis();
}
