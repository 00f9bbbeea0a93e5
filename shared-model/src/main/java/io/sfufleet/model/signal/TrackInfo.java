package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A track published in the call.
 *
 * @param trackId       unique in the call; also the track id in the subscriber SDP's a=msid line
 * @param participantId who publishes it; also the stream id in a=msid
 * @param kind          audio or video
 * @param source        microphone, camera or screen
 * @param muted         whether the publisher has it muted
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackInfo(String trackId, String participantId, TrackKind kind, MediaSource source, boolean muted) {
    public TrackInfo {
        Validation.notNull("trackId", trackId);
        Validation.notNull("participantId", participantId);
        kind = kind == null ? TrackKind.unknown : kind;
        source = source == null ? MediaSource.unknown : source;
    }
}
