package io.sfufleet.sfu.bwe;

import static io.sfufleet.sfu.rtcp.TransportCc.NOT_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The estimator against synthetic feedback: a sender that sends at the estimate (as the node's
 * layer choice will) over a simulated bottleneck with a FIFO queue, with feedback every 100 ms.
 */
class BandwidthEstimatorTest {
    private static final int PACKET = 1200;

    /**
     * A sender pacing 1200-byte packets at the current estimate (at most a cap) over a link that
     * serialises them at its rate behind a FIFO queue, adds 20 ms and loses every n-th packet;
     * feedback every 100 ms. Keeps its clocks across runs so a test can change the link midway.
     */
    private static final class Sim {
        final BandwidthEstimator e;
        long now;
        long linkFree;
        long nextFeedback = 100_000;
        long seq;
        final long[] sendT = new long[4096];
        final long[] arrT = new long[4096];
        int pending;

        Sim(BandwidthEstimator e) {
            this.e = e;
        }

        /** Returns the lowest estimate seen after the first {@code settleSeconds} of this run. */
        long run(double seconds, long linkBps, long sendCapBps, int lossEvery, double settleSeconds) {
            long lowestAfterSettle = Long.MAX_VALUE;
            long begin = now;
            long end = now + (long) (seconds * 1e6);
            for (int guard = 0; now < end && guard < 10_000_000; guard++) {
                long rate = Math.min(e.estimateBps(), sendCapBps);
                now += PACKET * 8L * 1_000_000L / rate;
                long start = Math.max(now, linkFree);
                linkFree = start + PACKET * 8L * 1_000_000L / linkBps;
                boolean lost = lossEvery > 0 && ++seq % lossEvery == 0;
                sendT[pending] = now;
                arrT[pending] = lost ? NOT_RECEIVED : linkFree + 20_000;
                pending++;
                if (now >= nextFeedback || pending == sendT.length) {
                    for (int i = 0; i < pending; i++) {
                        e.onPacket(sendT[i], arrT[i], PACKET);
                    }
                    pending = 0;
                    e.onFeedbackEnd(now);
                    nextFeedback = now + 100_000;
                    if (now - begin >= settleSeconds * 1e6) {
                        lowestAfterSettle = Math.min(lowestAfterSettle, e.estimateBps());
                    }
                }
            }
            return lowestAfterSettle;
        }
    }

    private static long run(BandwidthEstimator e, double seconds, long linkBps, long sendCapBps, int lossEvery,
                            double settleSeconds) {
        return new Sim(e).run(seconds, linkBps, sendCapBps, lossEvery, settleSeconds);
    }

    @Test
    void anUncongestedLinkRampsUpAtEightPercentASecond() {
        BandwidthEstimator e = new BandwidthEstimator(300_000, 50_000, 10_000_000);
        long lowest = run(e, 30, 50_000_000, 2_000_000, 0, 0);
        assertThat(lowest).isGreaterThanOrEqualTo(300_000);
        // 300 kbit/s x 1.08^30 is about 3 Mbit/s: steady growth, no overuse on a clean link
        assertThat(e.estimateBps()).isBetween(2_500_000L, 3_500_000L);
        assertThat(e.signal()).isNotEqualTo(BandwidthEstimator.Signal.OVERUSE);
    }

    @Test
    void aCappedLinkHoldsTheEstimateNearTheCap() {
        BandwidthEstimator e = new BandwidthEstimator(300_000, 50_000, 10_000_000);
        long lowest = new Sim(e).run(50, 1_000_000, 5_000_000, 0, 40);
        // it probes above the cap and backs off, but stays around it
        assertThat(lowest).isBetween(400_000L, 1_000_000L);
        assertThat(e.estimateBps()).isBetween(400_000L, 1_500_000L);
    }

    @Test
    void aCapThatDropsPullsTheEstimateDown() {
        BandwidthEstimator e = new BandwidthEstimator(1_000_000, 50_000, 10_000_000);
        Sim sim = new Sim(e);
        sim.run(20, 50_000_000, 3_000_000, 0, 0);
        assertThat(e.estimateBps()).isGreaterThan(2_500_000);
        sim.run(15, 500_000, 3_000_000, 0, 0);
        assertThat(e.estimateBps()).isLessThan(800_000);
    }

    @Test
    void heavyLossLowersTheEstimateAndLightLossDoesNot() {
        BandwidthEstimator heavy = new BandwidthEstimator(2_000_000, 50_000, 10_000_000);
        run(heavy, 10, 50_000_000, 5_000_000, 5, 0); // 20 % lost
        assertThat(heavy.estimateBps()).isLessThan(500_000);
        BandwidthEstimator light = new BandwidthEstimator(500_000, 50_000, 10_000_000);
        run(light, 10, 50_000_000, 5_000_000, 100, 0); // 1 % lost
        assertThat(light.estimateBps()).as("grows, if slower than on a clean link").isGreaterThan(600_000);
        BandwidthEstimator middle = new BandwidthEstimator(1_000_000, 50_000, 1_000_000);
        run(middle, 10, 50_000_000, 5_000_000, 20, 0); // 5 % lost: held, at the configured maximum
        assertThat(middle.estimateBps()).isEqualTo(1_000_000);
    }

    @Test
    void staysWithinItsBounds() {
        BandwidthEstimator e = new BandwidthEstimator(200_000, 100_000, 400_000);
        run(e, 10, 20_000, 5_000_000, 2, 0); // a 20 kbit/s link losing half: far below the minimum
        assertThat(e.estimateBps()).isEqualTo(100_000);
        BandwidthEstimator f = new BandwidthEstimator(200_000, 100_000, 400_000);
        run(f, 20, 50_000_000, 50_000_000, 0, 0);
        assertThat(f.estimateBps()).isEqualTo(400_000);
        assertThatThrownBy(() -> new BandwidthEstimator(10, 100, 1000)).isInstanceOf(IllegalArgumentException.class);
    }
}
