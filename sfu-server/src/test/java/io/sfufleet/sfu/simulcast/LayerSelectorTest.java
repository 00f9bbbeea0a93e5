package io.sfufleet.sfu.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Layer choice from the bandwidth budget and the tile the receiver shows. */
class LayerSelectorTest {
    private static final int[] HEIGHTS = {180, 360, 720};
    private static final long[] RATES = {150_000, 500_000, 1_700_000};

    @Test
    void theBudgetCapsTheLayer() {
        assertThat(LayerSelector.choose(5_000_000, 0, HEIGHTS, RATES)).isEqualTo(2);
        assertThat(LayerSelector.choose(1_000_000, 0, HEIGHTS, RATES)).isEqualTo(1);
        assertThat(LayerSelector.choose(300_000, 0, HEIGHTS, RATES)).isEqualTo(0);
        assertThat(LayerSelector.choose(50_000, 0, HEIGHTS, RATES)).as("nothing fits: the lowest").isEqualTo(0);
    }

    @Test
    void theViewportCapsTheLayer() {
        assertThat(LayerSelector.choose(5_000_000, 180, HEIGHTS, RATES)).isEqualTo(0);
        assertThat(LayerSelector.choose(5_000_000, 200, HEIGHTS, RATES)).isEqualTo(1);
        assertThat(LayerSelector.choose(5_000_000, 1080, HEIGHTS, RATES)).isEqualTo(2);
        assertThat(LayerSelector.choose(1_000_000, 1080, HEIGHTS, RATES)).as("budget still applies").isEqualTo(1);
    }

    @Test
    void layersThePublisherDoesNotSendAreSkipped() {
        long[] topOnly = {0, 0, 1_700_000};
        assertThat(LayerSelector.choose(300_000, 0, HEIGHTS, topOnly)).isEqualTo(2);
        long[] lowPaused = {0, 500_000, 1_700_000};
        assertThat(LayerSelector.choose(5_000_000, 180, HEIGHTS, lowPaused)).isEqualTo(1);
        assertThat(LayerSelector.choose(5_000_000, 0, HEIGHTS, new long[3])).isEqualTo(-1);
    }
}
