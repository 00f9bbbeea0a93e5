package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Something the client sent could not be done.
 *
 * @param code    machine-readable reason
 * @param message for people
 * @param fatal   the node closes the connection after this message
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorMessage(ErrorCode code, String message, boolean fatal) implements ServerMessage {
    public ErrorMessage {
        code = code == null ? ErrorCode.UNKNOWN : code;
    }
}
