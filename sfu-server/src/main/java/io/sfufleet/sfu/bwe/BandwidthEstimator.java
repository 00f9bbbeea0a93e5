package io.sfufleet.sfu.bwe;

/**
 * A send-side estimate of what one receiver's downlink takes, from transport-wide CC feedback
 * (the shape of GCC, draft-ietf-rmcat-gcc-02, but written for this node):
 *
 * <ul>
 *   <li>Delay: packets sent within 5 ms form a group; for each group the one-way delay variation
 *       (arrival spacing minus send spacing) is accumulated and smoothed, and the slope of a
 *       least-squares line through the last 20 points is the trend. A queue that builds up at the
 *       bottleneck makes the trend positive before any packet is lost. The trend, scaled as GCC
 *       does, is compared with an adaptive threshold: overuse for 10 ms or more cuts the
 *       estimate to 85 % of the rate the receiver actually got; otherwise it grows by 8 % a
 *       second. The node does not probe with padding: moving a receiver up a simulcast layer is
 *       the probe, so the estimate may grow past what the receiver gets (GCC caps it at 1.5
 *       times that because its sender probes), up to 3 times that plus 100 kbit/s, slowly
 *       enough that an overuse pulls it back.</li>
 *   <li>Loss: under 2 % lost lets the loss bound grow 8 % a second, over 10 % cuts it by half the
 *       loss fraction at most every 300 ms (a feedback comes every 50 to 100 ms), in between holds.</li>
 * </ul>
 *
 * The estimate is the smaller of the two, kept in [min, max]. Times are microseconds in two
 * clocks: send times in the node's, arrival times in the receiver's (only differences are used).
 * Not thread-safe: one instance per receiver, on the media loop. Allocates nothing per packet.
 */
public final class BandwidthEstimator {
    static final long GROUP_MICROS = 5_000;
    static final int WINDOW = 20;
    static final double SMOOTHING = 0.9;
    static final double TREND_GAIN = 4.0;
    static final double OVERUSE_MICROS = 10_000;
    static final double INCREASE_PER_SECOND = 0.08;
    static final double DECREASE_FACTOR = 0.85;
    static final long ACKED_WINDOW_MICROS = 500_000;
    /** Growth stops at 3 x the acked rate + 100 kbit/s: room for the next layer up (about 2.5 x), no more. */
    static final double PROBE_FACTOR = 3.0;
    static final double PROBE_MARGIN_BPS = 100_000;

    private final long minBps;
    private final long maxBps;
    private double delayBasedBps;
    private double lossBasedBps;

    // current group
    private long groupFirstSend = Long.MIN_VALUE;
    private long groupLastSend;
    private long groupLastArrival;
    // previous complete group
    private long prevGroupSend = Long.MIN_VALUE;
    private long prevGroupArrival;
    private long firstArrival = Long.MIN_VALUE;
    private double accumulatedDelayMs;
    private double smoothedDelayMs;
    private final double[] xs = new double[WINDOW];
    private final double[] ys = new double[WINDOW];
    private int points;
    private int deltas;
    private double threshold = 12.5;
    private long lastThresholdUpdate = Long.MIN_VALUE;
    private double previousTrend;
    private long overuseStartMicros = Long.MIN_VALUE;
    private int overuseCount;
    private Signal signal = Signal.NORMAL;

    // acknowledged (received) bitrate over a sliding window of arrival times
    private final long[] ackedArrival = new long[1024];
    private final int[] ackedBytes = new int[1024];
    private int ackedHead;
    private int ackedSize;
    private long ackedSum;

    // loss over the current feedback
    private int feedbackReceived;
    private int feedbackLost;
    private long lastUpdateMicros = Long.MIN_VALUE;

    /** What the delay trend says about the path right now. */
    public enum Signal { NORMAL, OVERUSE, UNDERUSE }

    public BandwidthEstimator(long startBps, long minBps, long maxBps) {
        if (minBps <= 0 || maxBps < minBps || startBps < minBps || startBps > maxBps) {
            throw new IllegalArgumentException("need 0 < min <= start <= max, got " + minBps + " <= " + startBps
                    + " <= " + maxBps);
        }
        this.minBps = minBps;
        this.maxBps = maxBps;
        this.delayBasedBps = startBps;
        this.lossBasedBps = startBps;
    }

