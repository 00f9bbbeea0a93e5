package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * How a participant's media reaches the node. The node is ICE-lite with host candidates only, so
 * this names the path the participant's selected candidate pair took to it.
 */
public enum CandidateType {
    /** Straight to the node's UDP media port. */
    udp,
    /** ICE-TCP to the node's TCP media port (UDP blocked on the participant's side). */
    tcp,
    /** Through a TURN relay on the participant's side. */
    relay,
    /** Not connected yet, or a value from a newer node that this version does not know. */
    @JsonEnumDefaultValue
    unknown
}
