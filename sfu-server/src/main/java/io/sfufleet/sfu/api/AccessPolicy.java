package io.sfufleet.sfu.api;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sfufleet.model.api.ApiError;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * Who may call what, per api.md: a bearer token on every route but {@code /livez} (and
 * {@code /metrics} when {@code api.metrics_open}). The configured token is kept only as its SHA-256
 * hash, and a presented token is hashed and compared with {@link MessageDigest#isEqual}, so the
 * comparison takes the same time wherever the two differ, and whatever their lengths.
 *
 * <p>With no token configured (allowed only on a loopback listener), no token is checked; instead
 * the {@code Host} must be {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, so a web page
 * cannot reach the API through DNS rebinding. Both settings change on a configuration reload.
 */
final class AccessPolicy {
    static final String CHALLENGE = "Bearer realm=\"sfu-fleet\"";
    private static final String BEARER = "bearer ";

    /** Null when no token is configured. */
    private volatile byte[] tokenHash;
    private volatile boolean metricsOpen;

    AccessPolicy(String token, boolean metricsOpen) {
        setToken(token);
        setMetricsOpen(metricsOpen);
    }

    void setToken(String token) {
        this.tokenHash = token == null || token.isEmpty() ? null : sha256(token);
    }

    void setMetricsOpen(boolean open) {
        this.metricsOpen = open;
    }

    boolean tokenConfigured() {
        return tokenHash != null;
    }

    /**
     * Checks a request to a route; throws the 401 or 403 to answer when it may not pass.
     *
     * @param authorization the Authorization header, or null
     * @param host          the Host header, or null
     */
    void check(Router.Access access, String authorization, String host) {
        if (access == Router.Access.OPEN || access == Router.Access.METRICS && metricsOpen) {
            return;
        }
        byte[] expected = tokenHash;
        if (expected == null) {
            if (!isLoopbackHost(host)) {
                throw new ApiException(HttpResponseStatus.FORBIDDEN, ApiError.FORBIDDEN, "no api.token is set, so the"
                        + " admin API only answers requests addressed to localhost, 127.0.0.1 or [::1], not Host "
                        + (host == null ? "(none)" : "'" + host + "'"), null);
            }
            return;
        }
        if (authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw unauthorized("send the admin token of api.token as 'Authorization: Bearer <token>'");
        }
        byte[] presented = sha256(authorization.substring(BEARER.length()).strip());
        if (!MessageDigest.isEqual(presented, expected)) {
            throw unauthorized("wrong token: use the value of api.token (SFU_API_TOKEN) of this node");
        }
    }

    private static ApiException unauthorized(String message) {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, ApiError.UNAUTHORIZED, message, null);
    }

    /** {@code localhost}, {@code 127.0.0.1} or {@code [::1]}, with or without a port. */
    static boolean isLoopbackHost(String host) {
        if (host == null) {
            return false;
        }
        String h = host.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[::1]")) {
            return h.length() == 5 || isPort(h.substring(5));
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return (name.equals("localhost") || name.equals("127.0.0.1")) && (colon < 0 || isPort(h.substring(colon)));
    }

    /** ":" followed by 1 to 5 digits. */
    private static boolean isPort(String s) {
        if (s.length() < 2 || s.length() > 6 || s.charAt(0) != ':') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
