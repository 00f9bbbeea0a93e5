package io.sfufleet.sfu.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;

/**
 * The node's join-token policy: the current {@link JoinTokens} and whether the dev endpoint
 * mints tokens. Built from {@code auth.join_token_secret} and {@code auth.dev_tokens}; a reload
 * can change both through {@link #reconfigure}. Thread-safe: the signalling and HTTP threads read
 * it, a reload replaces it whole.
 */
public final class JoinAuth {
    /** How long a token from the dev endpoint is valid. */
    public static final Duration DEV_TOKEN_TTL = Duration.ofHours(1);
    /** The {@code iss} of tokens from the dev endpoint. */
    public static final String DEV_ISSUER = "sfu-fleet-dev";

    private record State(String configuredSecret, JoinTokens tokens, boolean devTokens) {
    }

    private final Clock clock;
    private volatile State state;

    /**
     * @param secret    {@code auth.join_token_secret}; empty for a random secret made now
     * @param devTokens {@code auth.dev_tokens}
     */
    public JoinAuth(String secret, boolean devTokens, Clock clock) {
        this.clock = clock;
        this.state = new State(secret, JoinTokens.forConfiguredSecret(secret, clock), devTokens);
    }

    /**
     * Applies a reloaded configuration. The tokens (and so a random secret) are kept when the
     * configured secret did not change; a new secret invalidates every token not yet used.
     */
    public synchronized void reconfigure(String secret, boolean devTokens) {
        State old = state;
        JoinTokens tokens = old.configuredSecret().equals(secret) ? old.tokens()
                : JoinTokens.forConfiguredSecret(secret, clock);
        state = new State(secret, tokens, devTokens);
    }

    /** @see JoinTokens#verify(String, String) */
    public JoinGrant verify(String token, String callId) throws TokenRejected {
        return state.tokens().verify(token, callId);
    }

    public boolean devTokensEnabled() {
        return state.devTokens();
    }

    /** The tokens under the current secret, e.g. for tests that mint their own. */
    public JoinTokens tokens() {
        return state.tokens();
    }

    /**
     * A token for the dev endpoint: {@code call} only, every permission, {@link #DEV_TOKEN_TTL}.
     *
     * @throws IllegalStateException when dev tokens are off
     */
    public String mintDevToken(String call, String name) {
        State s = state;
        if (!s.devTokens()) {
            throw new IllegalStateException("auth.dev_tokens is off");
        }
        return s.tokens().mint(call, name, EnumSet.allOf(Permission.class), DEV_TOKEN_TTL, DEV_ISSUER);
    }
}
