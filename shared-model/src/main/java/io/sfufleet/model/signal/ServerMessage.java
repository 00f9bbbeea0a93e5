package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A message the node sends to a client. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Joined.class, name = "joined"),
    @JsonSubTypes.Type(value = PublishAnswer.class, name = "publishAnswer"),
    @JsonSubTypes.Type(value = SubscribeOffer.class, name = "subscribeOffer"),
    @JsonSubTypes.Type(value = ParticipantJoined.class, name = "participantJoined"),
    @JsonSubTypes.Type(value = ParticipantLeft.class, name = "participantLeft"),
    @JsonSubTypes.Type(value = TrackPublished.class, name = "trackPublished"),
    @JsonSubTypes.Type(value = TrackUnpublished.class, name = "trackUnpublished"),
    @JsonSubTypes.Type(value = TrackMuted.class, name = "trackMuted"),
    @JsonSubTypes.Type(value = ErrorMessage.class, name = "error"),
    @JsonSubTypes.Type(value = Bye.class, name = "bye"),
    @JsonSubTypes.Type(value = Pong.class, name = "pong"),
    @JsonSubTypes.Type(value = DominantSpeaker.class, name = "dominantSpeaker"),
})
public sealed interface ServerMessage permits Joined, PublishAnswer, SubscribeOffer, ParticipantJoined,
        ParticipantLeft, TrackPublished, TrackUnpublished, TrackMuted, ErrorMessage, Bye, Pong, DominantSpeaker {
}
