package io.sfufleet.sfu.bwe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.TransportSequence;
import org.junit.jupiter.api.Test;

/**
 * Stamping and feedback together: packets stamped by the node, their arrivals reported by an
 * {@link ArrivalRecorder} standing in for the receiver, reach the estimator.
 */
class DownlinkEstimateTest {
    private static byte[] packet() {
        byte[] b = new byte[1600];
        b[0] = (byte) 0x80;
        b[1] = 96;
        return b;
    }

    @Test
    void feedbackOnStampedPacketsMovesTheEstimate() {
        DownlinkEstimate d = new DownlinkEstimate();
        ArrivalRecorder receiver = new ArrivalRecorder();
        byte[] fb = new byte[8192];
        long now = 0;
        // 3 Mbit/s of 1200-byte packets for 10 s over a clean link: the estimate grows past the start
        for (int i = 0; i < 3125; i++) {
            now += 3200;
            byte[] p = packet();
            int len = d.stamp(p, 0, 1200, p.length, 3, now);
            assertThat(len).isEqualTo(1208);
            receiver.onPacket(TransportSequence.read(p, 0, len, 3), now + 20_000);
            if (i % 30 == 29) {
                int fl = receiver.writeFeedback(fb, 0, 1, 2);
                assertThat(d.onFeedback(fb, 0, fl, now)).isTrue();
            }
        }
        assertThat(d.feedbackPackets()).isGreaterThan(100);
        assertThat(d.estimateBps()).isGreaterThan(DownlinkEstimate.START_BPS);
    }

    @Test
    void malformedFeedbackIsCountedAndChangesNothing() {
        DownlinkEstimate d = new DownlinkEstimate();
        byte[] junk = {(byte) 0x8f, (byte) 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0};
        assertThat(d.onFeedback(junk, 0, junk.length, 0)).isFalse();
        assertThat(d.malformedFeedback()).isEqualTo(1);
        assertThat(d.estimateBps()).isEqualTo(DownlinkEstimate.START_BPS);
    }
}
