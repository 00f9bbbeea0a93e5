package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the client says about one m-section of its publish offer.
 *
 * @param mid    the m-section's a=mid in the offer
 * @param source microphone, camera or screen
 * @param muted  whether the client starts it muted (sending nothing)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PublishedTrack(String mid, MediaSource source, boolean muted) {
    public PublishedTrack {
        Validation.text("mid", mid, 32);
        Validation.notNull("source", source);
    }
}
