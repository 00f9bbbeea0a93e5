package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The participant who now speaks loudest in the call, by the audio levels the node reads. Sent to
 * everyone in the call when it changes, for the active-speaker view.
 *
 * @param participantId the new dominant speaker
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DominantSpeaker(String participantId) implements ServerMessage {
    public DominantSpeaker {
        Validation.notNull("participantId", participantId);
    }
}
