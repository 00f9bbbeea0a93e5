package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * {@code POST .../participants/{participantId}/mute}: the node stops forwarding the participant's
 * tracks of that kind at once and tells the call ({@code trackMuted}); the participant lifts the
 * mute by unmuting itself.
 *
 * @param kind audio, video or all; missing or null means all
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MuteRequest(MuteKind kind) {
    public MuteRequest {
        kind = kind == null ? MuteKind.all : kind;
    }
}