    /**
     * One packet's outcome from a feedback, in sequence order: its send time and size, and its
     * arrival time ({@link io.sfufleet.sfu.rtcp.TransportCc#NOT_RECEIVED} if lost).
     */
    public void onPacket(long sendMicros, long arrivalMicros, int bytes) {
        if (arrivalMicros == io.sfufleet.sfu.rtcp.TransportCc.NOT_RECEIVED) {
            feedbackLost++;
            return;
        }
        feedbackReceived++;
        addAcked(arrivalMicros, bytes);
        if (groupFirstSend == Long.MIN_VALUE) {
            startGroup(sendMicros, arrivalMicros);
            return;
        }
        if (sendMicros - groupFirstSend <= GROUP_MICROS && sendMicros >= groupFirstSend) {
            groupLastSend = Math.max(groupLastSend, sendMicros);
            groupLastArrival = Math.max(groupLastArrival, arrivalMicros);
            return;
        }
        if (sendMicros < groupFirstSend) {
            return; // reordered into an older group: its delay says nothing about the current queue
        }
        completeGroup();
        startGroup(sendMicros, arrivalMicros);
    }

    private void startGroup(long send, long arrival) {
        groupFirstSend = send;
        groupLastSend = send;
        groupLastArrival = arrival;
    }

    private void completeGroup() {
        if (prevGroupSend != Long.MIN_VALUE) {
            double sendDelta = (groupLastSend - prevGroupSend) / 1000.0;
            double arrivalDelta = (groupLastArrival - prevGroupArrival) / 1000.0;
            addDelayVariation(arrivalDelta - sendDelta, groupLastArrival);
        }
        prevGroupSend = groupLastSend;
        prevGroupArrival = groupLastArrival;
    }

    private void addDelayVariation(double variationMs, long arrivalMicros) {
        if (firstArrival == Long.MIN_VALUE) {
            firstArrival = arrivalMicros;
        }
        deltas = Math.min(deltas + 1, 60);
        accumulatedDelayMs += variationMs;
        smoothedDelayMs = SMOOTHING * smoothedDelayMs + (1 - SMOOTHING) * accumulatedDelayMs;
        int slot = points % WINDOW;
        xs[slot] = (arrivalMicros - firstArrival) / 1000.0;
        ys[slot] = smoothedDelayMs;
        points++;
        if (points < WINDOW) {
            return;
        }
        double trend = slope();
        detect(trend * Math.min(deltas, 60) * TREND_GAIN, arrivalMicros);
    }

    private double slope() {
        double mx = 0;
        double my = 0;
        for (int i = 0; i < WINDOW; i++) {
            mx += xs[i];
            my += ys[i];
        }
        mx /= WINDOW;
        my /= WINDOW;
        double num = 0;
        double den = 0;
        for (int i = 0; i < WINDOW; i++) {
            num += (xs[i] - mx) * (ys[i] - my);
            den += (xs[i] - mx) * (xs[i] - mx);
        }
        return den == 0 ? 0 : num / den;
    }

    /** GCC's overuse detector with its adaptive threshold (section 5.4). */
    private void detect(double modifiedTrend, long nowMicros) {
        if (modifiedTrend > threshold) {
            if (overuseStartMicros == Long.MIN_VALUE) {
                overuseStartMicros = nowMicros;
                overuseCount = 0;
            }
            overuseCount++;
            if (nowMicros - overuseStartMicros >= OVERUSE_MICROS && overuseCount > 1
                    && modifiedTrend >= previousTrend) {
                signal = Signal.OVERUSE;
                overuseStartMicros = Long.MIN_VALUE;
            }
        } else if (modifiedTrend < -threshold) {
            overuseStartMicros = Long.MIN_VALUE;
            signal = Signal.UNDERUSE;
        } else {
            overuseStartMicros = Long.MIN_VALUE;
            signal = Signal.NORMAL;
        }
        previousTrend = modifiedTrend;
        // The threshold follows the trend slowly, so a path with steady jitter is not read as
        // overuse forever, but a sudden jump (more than 15 over it) does not move it.
        if (lastThresholdUpdate == Long.MIN_VALUE) {
            lastThresholdUpdate = nowMicros;
        }
        double abs = Math.abs(modifiedTrend);
        if (abs <= threshold + 15) {
            double k = abs < threshold ? 0.039 : 0.0087;
            double dtMs = Math.min(100, (nowMicros - lastThresholdUpdate) / 1000.0);
            threshold = Math.max(6, Math.min(600, threshold + k * (abs - threshold) * dtMs));
        }
        lastThresholdUpdate = nowMicros;
    }

