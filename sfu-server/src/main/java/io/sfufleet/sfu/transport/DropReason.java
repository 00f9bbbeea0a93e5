package io.sfufleet.sfu.transport;

/** Why the node dropped an incoming datagram. Each reason is a counter (and later a metric label). */
public enum DropReason {
    EMPTY_OR_OVERSIZED,
    UNKNOWN_SOURCE,
    NOT_DEMULTIPLEXABLE,
    STUN_MALFORMED,
    STUN_UNAUTHORIZED,
    DTLS_QUEUE_FULL,
    DTLS_UNEXPECTED,
    RTP_MALFORMED,
    RTCP_MALFORMED,
    SRTP_NOT_READY,
    SRTP_AUTH_FAILED,
    SRTP_REPLAY,
    SRTP_OTHER,
    UNKNOWN_SSRC,
    /** An ICE-TCP connection over media.tcp_max_connections, closed as it arrived. */
    TCP_CONNECTION_LIMIT,
    /** Outgoing: a packet for an ICE-TCP client whose connection could not take more (it is not reading). */
    TCP_SEND_BACKLOG,
    /** A video packet whose dependency descriptor header extension does not parse (AV1 RTP spec appendix A). */
    DEPENDENCY_DESCRIPTOR_MALFORMED
}
