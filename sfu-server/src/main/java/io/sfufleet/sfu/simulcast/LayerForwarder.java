package io.sfufleet.sfu.simulcast;

import io.sfufleet.sfu.rtp.Rtp;

/**
 * One receiver's view of a simulcast track: of the layers the publisher sends (each its own
 * SSRC, sequence and timestamp space), forwards exactly one under the receiver's single outgoing
 * SSRC, rewriting sequence numbers and timestamps so the receiver sees one continuous stream.
 * A requested switch happens only at a keyframe of the target layer; until then the current
 * layer keeps flowing, so the picture never stops. Remembers which input packet each recent
 * output sequence number was, so the receiver's NACKs can be answered from the right layer.
 * Media loop only; no allocation per packet.
 */
public final class LayerForwarder {
    /** Output sequence numbers remembered for NACKs: as deep as a track's retransmission cache. */
    static final int HISTORY = 512;

    private final int outSsrc;
    private final int clockRate;
    private int current = -1;
    private int target = -1;
    private int seqOffset;
    private long tsOffset;
    private int lastOutSeq = -1;
    private long lastOutTs;
    private long lastOutNanos;
    /** Highest input sequence of the current layer forwarded (for reordering across a switch). */
    private int switchInSeq;
    private final int[] historyOutSeq = new int[HISTORY];
    private final int[] historyLayer = new int[HISTORY];
    private final int[] historyInSeq = new int[HISTORY];
    /** Which switch each remembered packet went out under: offsets change at every switch. */
    private final int[] historyEpoch = new int[HISTORY];
    private int epoch;
    private long switches;

    public LayerForwarder(int outSsrc, int clockRate) {
        this.outSsrc = outSsrc;
        this.clockRate = clockRate;
        java.util.Arrays.fill(historyOutSeq, -1);
    }

    /** The layer the receiver should get; takes effect at that layer's next keyframe. */
    public void setTarget(int layer) {
        target = layer;
    }

    public int target() {
        return target;
    }

    /** The layer being forwarded, -1 before the first keyframe. */
    public int current() {
        return current;
    }

    /** Whether the forwarder waits for a keyframe of the target layer (the caller asks the publisher for one). */
    public boolean needsKeyframe() {
        return target >= 0 && target != current;
    }

    public long switches() {
        return switches;
    }

    /**
     * Decides on one packet of layer {@code layer}; if it is to be forwarded, rewrites its SSRC,
     * sequence number and timestamp in place and returns true. {@code keyframe}: the packet starts
     * a keyframe ({@link Vp8Keyframe}).
     */
    public boolean forward(int layer, byte[] b, int off, int len, boolean keyframe, long nowNanos) {
        int inSeq = Rtp.sequence(b, off);
        long inTs = Rtp.timestamp(b, off);
        if (layer != current) {
            if (layer != target || !keyframe) {
                return false;
            }
            // Switch: continue the output sequence right after the last one sent, and the
            // timestamp by the wall time since then, so the jitter buffer sees no jump.
            if (lastOutSeq < 0) {
                seqOffset = 0;
                tsOffset = 0;
            } else {
                long elapsed = Math.max(1, ((nowNanos - lastOutNanos) * clockRate + 500_000_000L) / 1_000_000_000L);
                seqOffset = (lastOutSeq + 1 - inSeq) & 0xFFFF;
                tsOffset = (lastOutTs + elapsed - inTs) & 0xFFFFFFFFL;
            }
            if (current >= 0) {
                switches++;
            }
            epoch++;
            current = layer;
            switchInSeq = inSeq;
        } else if ((short) (inSeq - switchInSeq) < 0) {
            return false; // older than the switch: its output number would collide with the old layer's
        }
        int outSeq = (inSeq + seqOffset) & 0xFFFF;
        long outTs = (inTs + tsOffset) & 0xFFFFFFFFL;
        Rtp.writeUint16(b, off + 2, outSeq);
        Rtp.writeUint32(b, off + 4, outTs);
        Rtp.setSsrc(b, off, outSsrc);
        if (lastOutSeq < 0 || (short) (outSeq - lastOutSeq) > 0) {
            lastOutSeq = outSeq;
            lastOutTs = outTs;
            lastOutNanos = nowNanos;
        }
        int slot = outSeq % HISTORY;
        historyOutSeq[slot] = outSeq;
        historyLayer[slot] = layer;
        historyInSeq[slot] = inSeq;
        historyEpoch[slot] = epoch;
        return true;
    }

    /** The layer of output sequence {@code outSeq} if still remembered, else -1. */
    public int layerOf(int outSeq) {
        int slot = outSeq % HISTORY;
        return historyOutSeq[slot] == outSeq ? historyLayer[slot] : -1;
    }

    /** The input sequence (in {@link #layerOf}'s layer) output sequence {@code outSeq} was. */
    public int inputSequenceOf(int outSeq) {
        return historyInSeq[outSeq % HISTORY];
    }

    /**
     * Rewrites a resend of input packet (layer, input sequence) as it went out: the offsets in
     * force now apply only to packets sent since the last switch; older ones are not resent
     * (returns false): the receiver has moved on to the new layer's keyframe anyway.
     */
    public boolean rewriteResend(int outSeq, byte[] b, int off) {
        int slot = outSeq % HISTORY;
        if (historyOutSeq[slot] != outSeq || historyEpoch[slot] != epoch) {
            return false;
        }
        Rtp.writeUint16(b, off + 2, outSeq);
        Rtp.writeUint32(b, off + 4, (Rtp.timestamp(b, off) + tsOffset) & 0xFFFFFFFFL);
        Rtp.setSsrc(b, off, outSsrc);
        return true;
    }
}
