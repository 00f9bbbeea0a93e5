package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A participant left; a {@link TrackUnpublishedEvent} for each of its tracks came before.
 *
 * @param reason {@code left}, {@code disconnected}, {@code timeout}, {@code kicked}, {@code callEnded},
 *               {@code nodeDrained}, {@code nodeShuttingDown}, or a newer word; may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantLeftEvent(String callId, String participantId, String reason, long atMillis)
        implements NodeEvent {
    public ParticipantLeftEvent {
        Validation.callId(callId);
        Validation.required("participantId", participantId);
        Validation.nonNegative("atMillis", atMillis);
    }
}
