package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Keeps the connection alive through proxies; answered with {@link Pong}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Ping(long nonce) implements ClientMessage {
}
