package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A publisher muted or unmuted a track, or an admin muted it. The publisher itself gets this
 * message only for an admin mute, and then mutes {@code source} locally.
 *
 * @param source the track's source; null from nodes that predate the field
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackMuted(String participantId, String trackId, boolean muted, MediaSource source)
        implements ServerMessage {
    public TrackMuted {
        Validation.notNull("trackId", trackId);
    }

    /** Without the source, as nodes before it sent. */
    public TrackMuted(String participantId, String trackId, boolean muted) {
        this(participantId, trackId, muted, null);
    }
}
