package io.sfufleet.sfu.svc;

import io.sfufleet.sfu.rtp.DependencyDescriptor;
import io.sfufleet.sfu.rtp.DependencyDescriptor.Structure;
import io.sfufleet.sfu.rtp.Rtp;

/**
 * One receiver's view of a layered (SVC) VP9 or AV1 track: of the spatial and temporal layers the
 * publisher sends on one SSRC, forwards those of one decode target, chosen from the RTP
 * dependency descriptor alone (AV1 RTP specification, appendix A), so it works as well on
 * end-to-end encrypted media.
 *
 * <ul>
 *   <li>A frame is forwarded when its decode target indication for the forwarded target is
 *       anything but "not present": by the descriptor's definition, a target's frames refer only
 *       to frames of that target.</li>
 *   <li>A new target takes over at a frame that is a switch point for it (every keyframe is; in
 *       full SVC so are the base temporal frames); until then the current one keeps flowing, so
 *       the picture never stops.</li>
 *   <li>Sequence numbers are rewritten so the receiver sees no gap where frames were left out (it
 *       would ask for them, in vain); the marker bit, which ends a picture, is set on the last
 *       packet of the highest spatial layer forwarded.</li>
 *   <li>Remembers which input packet each recent output sequence number was, so NACKs can be
 *       answered from the track's cache.</li>
 * </ul>
 *
 * Packets without a descriptor (padding, a stream that never negotiated one) pass through. Media
 * loop only; no allocation per packet.
 */
public final class SvcForwarder {
    /** Decode target indications (appendix A.8.3). */
    public static final int NOT_PRESENT = 0;
    public static final int SWITCH = 2;
    /** Sequence numbers remembered, both ways: as deep as a track's retransmission cache. */
    static final int HISTORY = 512;
    /** How long a wanted target may wait for a switch point before the publisher is asked for a keyframe. */
    static final long SWITCH_WAIT_NANOS = 300_000_000L;

    private static final byte PENDING = 1;
    private static final byte FORWARDED = 2;
    private static final byte DROPPED = 3;

    /** How long a receiver stays on a lower target chosen by bandwidth before it may go up again. */
    static final long UP_HOLD_NANOS = 8_000_000_000L;

    private long lastStepDownNanos = Long.MIN_VALUE;
    /** The publisher's active decode targets as of the last descriptor. */
    private int lastActive = -1;
    private int targetSpatial = -1;
    private int targetTemporal = -1;
    /** The structure the decode target indexes refer to; a new one arrives with each keyframe. */
    private Structure structure;
    private int current = -1;
    private int currentSpatial = -1;
    private int currentTemporal = -1;
    private long waitingSinceNanos = -1;
    private long switches;

    private boolean started;
    private int highestIn;
    /** Input packets left out so far: the offset of every newer input sequence number. */
    private int dropped;
    private final int[] inSeqAt = new int[HISTORY];
    private final byte[] inState = new byte[HISTORY];
    private final int[] inOffset = new int[HISTORY];
    private final int[] outSeqAt = new int[HISTORY];
    private final int[] outInSeq = new int[HISTORY];
    private final boolean[] outMarker = new boolean[HISTORY];

    public SvcForwarder() {
        java.util.Arrays.fill(inSeqAt, -1);
        java.util.Arrays.fill(outSeqAt, -1);
    }

    /**
     * The layers the receiver should get: the decode target with the highest spatial layer up to
     * {@code spatial} and, in it, the highest temporal layer up to {@code temporal}; -1 for no limit.
     */
    public void setTarget(int spatial, int temporal, long nowNanos) {
        if (spatial != targetSpatial || temporal != targetTemporal) {
            targetSpatial = spatial;
            targetTemporal = temporal;
            waitingSinceNanos = nowNanos;
        }
    }

    /**
     * As {@link #setTarget}, from the periodic choice by bandwidth: after a step down, no step up
     * for {@link #UP_HOLD_NANOS}. A bandwidth estimate grows until it finds the link's limit, so
     * without the hold a receiver just under a layer's rate would go up, lose packets, come down
     * and ask for a keyframe again every few seconds.
     */
    public void choose(int spatial, int temporal, long nowNanos) {
        boolean unlimited = targetSpatial < 0 && targetTemporal < 0;
        if (rank(spatial, temporal) < rank(targetSpatial, targetTemporal)) {
            if (!unlimited) {
                lastStepDownNanos = nowNanos; // the first choice, from "all layers", is no step down
            }
        } else if (rank(spatial, temporal) > rank(targetSpatial, targetTemporal) && lastStepDownNanos != Long.MIN_VALUE
                && nowNanos - lastStepDownNanos < UP_HOLD_NANOS) {
            return;
        }
        setTarget(spatial, temporal, nowNanos);
    }

