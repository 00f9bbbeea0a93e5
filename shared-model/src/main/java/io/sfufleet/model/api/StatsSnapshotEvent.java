package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * Once a second, unless the stream was opened with {@code ?stats=false}: the node and its calls,
 * as {@code GET /api/v1/node} and {@code GET /api/v1/calls} would answer.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record StatsSnapshotEvent(NodeInfo node, List<CallSummary> calls, long atMillis) implements NodeEvent {
    public StatsSnapshotEvent {
        Validation.notNull("node", node);
        calls = Validation.list("calls", calls);
        Validation.nonNegative("atMillis", atMillis);
    }
}
