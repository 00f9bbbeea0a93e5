package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A track ended (stopped screen share, or its publisher left). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackUnpublished(String participantId, String trackId) implements ServerMessage {
    public TrackUnpublished {
        Validation.notNull("trackId", trackId);
    }
}
