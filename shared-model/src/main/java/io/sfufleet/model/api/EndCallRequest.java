package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code POST /api/v1/calls/{callId}/end}: every participant gets {@code bye} (reason
 * {@code callEnded}) and is disconnected; the call ends.
 *
 * @param reason optional, for the node's log; at most 256 characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EndCallRequest(String reason) {
    public EndCallRequest {
        Validation.reason("reason", reason);
    }
}
