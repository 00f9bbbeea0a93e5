package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * {@code GET /api/v1/calls/{callId}}: one call with every participant and its track statistics.
 *
 * @param callId          the call's id
 * @param createdAtMillis when its first participant joined, epoch milliseconds
 * @param participants    in the order they joined
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallDetail(String callId, long createdAtMillis, List<ParticipantDetail> participants) {
    public CallDetail {
        Validation.callId(callId);
        Validation.nonNegative("createdAtMillis", createdAtMillis);
        participants = Validation.list("participants", participants);
    }
}
