package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * {@code GET /api/v1/calls}: every call on the node, oldest first. Wrapped in an object so fields
 * can be added next to the list later.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallList(List<CallSummary> calls) {
    public CallList {
        calls = Validation.list("calls", calls);
    }
}
