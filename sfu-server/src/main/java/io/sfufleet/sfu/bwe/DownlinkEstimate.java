package io.sfufleet.sfu.bwe;

import io.sfufleet.sfu.rtcp.TransportCc;
import io.sfufleet.sfu.rtp.TransportSequence;

/**
 * The subscribe side of transport-wide CC for one receiver: numbers every packet the node sends
 * it (media and resends alike) with the node's own transport-wide sequence, remembers when each
 * went and how big it was, and turns the receiver's transport-cc feedback into a
 * {@link BandwidthEstimator} estimate of its downlink. Media loop only; no allocation per packet.
 */
public final class DownlinkEstimate {
    /** Sent packets remembered: at 2000 packets/s, two seconds, longer than feedback ever lags. */
    static final int HISTORY = 4096;
    /** What a new receiver is assumed to take until feedback says otherwise; and the bounds. */
    public static final long START_BPS = 1_000_000;
    public static final long MIN_BPS = 50_000;
    public static final long MAX_BPS = 20_000_000;

    private final int[] sequenceAt = new int[HISTORY];
    private final long[] sentMicros = new long[HISTORY];
    private final int[] sizeAt = new int[HISTORY];
    private final BandwidthEstimator estimator;
    private final TransportCc.Feedback feedback = new TransportCc.Feedback(HISTORY);
    private int nextSequence;
    private long feedbackPackets;
    private long malformedFeedback;

    public DownlinkEstimate() {
        this(new BandwidthEstimator(START_BPS, MIN_BPS, MAX_BPS));
    }

    /** Holds an element kept across stamping while the payload moves. */
    private final byte[] scratch = new byte[256];

    DownlinkEstimate(BandwidthEstimator estimator) {
        this.estimator = estimator;
        java.util.Arrays.fill(sequenceAt, -1);
    }

    /**
     * Puts the next transport-wide sequence number into the packet {@code b[off, off+len)} as
     * extension {@code extensionId} and remembers it as sent now. Returns the packet's new length,
     * or -1 (packet left to be sent unstamped, as the caller decides) if it did not fit.
     */
    public int stamp(byte[] b, int off, int len, int capacity, int extensionId, long nowMicros) {
        return stamp(b, off, len, capacity, extensionId, nowMicros, -1, -1);
    }

    /** As above, keeping the packet's element {@code keepId} as {@code keepAsId} ({@link TransportSequence}). */
    public int stamp(byte[] b, int off, int len, int capacity, int extensionId, long nowMicros, int keepId,
                     int keepAsId) {
        int seq = nextSequence;
        int newLength = TransportSequence.stamp(b, off, len, capacity, extensionId, seq, keepId, keepAsId, scratch);
        if (newLength < 0) {
            return -1;
        }
        nextSequence = (seq + 1) & 0xFFFF;
        int slot = seq % HISTORY;
        sequenceAt[slot] = seq;
        sentMicros[slot] = nowMicros;
        sizeAt[slot] = newLength;
        return newLength;
    }

    /**
     * The receiver's transport-cc feedback packet at {@code pos}. Returns false (counted, nothing
     * else changes) if it is malformed. Packets it names that the node no longer remembers (or
     * never sent) are skipped.
     */
    public boolean onFeedback(byte[] b, int pos, int len, long nowMicros) {
        if (!TransportCc.parse(b, pos, len, feedback)) {
            malformedFeedback++;
            return false;
        }
        feedbackPackets++;
        for (int i = 0; i < feedback.count; i++) {
            int seq = feedback.sequence(i);
            int slot = seq % HISTORY;
            if (sequenceAt[slot] != seq) {
                continue;
            }
            estimator.onPacket(sentMicros[slot], feedback.arrivalMicros[i], sizeAt[slot]);
            if (feedback.received(i)) {
                sequenceAt[slot] = -1; // reported once; a later feedback repeating it is not new information
            }
        }
        estimator.onFeedbackEnd(nowMicros);
        return true;
    }

    public long estimateBps() {
        return estimator.estimateBps();
    }

    public long feedbackPackets() {
        return feedbackPackets;
    }

    public long malformedFeedback() {
        return malformedFeedback;
    }
}
