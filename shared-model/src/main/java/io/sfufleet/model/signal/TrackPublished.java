package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A participant started publishing a track; a {@link SubscribeOffer} carrying it follows. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrackPublished(TrackInfo track) implements ServerMessage {
    public TrackPublished {
        Validation.notNull("track", track);
    }
}
