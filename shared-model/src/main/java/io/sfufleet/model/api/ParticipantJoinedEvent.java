package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The node accepted a join.
 *
 * @param name          display name
 * @param remoteAddress IP address of the participant's signalling connection, as the node sees it (no proxy
 *                      headers); may be null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantJoinedEvent(String callId, String participantId, String name, String remoteAddress,
                                     long atMillis) implements NodeEvent {
    public ParticipantJoinedEvent {
        Validation.callId(callId);
        Validation.required("participantId", participantId);
        Validation.nonNegative("atMillis", atMillis);
    }
}
