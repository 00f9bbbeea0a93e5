package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A publisher muted or unmuted a track. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackMuted(String participantId, String trackId, boolean muted) implements ServerMessage {
    public TrackMuted {
        Validation.notNull("trackId", trackId);
    }
}
