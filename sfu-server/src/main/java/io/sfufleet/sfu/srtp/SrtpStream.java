package io.sfufleet.sfu.srtp;

/**
 * Per-SSRC state of one direction: the highest packet index seen (RFC 3711 section 3.3.1: ROC and
 * s_l, or the SRTCP index) with a 64-packet replay window behind it (section 3.3.2), and for
 * sent SRTCP the next index. Small and preallocated per stream; no allocation per packet.
 */
final class SrtpStream {
    /** RFC 3711 section 3.3.2 asks for at least 64. */
    static final int REPLAY_WINDOW = 64;

    private boolean started;
    private long highest;
    /** Bit i set: the index {@code highest - i} was accepted. */
    private long window;
    private int nextRtcpIndex;

    /**
     * The packet index of an RTP sequence number (RFC 3711 Appendix A): the ROC guess that puts
     * it closest to the highest index seen. Negative for a packet from before the first ROC.
     */
    long rtpIndex(int seq) {
        if (!started) {
            return seq;
        }
        long roc = highest >>> 16;
        int sl = (int) highest & 0xFFFF;
        long v;
        if (sl < 0x8000) {
            v = seq - sl > 0x8000 ? roc - 1 : roc;
        } else {
            v = sl - 0x8000 > seq ? roc + 1 : roc;
        }
        return v << 16 | seq;
    }

    /** Whether {@code index} was accepted before or lies behind the window. */
    boolean replayed(long index) {
        if (index < 0) {
            return true;
        }
        if (!started) {
            return false;
        }
        long behind = highest - index;
        if (behind < 0) {
            return false;
        }
        return behind >= REPLAY_WINDOW || (window >>> behind & 1) != 0;
    }

    /** Records an authenticated (or sent) index. */
    void accept(long index) {
        if (!started) {
            started = true;
            highest = index;
            window = 1;
            return;
        }
        long ahead = index - highest;
        if (ahead > 0) {
            window = ahead < REPLAY_WINDOW ? window << ahead | 1 : 1;
            highest = index;
        } else if (-ahead < REPLAY_WINDOW) {
            window |= 1L << -ahead;
        }
    }

    /** The SRTCP index for the next packet sent, 31 bits, starting at 0 (as jitsi-srtp does). */
    int nextRtcpIndex() {
        int index = nextRtcpIndex;
        nextRtcpIndex = (index + 1) & 0x7FFF_FFFF;
        return index;
    }

    /** Forgets everything (a receive stream that failed authentication is reused for the next SSRC). */
    void reset() {
        started = false;
        highest = 0;
        window = 0;
        nextRtcpIndex = 0;
    }
}
