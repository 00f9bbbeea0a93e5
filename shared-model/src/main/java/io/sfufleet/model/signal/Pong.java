package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Answer to {@link Ping}, echoing its nonce. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pong(long nonce) implements ServerMessage {
}
