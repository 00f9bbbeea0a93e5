package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A track was muted or unmuted.
 *
 * @param muted   the new state
 * @param byAdmin the mute came through the admin API ({@code muted} is then true)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackMutedEvent(String callId, String participantId, String trackId, boolean muted, boolean byAdmin,
                              long atMillis) implements NodeEvent {
    public TrackMutedEvent {
        Validation.callId(callId);
        Validation.required("participantId", participantId);
        Validation.required("trackId", trackId);
        Validation.require(muted || !byAdmin, "byAdmin must be false when muted is false (an admin cannot unmute)");
        Validation.nonNegative("atMillis", atMillis);
    }
}