    /** Orders targets: -1 (no limit) above any layer. */
    private static int rank(int spatial, int temporal) {
        return (spatial < 0 ? 1000 : spatial) * 2000 + (temporal < 0 ? 1000 : temporal);
    }

    /** The spatial layer wanted, -1 for the highest. */
    public int targetSpatial() {
        return targetSpatial;
    }

    /** The spatial layer forwarded, -1 before the first switch point. */
    public int currentSpatial() {
        return currentSpatial;
    }

    /** The temporal layer forwarded (the highest of the decode target), -1 before the first switch point. */
    public int currentTemporal() {
        return currentTemporal;
    }

    public long switches() {
        return switches;
    }

    /**
     * Whether the publisher should be asked for a keyframe: nothing is forwarded yet, or the wanted
     * target has waited {@link #SWITCH_WAIT_NANOS} for a switch point (spatial layers predicted
     * from each other only at keyframes have no other).
     */
    public boolean needsKeyframe(long nowNanos) {
        if (structure == null) {
            return false;
        }
        if (current < 0) {
            return true;
        }
        int want = decodeTarget(structure, targetSpatial, targetTemporal, lastActive);
        return want >= 0 && want != current && waitingSinceNanos >= 0 && nowNanos - waitingSinceNanos > SWITCH_WAIT_NANOS;
    }

    /**
     * Decides on one packet; if it is to be forwarded, rewrites its sequence number (and marker
     * bit) in place and returns true.
     *
     * @param dd        the track's descriptor reader, holding this packet's descriptor if {@code described}
     * @param described the packet carried a descriptor that was read in full
     */
    public boolean forward(DependencyDescriptor dd, boolean described, byte[] b, int off, long nowNanos) {
        int inSeq = Rtp.sequence(b, off);
        if (!started) {
            started = true;
            highestIn = (inSeq - 1) & 0xFFFF;
        }
        int slot = inSeq % HISTORY;
        boolean newest = (short) (inSeq - highestIn) > 0;
        if (!newest && (inSeqAt[slot] != inSeq || inState[slot] != PENDING)) {
            return false; // a duplicate, or too old to place: it must not steer anything either
        }
        boolean send = true;
        boolean marker = Rtp.marker(b, off);
        if (described) {
            Structure s = dd.structure();
            int active = dd.activeDecodeTargets();
            lastActive = active;
            // Only the newest packets change the structure or the target: a late or repeated
            // start of an old keyframe must not reset a receiver that has moved on.
            if (newest && s != structure) {
                // A new structure (with a keyframe): its decode targets are numbered anew.
                structure = s;
                current = -1;
            }
            if (s == structure) {
                int want = decodeTarget(s, targetSpatial, targetTemporal, active);
                if (newest && dd.startOfFrame() && want >= 0 && want != current && dd.dti(want) == SWITCH) {
                    if (current >= 0) {
                        switches++;
                    }
                    current = want;
                    currentSpatial = s.decodeTargetSpatialIds()[want];
                    currentTemporal = s.decodeTargetTemporalIds()[want];
                    waitingSinceNanos = -1;
                } else if (want != current && waitingSinceNanos < 0) {
                    // the target went inactive at the publisher (active decode targets): move on
                    waitingSinceNanos = nowNanos;
                }
                send = current >= 0 && dd.dti(current) != NOT_PRESENT;
            } else {
                send = false; // a late packet of the structure before: its indications mean nothing now
            }
            // The picture ends with the top layer this receiver gets, not the publisher's.
            marker |= send && dd.endOfFrame() && dd.spatialId() == currentSpatial;
        }
        int outSeq = outputSequence(inSeq, slot, newest, send);
        if (outSeq < 0) {
            return false;
        }
        Rtp.writeUint16(b, off + 2, outSeq);
        setMarker(b, off, marker);
        remember(outSeq, inSeq, marker);
        return true;
    }

    private void remember(int outSeq, int inSeq, boolean marker) {
        int slot = outSeq % HISTORY;
        outSeqAt[slot] = outSeq;
        outInSeq[slot] = inSeq;
        outMarker[slot] = marker;
    }

