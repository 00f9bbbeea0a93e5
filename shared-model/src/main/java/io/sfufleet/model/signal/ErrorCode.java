package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Machine-readable error codes; the message text is for people. */
public enum ErrorCode {
    /** The client's protocol version is not spoken by this node. Fatal. */
    UNSUPPORTED_PROTOCOL_VERSION,
    /** The message was not valid JSON or missed a required field. */
    BAD_MESSAGE,
    /** The message type is unknown to this node; the connection stays open. */
    UNKNOWN_MESSAGE_TYPE,
    /** A message other than join came before join. */
    NOT_JOINED,
    /** A second join on one connection. */
    ALREADY_JOINED,
    /** The call has reached limits.max_participants_per_call. Fatal. */
    CALL_FULL,
    /** The node has reached limits.max_calls. Fatal: try another node. */
    NODE_FULL,
    /** The node is draining: it takes no new joins. Fatal: try another node. */
    NODE_DRAINING,
    /** The SDP could not be used (no common codec, missing ICE or DTLS attributes). */
    SDP_REJECTED,
    /** The message exceeded http.max_message_bytes; the node closes the connection. */
    MESSAGE_TOO_LARGE,
    /** A subscribe answer for a revision that is not outstanding; ignored. */
    STALE_REVISION,
    /** Something failed inside the node. */
    INTERNAL,
    /** The join carried no join token, or one that is invalid, expired or for another call. Fatal. */
    UNAUTHORIZED,
    /**
     * The join token does not permit what the client asked, e.g. publishing a screen share without
     * {@code publish:screen}. Not fatal: that m-section is not published, the rest goes on.
     */
    FORBIDDEN,
    @JsonEnumDefaultValue
    UNKNOWN
}
