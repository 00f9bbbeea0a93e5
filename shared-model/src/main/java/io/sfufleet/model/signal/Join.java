package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * First message on a connection: join (or create) the call {@code callId} under a display name.
 *
 * @param protocolVersion the client's protocol version, {@link Protocol#VERSION}
 * @param callId          1 to 64 characters of [A-Za-z0-9._-]
 * @param name            display name, 1 to 64 characters
 * @param client          free text naming the client software, for diagnostics; may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Join(int protocolVersion, String callId, String name, String client) implements ClientMessage {
    public Join {
        Validation.require(protocolVersion > 0, "protocolVersion must be positive");
        Validation.callId(callId);
        Validation.text("name", name, 64);
    }
}
