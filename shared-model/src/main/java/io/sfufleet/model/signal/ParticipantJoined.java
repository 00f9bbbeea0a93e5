package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Someone joined the call. Their tracks follow as {@link TrackPublished}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantJoined(ParticipantInfo participant) implements ServerMessage {
    public ParticipantJoined {
        Validation.notNull("participant", participant);
    }
}
