package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A call's last participant left; its {@link ParticipantLeftEvent} came just before.
 *
 * @param reason the last participant's leave reason: {@code left}, {@code disconnected}, {@code timeout},
 *               {@code kicked}, {@code callEnded}, {@code nodeDrained}, {@code nodeShuttingDown}; may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallEndedEvent(String callId, long atMillis, String reason) implements NodeEvent {
    public CallEndedEvent {
        Validation.callId(callId);
        Validation.nonNegative("atMillis", atMillis);
    }
}
