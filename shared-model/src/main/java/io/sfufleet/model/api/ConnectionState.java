package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;
import com.fasterxml.jackson.annotation.JsonProperty;

/** State of one of a participant's two peer connections (publish, subscribe) as the node sees it. */
public enum ConnectionState {
    /** Offered or answered, no ICE check seen yet; also a subscribe connection that does not exist yet. */
    @JsonProperty("new")
    new_,
    /** ICE checks arrive; DTLS not done. */
    checking,
    /** ICE, DTLS and SRTP are up. */
    connected,
    /** ICE or DTLS failed. */
    failed,
    /** Closed by either side. */
    closed,
    /** A value from a newer node that this version does not know. */
    @JsonEnumDefaultValue
    unknown
}
