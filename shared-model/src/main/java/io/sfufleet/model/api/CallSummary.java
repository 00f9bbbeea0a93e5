package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One call in {@link CallList} and in {@link StatsSnapshotEvent}.
 *
 * @param callId          the call's id, as clients gave it in {@code join}
 * @param createdAtMillis when its first participant joined, epoch milliseconds
 * @param participants    how many participants it has
 * @param tracks          how many tracks they publish
 * @param bitrateInBps    media bits per second the node receives from the call's publishers
 * @param bitrateOutBps   media bits per second the node sends to the call's receivers
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CallSummary(String callId, long createdAtMillis, int participants, int tracks,
                          long bitrateInBps, long bitrateOutBps) {
    public CallSummary {
        Validation.callId(callId);
        Validation.nonNegative("createdAtMillis", createdAtMillis);
        Validation.nonNegative("participants", participants);
        Validation.nonNegative("tracks", tracks);
        Validation.nonNegative("bitrateInBps", bitrateInBps);
        Validation.nonNegative("bitrateOutBps", bitrateOutBps);
    }
}
