package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The client muted or unmuted one of its sources. A muted client sends no RTP for that source
 * (the built-in client replaces the sender's track with none); this message tells the others.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SetMuted(MediaSource source, boolean muted) implements ClientMessage {
    public SetMuted {
        Validation.notNull("source", source);
    }
}
