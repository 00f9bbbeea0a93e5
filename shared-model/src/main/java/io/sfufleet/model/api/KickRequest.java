package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code POST .../participants/{participantId}/kick}: the node sends the participant
 * {@code bye} (reason {@code kicked}) and closes its connections; the others see it leave.
 *
 * @param reason optional, for the node's log; at most 256 characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KickRequest(String reason) {
    public KickRequest {
        Validation.reason("reason", reason);
    }
}
