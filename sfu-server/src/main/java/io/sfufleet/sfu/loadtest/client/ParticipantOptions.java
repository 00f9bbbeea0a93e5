package io.sfufleet.sfu.loadtest.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Who joins where and what it sends.
 *
 * @param clientUrl   the node's client listener, e.g. {@code http://127.0.0.1:8080} (or the ws:// URL)
 * @param callId      1 to 64 characters of {@code [A-Za-z0-9._-]}
 * @param name        display name, 1 to 64 characters
 * @param token       the join token for this call and name
 * @param audio       send Opus-sized packets at 50 per second
 * @param camera      send VP8 at about 350 kbit/s
 * @param screen      send a VP8 screen share at about 1.5 Mbit/s
 * @param joinTimeout how long joining may take, up to media flowing
 * @param maxLifetime the participant leaves by itself after this long; null: only when closed
 */
public record ParticipantOptions(URI clientUrl, String callId, String name, String token,
                                 boolean audio, boolean camera, boolean screen,
                                 Duration joinTimeout, Duration maxLifetime) {
    private static final Pattern CALL_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    public static final Duration DEFAULT_JOIN_TIMEOUT = Duration.ofSeconds(20);

    public ParticipantOptions {
        Objects.requireNonNull(clientUrl, "clientUrl");
        if (callId == null || !CALL_ID.matcher(callId).matches()) {
            throw new IllegalArgumentException("callId must be 1 to 64 characters of [A-Za-z0-9._-], got " + callId);
        }
        if (name == null || name.isBlank() || name.length() > 64) {
            throw new IllegalArgumentException("name must be 1 to 64 characters, got " + name);
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("a join token is required (mint one with the join secret or the node's dev endpoint)");
        }
        Objects.requireNonNull(joinTimeout, "joinTimeout");
        if (joinTimeout.isNegative() || joinTimeout.isZero()) {
            throw new IllegalArgumentException("joinTimeout must be positive, got " + joinTimeout);
        }
        if (maxLifetime != null && (maxLifetime.isNegative() || maxLifetime.isZero())) {
            throw new IllegalArgumentException("maxLifetime must be positive or null, got " + maxLifetime);
        }
    }

    /** Sends audio only, joins within 20 s, stays until closed. */
    public static ParticipantOptions of(URI clientUrl, String callId, String name, String token) {
        return new ParticipantOptions(clientUrl, callId, name, token, true, false, false, DEFAULT_JOIN_TIMEOUT, null);
    }

    public ParticipantOptions withMedia(boolean audio, boolean camera, boolean screen) {
        return new ParticipantOptions(clientUrl, callId, name, token, audio, camera, screen, joinTimeout, maxLifetime);
    }

    public ParticipantOptions withJoinTimeout(Duration timeout) {
        return new ParticipantOptions(clientUrl, callId, name, token, audio, camera, screen, timeout, maxLifetime);
    }

    public ParticipantOptions withMaxLifetime(Duration lifetime) {
        return new ParticipantOptions(clientUrl, callId, name, token, audio, camera, screen, joinTimeout, lifetime);
    }

    public boolean sendsAnything() {
        return audio || camera || screen;
    }
}
