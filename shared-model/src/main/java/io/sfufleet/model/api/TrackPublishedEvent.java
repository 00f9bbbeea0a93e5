package io.sfufleet.model.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.sfufleet.model.signal.MediaSource;
import io.sfufleet.model.signal.TrackKind;

/** A participant started publishing a track. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackPublishedEvent(String callId, String participantId, String trackId, TrackKind kind,
                                  MediaSource source, long atMillis) implements NodeEvent {
    public TrackPublishedEvent {
        Validation.callId(callId);
        Validation.required("participantId", participantId);
        Validation.required("trackId", trackId);
        kind = kind == null ? TrackKind.unknown : kind;
        source = source == null ? MediaSource.unknown : source;
        Validation.nonNegative("atMillis", atMillis);
    }
}
