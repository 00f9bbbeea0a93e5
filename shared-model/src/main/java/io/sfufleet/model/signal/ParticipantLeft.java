package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Someone left; their tracks are gone.
 *
 * @param reason why: "left", "disconnected", "kicked", "callEnded", "timeout"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantLeft(String participantId, String reason) implements ServerMessage {
    public ParticipantLeft {
        Validation.notNull("participantId", participantId);
    }
}
