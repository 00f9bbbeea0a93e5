package io.sfufleet.sfu.ice;

/**
 * What {@link IceLiteResponder#process} made of one datagram: what to send back (if anything) and
 * what the check said about the candidate pair. Outcomes without a response or a session are
 * shared constants, so a flood of garbage costs no allocation here.
 *
 * @param kind           what happened; also the counter it was added to
 * @param response       the datagram to send back to the sender, or null; a fresh array the caller owns
 * @param localUfrag     our ufrag the request authenticated against; set only for {@link Kind#RESPONDED}
 * @param remoteUfrag    the peer's ufrag from USERNAME; set only for {@link Kind#RESPONDED}
 * @param useCandidate   whether USE-CANDIDATE was present: the controlling peer nominated this pair
 * @param priority       the PRIORITY attribute (a 32-bit unsigned value), or {@link #NO_PRIORITY}
 * @param iceControlling whether ICE-CONTROLLING was present (a full agent facing ICE-lite must send it)
 */
public record StunOutcome(
        Kind kind,
        byte[] response,
        String localUfrag,
        String remoteUfrag,
        boolean useCandidate,
        long priority,
        boolean iceControlling) {

    /** {@link #priority()} when the request had no PRIORITY attribute. */
    public static final long NO_PRIORITY = -1;

    /** The outcomes, one counter each in {@link IceLiteResponder#count}. */
    public enum Kind {
        /** An authenticated Binding request; {@link #response()} is the success response. */
        RESPONDED,
        /** A Binding indication (RFC 8445 keepalive): accepted, nothing to send. */
        INDICATION,
        /** Unknown local ufrag, malformed USERNAME or wrong MESSAGE-INTEGRITY: a 401 error response. */
        REJECTED_UNAUTHORIZED,
        /** A Binding request without USERNAME or MESSAGE-INTEGRITY: a 400 error response. */
        REJECTED_BAD_REQUEST,
        /** Not a well-formed RFC 5389/8489 message (header, length, cookie, attribute layout): dropped. */
        DROPPED_MALFORMED,
        /** Well-formed, but the trailing FINGERPRINT does not match: probably not STUN at all; dropped. */
        DROPPED_BAD_FINGERPRINT,
        /** A STUN method other than Binding (TURN, say): an ICE-lite port does not serve it; dropped. */
        DROPPED_NOT_BINDING,
        /** A Binding response: ICE-lite never sends checks, so nothing is waiting for it; dropped. */
        DROPPED_RESPONSE,
        /** A bug here or in the caller (bad bounds, unresolved sender, a codec exception); dropped and logged. */
        DROPPED_INTERNAL_ERROR
    }

    static final StunOutcome INDICATION = bare(Kind.INDICATION);
    static final StunOutcome MALFORMED = bare(Kind.DROPPED_MALFORMED);
    static final StunOutcome BAD_FINGERPRINT = bare(Kind.DROPPED_BAD_FINGERPRINT);
    static final StunOutcome NOT_BINDING = bare(Kind.DROPPED_NOT_BINDING);
    static final StunOutcome RESPONSE = bare(Kind.DROPPED_RESPONSE);
    static final StunOutcome INTERNAL_ERROR = bare(Kind.DROPPED_INTERNAL_ERROR);

    private static StunOutcome bare(Kind kind) {
        return new StunOutcome(kind, null, null, null, false, NO_PRIORITY, false);
    }

    static StunOutcome rejected(Kind kind, byte[] response) {
        return new StunOutcome(kind, response, null, null, false, NO_PRIORITY, false);
    }

    /** Whether there is a datagram to send back. */
    public boolean hasResponse() {
        return response != null;
    }
}
