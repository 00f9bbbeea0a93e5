package io.sfufleet.sfu.simulcast;

/**
 * Picks the simulcast layer a receiver gets: the best layer that both fits its share of the
 * downlink estimate and is not taller than it needs for the tile it shows the video in (a 180-pixel
 * tile gains nothing from 720p but pays for it). Layers are ordered lowest (0) to highest.
 */
public final class LayerSelector {
    /** Use at most this share of the estimate: leaves room for audio, RTCP and resends. */
    public static final double HEADROOM = 0.85;

    private LayerSelector() {
    }

    /**
     * @param budgetBps      the receiver's estimate share for this track, bits per second
     * @param viewportHeight the tile height in device pixels the receiver asked for; 0 or less: no limit
     * @param heights        each layer's frame height, 0 where not known yet
     * @param bitrates       each layer's current bitrate from the publisher; 0 where it sends nothing
     * @return the layer to forward; the lowest active one when none fits; -1 if no layer is active
     */
    public static int choose(long budgetBps, int viewportHeight, int[] heights, long[] bitrates) {
        int lowestActive = -1;
        int best = -1;
        for (int i = 0; i < bitrates.length; i++) {
            if (bitrates[i] <= 0) {
                continue;
            }
            if (lowestActive < 0) {
                lowestActive = i;
            }
            if (bitrates[i] > budgetBps * HEADROOM) {
                continue;
            }
            best = i;
            if (viewportHeight > 0 && heights[i] >= viewportHeight) {
                break; // tall enough for the tile: higher layers only cost more
            }
        }
        return best >= 0 ? best : lowestActive;
    }
}
