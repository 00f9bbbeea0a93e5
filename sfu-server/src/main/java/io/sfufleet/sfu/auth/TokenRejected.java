package io.sfufleet.sfu.auth;

/** A join token the node does not accept; the message says why, for the client and the log. */
public final class TokenRejected extends Exception {
    /** Why a token was refused. */
    public enum Reason {
        /** The join carried no token. */
        MISSING,
        /** Not three base64url parts, not JSON, or a claim missing or of the wrong type. */
        MALFORMED,
        /** {@code alg} is not HS256 ({@code none} included). */
        UNSUPPORTED_ALGORITHM,
        /** The signature does not match: another secret, or a changed header or payload. */
        BAD_SIGNATURE,
        /** {@code exp} has passed. */
        EXPIRED,
        /** {@code nbf} is still ahead. */
        NOT_YET_VALID,
        /** The {@code call} claim names another call. */
        WRONG_CALL
    }

    private final Reason reason;

    public TokenRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
