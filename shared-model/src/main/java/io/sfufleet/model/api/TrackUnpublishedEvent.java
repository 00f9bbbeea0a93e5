package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A track ended (its publisher stopped it or left). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackUnpublishedEvent(String callId, String participantId, String trackId, long atMillis)
        implements NodeEvent {
    public TrackUnpublishedEvent {
        Validation.callId(callId);
        Validation.required("participantId", participantId);
        Validation.required("trackId", trackId);
        Validation.nonNegative("atMillis", atMillis);
    }
}