    /**
     * The output sequence number of input {@code inSeq} (the newest so far, or late into a place
     * kept for it), or -1 if it is left out ({@code send} false). Newer packets go out numbered
     * past all that was left out before them; a late one fills the place kept for it.
     */
    private int outputSequence(int inSeq, int slot, boolean newest, boolean send) {
        int offset;
        if (newest) {
            int diff = (short) (inSeq - highestIn);
            // Places kept for the packets skipped over, should they come late (at most the last
            // HISTORY of them). Their output numbers are remembered as theirs, so a receiver's
            // NACK for one reaches the publisher, whose resend then fills the place.
            for (int k = Math.max(1, diff - HISTORY); k < diff; k++) {
                int q = (highestIn + k) & 0xFFFF;
                int qs = q % HISTORY;
                inSeqAt[qs] = q;
                inState[qs] = PENDING;
                inOffset[qs] = dropped;
                remember((q - dropped) & 0xFFFF, q, false);
            }
            highestIn = inSeq;
            inSeqAt[slot] = inSeq;
            if (!send) {
                dropped++;
                inState[slot] = DROPPED;
                return -1;
            }
            offset = dropped;
        } else {
            if (!send) {
                // its place stays empty: the receiver does not need it, and its NACKs go nowhere
                inState[slot] = DROPPED;
                int kept = (inSeq - inOffset[slot]) & 0xFFFF;
                outSeqAt[kept % HISTORY] = outSeqAt[kept % HISTORY] == kept ? -1 : outSeqAt[kept % HISTORY];
                return -1;
            }
            offset = inOffset[slot];
        }
        inState[slot] = FORWARDED;
        return (inSeq - offset) & 0xFFFF;
    }

    /** The input sequence number output sequence {@code outSeq} was, or -1 if no longer remembered. */
    public int inputSequenceOf(int outSeq) {
        int slot = outSeq % HISTORY;
        return outSeqAt[slot] == outSeq ? outInSeq[slot] : -1;
    }

    /** Rewrites a resend of {@link #inputSequenceOf}{@code (outSeq)} as it went out; false if no longer remembered. */
    public boolean rewriteResend(int outSeq, byte[] b, int off) {
        int slot = outSeq % HISTORY;
        if (outSeqAt[slot] != outSeq || Rtp.sequence(b, off) != outInSeq[slot]) {
            return false;
        }
        Rtp.writeUint16(b, off + 2, outSeq);
        setMarker(b, off, outMarker[slot]);
        return true;
    }

    /**
     * The decode target of {@code s} with the highest spatial id up to {@code spatial} and, among
     * those, the highest temporal id up to {@code temporal} (-1: no limit); the lowest one if none
     * is that low; -1 without targets.
     */
    public static int decodeTarget(Structure s, int spatial, int temporal) {
        return decodeTarget(s, spatial, temporal, -1);
    }

    /**
     * As {@link #decodeTarget(Structure, int, int)}, among the targets the publisher marks active
     * (bit d of {@code active}; a publisher that lowers its upload stops sending its top layers and
     * says so there). With none active, among all.
     */
    public static int decodeTarget(Structure s, int spatial, int temporal, int active) {
        int n = s.decodeTargets();
        if (n < 32 && (active & ((1 << n) - 1)) == 0) {
            active = -1;
        }
        int best = -1;
        int lowest = -1;
        int[] sid = s.decodeTargetSpatialIds();
        int[] tid = s.decodeTargetTemporalIds();
        for (int d = 0; d < n; d++) {
            if ((active >>> d & 1) == 0) {
                continue;
            }
            if (lowest < 0 || sid[d] < sid[lowest] || sid[d] == sid[lowest] && tid[d] < tid[lowest]) {
                lowest = d;
            }
            if (spatial >= 0 && sid[d] > spatial || temporal >= 0 && tid[d] > temporal) {
                continue;
            }
            if (best < 0 || sid[d] > sid[best] || sid[d] == sid[best] && tid[d] > tid[best]) {
                best = d;
            }
        }
        return best >= 0 ? best : lowest;
    }

    private static void setMarker(byte[] b, int off, boolean marker) {
        b[off + 1] = (byte) (marker ? b[off + 1] | 0x80 : b[off + 1] & 0x7F);
    }
}
