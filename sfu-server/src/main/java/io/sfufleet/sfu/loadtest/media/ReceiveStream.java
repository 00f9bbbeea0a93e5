package io.sfufleet.sfu.loadtest.media;

import io.sfufleet.sfu.rtp.Rtp;

/**
 * What one received SSRC delivered: packets and bytes, the RFC 3550 appendix A.1 extended highest
 * sequence number and from it the packets expected and lost, duplicates and late (reordered)
 * packets, and the forwarding delay of each packet that carries a {@link SendTimestamp}.
 *
 * <p>One thread (the connection's receive loop) calls {@link #onPacket}; counters are volatile so
 * that any thread can read them.
 */
public final class ReceiveStream {
    private final int ssrc;
    private final DelayHistogram delays;
    private boolean started;
    private int baseSequence;
    private int maxSequence;
    private long cycles;
    private volatile long packets;
    private volatile long bytes;
    private volatile long duplicates;
    private volatile long reordered;
    private volatile long extendedHighest;
    private volatile long lastDelayMicros = -1;
    private volatile long firstPacketNanos;

    /** @param delays where this stream's delays are recorded (shared by the streams of one receiver) */
    public ReceiveStream(int ssrc, DelayHistogram delays) {
        this.ssrc = ssrc;
        this.delays = delays;
    }

    public int ssrc() {
        return ssrc;
    }

    /** One decrypted RTP packet {@code b[off, off + len)} that arrived at {@code nowNanos}. */
    public void onPacket(byte[] b, int off, int len, long nowNanos) {
        int seq = Rtp.sequence(b, off);
        if (!started) {
            started = true;
            baseSequence = seq;
            maxSequence = seq;
            extendedHighest = seq;
            firstPacketNanos = nowNanos;
        } else {
            int delta = (seq - maxSequence) & 0xFFFF;
            if (delta == 0) {
                duplicates++;
                return;
            } else if (delta < 0x8000) {
                if (seq < maxSequence) {
                    cycles += 0x10000;
                }
                maxSequence = seq;
                extendedHighest = cycles + seq;
            } else {
                reordered++;
            }
        }
        packets++;
        bytes += len;
        int header = Rtp.headerLength(b, off, len);
        if (header > 0) {
            long sent = SendTimestamp.read(b, off + header, off + len);
            if (sent != Long.MIN_VALUE) {
                long micros = (nowNanos - sent) / 1_000;
                lastDelayMicros = micros;
                delays.record(micros);
            }
        }
    }

    public long packets() {
        return packets;
    }

    public long bytes() {
        return bytes;
    }

    public long duplicates() {
        return duplicates;
    }

    public long reordered() {
        return reordered;
    }

    /** RFC 3550: extended highest sequence number minus the first, plus one; 0 before any packet. */
    public long expected() {
        return packets == 0 ? 0 : extendedHighest - baseSequence + 1;
    }

    /** Expected and not received, never below 0 (a late duplicate could make it so). */
    public long lost() {
        return Math.max(0, expected() - packets);
    }

    /** The extended highest sequence number received (RFC 3550 section 6.4.1). */
    public long extendedHighestSequence() {
        return extendedHighest;
    }

    /** The delay of the last packet with a send timestamp, in microseconds; -1 before one. */
    public long lastDelayMicros() {
        return lastDelayMicros;
    }

    public long firstPacketNanos() {
        return firstPacketNanos;
    }
}
