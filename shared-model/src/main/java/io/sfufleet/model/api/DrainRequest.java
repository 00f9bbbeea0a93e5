package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code POST /api/v1/node/drain}: take no new joins; end the calls still there at the deadline.
 * Draining again moves the deadline. The node refuses a deadline that is not in the future
 * (400, field {@code deadlineMillis}); this record cannot check that, since clocks differ.
 *
 * @param deadlineMillis when the calls left are ended, epoch milliseconds
 * @param reason         optional, for the node's log; at most 256 characters
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DrainRequest(long deadlineMillis, String reason) {
    public DrainRequest {
        Validation.require(deadlineMillis > 0,
                "deadlineMillis must be positive epoch milliseconds, not " + deadlineMillis);
        Validation.reason("reason", reason);
    }
}