    private void addAcked(long arrival, int bytes) {
        while (ackedSize > 0 && (ackedSize == ackedArrival.length
                || arrival - ackedArrival[ackedHead] > ACKED_WINDOW_MICROS)) {
            ackedSum -= ackedBytes[ackedHead];
            ackedHead = (ackedHead + 1) % ackedArrival.length;
            ackedSize--;
        }
        int slot = (ackedHead + ackedSize) % ackedArrival.length;
        ackedArrival[slot] = arrival;
        ackedBytes[slot] = bytes;
        ackedSize++;
        ackedSum += bytes;
    }

    /** What the receiver got over the last half second, bits per second; 0 while unknown. */
    public long ackedBps() {
        if (ackedSize < 2) {
            return 0;
        }
        long first = ackedArrival[ackedHead];
        long last = ackedArrival[(ackedHead + ackedSize - 1) % ackedArrival.length];
        long span = Math.max(last - first, 50_000); // a burst in 1 ms is no Gbit/s link
        return ackedSum * 8_000_000L / span;
    }

    /** Call after the packets of one feedback message: updates the estimate. */
    public void onFeedbackEnd(long nowMicros) {
        double seconds = lastUpdateMicros == Long.MIN_VALUE ? 0
                : Math.min(1.0, (nowMicros - lastUpdateMicros) / 1e6);
        lastUpdateMicros = nowMicros;
        long acked = ackedBps();
        switch (signal) {
            case OVERUSE -> {
                if (acked > 0) {
                    delayBasedBps = Math.min(delayBasedBps, DECREASE_FACTOR * acked);
                } else {
                    delayBasedBps *= DECREASE_FACTOR;
                }
                signal = Signal.NORMAL; // one cut per detection; the next overuse cuts again
                holdUntilNormal = true;
            }
            case UNDERUSE -> holdUntilNormal = false; // queues drain: hold the rate
            case NORMAL -> {
                if (holdUntilNormal) {
                    holdUntilNormal = false;
                } else {
                    // Not past a bit more than the next simulcast layer up needs: without that bound
                    // a receiver that gets little would see its estimate run away unchecked.
                    double bound = acked > 0 ? PROBE_FACTOR * acked + PROBE_MARGIN_BPS : Double.MAX_VALUE;
                    if (delayBasedBps < bound) {
                        delayBasedBps = Math.min(bound, delayBasedBps * Math.pow(1 + INCREASE_PER_SECOND, seconds));
                    }
                }
            }
        }
        int total = feedbackReceived + feedbackLost;
        if (total > 0) {
            double loss = (double) feedbackLost / total;
            if (loss < 0.02) {
                double bound = acked > 0 ? PROBE_FACTOR * acked + PROBE_MARGIN_BPS : Double.MAX_VALUE;
                if (lossBasedBps < bound) {
                    lossBasedBps = Math.min(bound, lossBasedBps * Math.pow(1 + INCREASE_PER_SECOND, seconds));
                }
            } else if (loss > 0.10 && (lastLossDecrease == Long.MIN_VALUE || nowMicros - lastLossDecrease >= 300_000)) {
                lossBasedBps *= 1 - 0.5 * loss;
                lastLossDecrease = nowMicros;
            }
        }
        feedbackReceived = 0;
        feedbackLost = 0;
        delayBasedBps = clamp(delayBasedBps);
        lossBasedBps = clamp(lossBasedBps);
    }

    private boolean holdUntilNormal;
    private long lastLossDecrease = Long.MIN_VALUE;

    private double clamp(double bps) {
        return Math.max(minBps, Math.min(maxBps, bps));
    }

    /** The estimate in bits per second. */
    public long estimateBps() {
        return (long) Math.min(delayBasedBps, lossBasedBps);
    }

    /** The delay detector's last verdict (for tests and diagnostics). */
    public Signal signal() {
        return signal;
    }
}
