package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The loudest speaker of a call changed (RFC 6464 audio levels, read by the node). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DominantSpeakerEvent(String callId, String participantId, long atMillis) implements NodeEvent {
    public DominantSpeakerEvent {
        Validation.callId(callId);
        Validation.required("participantId", participantId);
        Validation.nonNegative("atMillis", atMillis);
    }
}
