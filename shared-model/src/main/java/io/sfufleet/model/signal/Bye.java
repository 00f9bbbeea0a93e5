package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The node ends this participant's session and closes the connection.
 *
 * @param reason "left", "kicked", "callEnded", "nodeShuttingDown", "timeout"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Bye(String reason) implements ServerMessage {
}
