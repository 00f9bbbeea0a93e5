package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/** What a track carries. Screen share is a video track of its own next to the camera. */
public enum MediaSource {
    microphone,
    camera,
    screen,
    /** A value from a newer peer that this version does not know. */
    @JsonEnumDefaultValue
    unknown
}
