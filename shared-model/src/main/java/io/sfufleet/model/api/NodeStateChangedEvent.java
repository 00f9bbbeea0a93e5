package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The node's state changed, or a drain's deadline moved.
 *
 * @param state               the new state
 * @param drainDeadlineMillis while draining: when the calls left are ended, epoch milliseconds; else null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeStateChangedEvent(NodeState state, Long drainDeadlineMillis, long atMillis) implements NodeEvent {
    public NodeStateChangedEvent {
        state = state == null ? NodeState.unknown : state;
        Validation.require(drainDeadlineMillis == null || drainDeadlineMillis > 0,
                "drainDeadlineMillis must be null or positive epoch milliseconds, not " + drainDeadlineMillis);
        Validation.nonNegative("atMillis", atMillis);
    }
}
