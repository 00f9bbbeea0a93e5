package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Where a node is in its life. */
public enum NodeState {
    /** Binding its ports and loading its certificate; takes no joins yet. */
    starting,
    /** Takes joins. */
    running,
    /** Takes no new joins; the calls present go on until they end or the drain deadline passes. */
    draining,
    /** Shutting down: ending its calls and closing its listeners. */
    stopping,
    /** A value from a newer node that this version does not know. */
    @JsonEnumDefaultValue
    unknown
}
