package io.sfufleet.model.signal;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The size at which the client shows a received video track, in device pixels. The node sends
 * a simulcast track no taller a layer than the tile needs; 0 x 0 means hidden or unknown (no limit
 * beyond bandwidth). Sent when a tile appears or is resized.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SetViewport(String trackId, int width, int height) implements ClientMessage {
    /** Larger than any screen: a bound so a hostile value is refused rather than trusted. */
    public static final int MAX_PIXELS = 16384;

    public SetViewport {
        Validation.text("trackId", trackId, 128);
        Validation.require(width >= 0 && width <= MAX_PIXELS && height >= 0 && height <= MAX_PIXELS,
                "width and height must be 0.." + MAX_PIXELS + ", got " + width + "x" + height);
    }
}
