package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * First message on a connection: join (or create) the call {@code callId} under a display name.
 *
 * @param protocolVersion the client's protocol version, {@link Protocol#VERSION}
 * @param callId          1 to 64 characters of [A-Za-z0-9._-]
 * @param name            display name, 1 to 64 characters
 * @param client          free text naming the client software, for diagnostics; may be null
 * @param token           the join token (a JWT, see docs/signalling.md), at most
 *                        {@value #MAX_TOKEN_CHARS} characters; null when the client has none,
 *                        which a node refuses with {@link ErrorCode#UNAUTHORIZED}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Join(int protocolVersion, String callId, String name, String client, String token)
        implements ClientMessage {
    /** The longest token a join may carry. */
    public static final int MAX_TOKEN_CHARS = 8192;

    public Join {
        Validation.require(protocolVersion > 0, "protocolVersion must be positive");
        Validation.callId(callId);
        Validation.text("name", name, 64);
        Validation.require(token == null || token.length() <= MAX_TOKEN_CHARS,
                "token must be at most " + MAX_TOKEN_CHARS + " characters");
    }

    /** A join without a token, as before tokens existed. */
    public Join(int protocolVersion, String callId, String name, String client) {
        this(protocolVersion, callId, name, client, null);
    }
}
