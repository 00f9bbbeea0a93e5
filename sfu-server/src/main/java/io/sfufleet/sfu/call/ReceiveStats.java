package io.sfufleet.sfu.call;

/**
 * What the node observed of one incoming RTP stream, kept as RFC 3550 appendix A.1/A.8 describe,
 * so the node's receiver reports tell the publisher the truth about loss and jitter.
 */
final class ReceiveStats {
    private final int clockRate;
    private boolean started;
    private int baseSeq;
    private int maxSeq;
    private int cycles;
    private long received;
    private long bytes;
    private long expectedPrior;
    private long receivedPrior;
    private double jitter;
    private long lastTransit;
    private boolean haveTransit;
    private long lastSrNtpMiddle;
    private long lastSrArrivalNanos;

    ReceiveStats(int clockRate) {
        this.clockRate = clockRate;
    }

    void onPacket(int seq, long rtpTimestamp, int length, long nowNanos) {
        received++;
        bytes += length;
        if (!started) {
            started = true;
            baseSeq = seq;
            maxSeq = seq;
        } else {
            int delta = (seq - maxSeq) & 0xFFFF;
            if (delta < 0x8000 && delta != 0) {
                if (seq < maxSeq) {
                    cycles += 0x10000;
                }
                maxSeq = seq;
            }
        }
        long arrival = nowNanos / 1000 * clockRate / 1_000_000L;
        long transit = arrival - rtpTimestamp;
        if (haveTransit) {
            long d = Math.abs(transit - lastTransit);
            jitter += (d - jitter) / 16.0;
        }
        lastTransit = transit;
        haveTransit = true;
    }

    void onSenderReport(long ntpMiddle32, long nowNanos) {
        lastSrNtpMiddle = ntpMiddle32;
        lastSrArrivalNanos = nowNanos;
    }

    boolean started() {
        return started;
    }

    long packets() {
        return received;
    }

    long bytes() {
        return bytes;
    }

    long extendedHighestSeq() {
        return (cycles + maxSeq) & 0xFFFFFFFFL;
    }

    long cumulativeLost() {
        long expected = cycles + maxSeq - baseSeq + 1;
        return Math.max(0, expected - received);
    }

    long jitter() {
        return (long) jitter;
    }

    double jitterMillis() {
        return jitter * 1000.0 / clockRate;
    }

    /** Fraction lost since the last call, in 1/256 units, and moves the interval on. */
    int fractionLostAndReset() {
        long expected = cycles + maxSeq - baseSeq + 1;
        long expectedInterval = expected - expectedPrior;
        long receivedInterval = received - receivedPrior;
        expectedPrior = expected;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(255, (lostInterval << 8) / expectedInterval);
    }

    long lastSrNtpMiddle() {
        return lastSrNtpMiddle;
    }

    /** Delay since the last SR in 1/65536 s, 0 if none came (RFC 3550 DLSR). */
    long delaySinceLastSr(long nowNanos) {
        if (lastSrArrivalNanos == 0) {
            return 0;
        }
        return (nowNanos - lastSrArrivalNanos) * 65536L / 1_000_000_000L;
    }
}
