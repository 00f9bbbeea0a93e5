package io.sfufleet.sfu.srtp;

/**
 * The outcome of one {@link SrtpSession} call. Anything but {@link #OK} means the packet must be
 * dropped: its buffer may already have been partly transformed (a tag removed, bytes decrypted).
 */
public enum SrtpResult {
    /** The packet was transformed in place and may be used. */
    OK,
    /** The authentication tag did not match: corrupted, forged, or keyed for another session. */
    AUTH_FAIL,
    /** The packet index was seen before or lies behind the replay window (RFC 3711 section 3.3.2). */
    REPLAY,
    /** Not a well-formed RTP/RTCP packet of this profile, or no room in the buffer for the trailer. */
    INVALID,
    /** The crypto provider failed on a well-formed packet; never caused by the peer's input alone. */
    FAIL,
    /** The session was closed; its keys are gone. */
    CLOSED
}
