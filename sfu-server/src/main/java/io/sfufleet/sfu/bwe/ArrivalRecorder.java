package io.sfufleet.sfu.bwe;

import io.sfufleet.sfu.rtcp.TransportCc;

/**
 * The publish side of transport-wide CC: records when each transport-wide sequence number from
 * a publisher arrived, and writes the feedback the publisher's send-side estimator (Chrome's
 * GoogCC) needs to ramp up its uplink, so that it can afford to send every simulcast layer.
 * Feedback covers the sequence numbers since the last one up to the highest seen; packets that
 * arrive after their feedback went are not reported again (libwebrtc does the same).
 * Single-threaded (the media loop); allocates nothing after construction.
 */
public final class ArrivalRecorder {
    /** Sequence numbers one feedback may cover; more in one interval than this and the oldest are left out. */
    static final int WINDOW = 1024;
    private final long[] arrivals = new long[WINDOW];
    private final long[] scratch = new long[WINDOW];
    /** Unwrapped sequence number the next feedback starts at; -1 before the first packet. */
    private long base = -1;
    private long highest = -1;
    private int feedbackCount;
    private long malformed;

    public ArrivalRecorder() {
        java.util.Arrays.fill(arrivals, TransportCc.NOT_RECEIVED);
    }

    /** A packet with transport-wide sequence number {@code seq} (16 bits) arrived at {@code nowMicros}. */
    public void onPacket(int seq, long nowMicros) {
        long unwrapped;
        if (highest < 0) {
            unwrapped = seq;
            base = seq;
        } else {
            int diff = (short) (seq - (int) (highest & 0xFFFF));
            unwrapped = highest + diff;
        }
        if (unwrapped < base) {
            return; // already reported as lost, or older than any feedback could still cover
        }
        if (unwrapped - base >= WINDOW) {
            // A gap too long for one feedback: start over from this window's far end. The skipped
            // ones go unreported, which GoogCC treats as it does any unreported packet.
            long newBase = unwrapped - WINDOW + 1;
            for (long s = base; s < Math.min(newBase, highest + 1); s++) {
                arrivals[(int) (s % WINDOW)] = TransportCc.NOT_RECEIVED;
            }
            base = newBase;
        }
        arrivals[(int) (unwrapped % WINDOW)] = nowMicros;
        highest = Math.max(highest, unwrapped);
    }

    /** Whether there is something to report. */
    public boolean hasPending() {
        return highest >= base && base >= 0;
    }

    /**
     * Writes one feedback packet at {@code pos} for what arrived since the last one; returns its
     * length, or 0 if nothing is pending. Starts at the first received packet after the base (the
     * format needs a received first packet) and ends early where a delta needs more than 16 bits,
     * leaving the rest for the next call.
     */
    public int writeFeedback(byte[] b, int pos, int senderSsrc, int mediaSsrc) {
        while (hasPending() && arrivals[(int) (base % WINDOW)] == TransportCc.NOT_RECEIVED) {
            base++; // leading losses: the next feedback's base simply skips them, as libwebrtc does
        }
        if (!hasPending()) {
            return 0;
        }
        int count = (int) (highest - base + 1);
        for (int i = 0; i < count; i++) {
            scratch[i] = arrivals[(int) ((base + i) % WINDOW)];
        }
        int len = -1;
        while (count > 0) {
            len = TransportCc.write(b, pos, senderSsrc, mediaSsrc, (int) (base & 0xFFFF), feedbackCount, scratch, count);
            if (len > 0) {
                break;
            }
            count = Math.max(1, count / 2); // a delta over 8 s: report fewer this time
            if (count == 1 && TransportCc.write(b, pos, senderSsrc, mediaSsrc, (int) (base & 0xFFFF),
                    feedbackCount, scratch, 1) < 0) {
                malformed++;
                return 0;
            }
        }
        for (int i = 0; i < count; i++) {
            arrivals[(int) ((base + i) % WINDOW)] = TransportCc.NOT_RECEIVED;
        }
        base += count;
        feedbackCount = (feedbackCount + 1) & 0xFF;
        return len;
    }

    /** Feedback that could not be written (for diagnostics; should stay 0). */
    public long unwritable() {
        return malformed;
    }
}
