package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A call's first participant joined; a {@link ParticipantJoinedEvent} follows. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallStartedEvent(String callId, long atMillis) implements NodeEvent {
    public CallStartedEvent {
        Validation.callId(callId);
        Validation.nonNegative("atMillis", atMillis);
    }
}
