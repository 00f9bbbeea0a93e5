package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** Which of a participant's tracks an admin mute applies to. */
public enum MuteKind {
    audio,
    video,
    /** Audio and video. */
    all,
    /** A value this version does not know; a node answers it with 400 bad_request, field "kind". */
    @JsonEnumDefaultValue
    unknown
}
