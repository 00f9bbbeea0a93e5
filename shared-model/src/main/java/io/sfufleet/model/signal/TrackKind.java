package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** RTP media kind of a track, as in the SDP m-line. */
public enum TrackKind {
    audio,
    video,
    @JsonEnumDefaultValue
    unknown
}
