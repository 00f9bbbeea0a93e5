package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The node's configured limits.
 *
 * @param maxCalls               {@code limits.max_calls}
 * @param maxParticipantsPerCall {@code limits.max_participants_per_call}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Capacity(int maxCalls, int maxParticipantsPerCall) {
    public Capacity {
        Validation.require(maxCalls >= 1, "maxCalls must be >= 1, not " + maxCalls);
        Validation.require(maxParticipantsPerCall >= 1,
                "maxParticipantsPerCall must be >= 1, not " + maxParticipantsPerCall);
    }
}
