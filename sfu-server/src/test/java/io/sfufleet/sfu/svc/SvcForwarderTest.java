package io.sfufleet.sfu.svc;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.DependencyDescriptor;
import io.sfufleet.sfu.rtp.DependencyDescriptorTest;
import io.sfufleet.sfu.rtp.Rtp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Layer choice from the dependency descriptor, on a two-spatial-layer stream (the L2T1 structure
 * of {@link DependencyDescriptorTest}): template 0 is a spatial layer 0 frame, a switch point for
 * both decode targets; template 1 a spatial layer 1 frame, absent from target 0.
 */
class SvcForwarderTest {
    private static final long MS = 1_000_000L;

    private final DependencyDescriptor dd = new DependencyDescriptor();
    private final SvcForwarder f = new SvcForwarder();
    private int frameNumber = 7;

    @BeforeEach
    void structure() {
        byte[] key = DependencyDescriptorTest.L2T1.clone();
        key[0] = (byte) 0xC0; // the same structure, on the keyframe's spatial layer 0 frame (template 0)
        assertThat(dd.read(key, 0, key.length)).isEqualTo(DependencyDescriptor.Status.OK);
    }

    /** Reads a one-packet frame's descriptor of {@code template}, then offers packet {@code seq} to the forwarder. */
    private byte[] frame(int template, int seq, boolean marker, long now, List<Integer> out) {
        if (template >= 0) {
            byte[] d = {(byte) (0xC0 | template), (byte) (frameNumber >> 8), (byte) frameNumber++};
            assertThat(dd.read(d, 0, 3)).isEqualTo(DependencyDescriptor.Status.OK);
        }
        byte[] p = packet(seq, marker);
        if (f.forward(dd, template >= 0, p, 0, now)) {
            out.add(Rtp.sequence(p, 0));
            return p;
        }
        return null;
    }

    private static byte[] packet(int seq, boolean marker) {
        byte[] p = new byte[20];
        p[0] = (byte) 0x80;
        p[1] = (byte) (marker ? 0x80 | 98 : 98);
        Rtp.writeUint16(p, 2, seq);
        return p;
    }

    @Test
    void theLowerTargetGetsSpatialLayerZeroWithoutGapsAndWithItsOwnMarker() {
        f.setTarget(0, -1, 0);
        List<Integer> out = new ArrayList<>();
        // the keyframe's layer 0 frame (already read in setUp) is a switch point: forwarding starts
        byte[] first = packet(100, false);
        assertThat(f.forward(dd, true, first, 0, 0)).isTrue();
        assertThat(Rtp.marker(first, 0)).as("layer 0 ends the picture for this receiver").isTrue();
        assertThat(frame(1, 101, true, 0, out)).isNull();
        byte[] s0 = frame(0, 102, false, 0, out);
        assertThat(Rtp.sequence(s0, 0)).isEqualTo(101);
        assertThat(Rtp.marker(s0, 0)).isTrue();
        assertThat(frame(1, 103, true, 0, out)).isNull();
        frame(0, 104, false, 0, out);
        assertThat(out).containsExactly(101, 102);
        assertThat(f.currentSpatial()).isZero();
        assertThat(f.currentTemporal()).isZero();
        // NACKs name output numbers: 101 was input 102, and is resent as it went out
        assertThat(f.inputSequenceOf(101)).isEqualTo(102);
        byte[] resend = packet(102, false);
        assertThat(f.rewriteResend(101, resend, 0)).isTrue();
        assertThat(Rtp.sequence(resend, 0)).isEqualTo(101);
        assertThat(Rtp.marker(resend, 0)).isTrue();
        assertThat(f.inputSequenceOf(103)).as("never sent").isEqualTo(-1);
        assertThat(f.rewriteResend(101, packet(104, false), 0)).as("not the packet that went out as 101").isFalse();
    }

    @Test
    void theHighestTargetGetsEverythingUnchanged() {
        List<Integer> out = new ArrayList<>();
        byte[] first = packet(100, false);
        assertThat(f.forward(dd, true, first, 0, 0)).isTrue();
        assertThat(Rtp.marker(first, 0)).as("layer 1 follows in this picture").isFalse();
        byte[] s1 = frame(1, 101, true, 0, out);
        assertThat(Rtp.marker(s1, 0)).isTrue();
        frame(0, 102, false, 0, out);
        frame(1, 103, true, 0, out);
        assertThat(out).containsExactly(101, 102, 103);
        assertThat(f.currentSpatial()).isEqualTo(1);
    }

    @Test
    void aNewTargetTakesOverAtTheNextSwitchPointAndNumbersStayContinuous() {
        f.setTarget(0, -1, 0);
        List<Integer> out = new ArrayList<>();
        f.forward(dd, true, packet(100, false), 0, 0);
        frame(1, 101, true, 0, out);                // left out
        f.setTarget(1, -1, 10 * MS);
        // In this structure a layer 1 frame is a switch point for target 1 (it is predicted from
        // the layer 0 frame of its picture, which target 0 got): target 1 from here.
        assertThat(frame(1, 103, true, 10 * MS, out)).isNotNull();
        assertThat(frame(0, 104, false, 20 * MS, out)).isNotNull();
        assertThat(frame(1, 105, true, 20 * MS, out)).isNotNull();
        assertThat(f.currentSpatial()).isEqualTo(1);
        assertThat(f.switches()).isEqualTo(1);
        // 102 never came: its place (101) is kept for it, the rest follow without gaps
        assertThat(out).containsExactly(102, 103, 104);
        f.setTarget(0, -1, 30 * MS);
        assertThat(frame(0, 106, false, 30 * MS, out)).isNotNull();
        assertThat(frame(1, 107, true, 30 * MS, out)).isNull();
        assertThat(out).containsExactly(102, 103, 104, 105);
        assertThat(f.switches()).isEqualTo(2);
        assertThat(f.needsKeyframe(40 * MS)).isFalse();
    }

    @Test
    void aLatePacketFillsItsPlaceAndDuplicatesAndUndescribedPacketsAreHandled() {
        f.setTarget(0, -1, 0);
        List<Integer> out = new ArrayList<>();
        f.forward(dd, true, packet(100, false), 0, 0);
        frame(1, 101, true, 0, out);   // left out: offset 1
        frame(0, 103, false, 0, out);  // 102 skipped: its place is 101
        frame(0, 102, false, 0, out);  // arrives late
        assertThat(out).containsExactly(102, 101);
        assertThat(frame(0, 102, false, 0, out)).as("a duplicate").isNull();
        // no descriptor (padding, say): passes, numbered in line
        frame(-1, 104, false, 0, out);
        assertThat(out).containsExactly(102, 101, 103);
    }

    @Test
    void withoutASwitchPointForTheTargetTheNodeAsksForAKeyframe() {
        SvcForwarder g = new SvcForwarder();
        g.setTarget(0, -1, 0);
        byte[] d = {(byte) 0xC1, 0, 9}; // a layer 1 frame: not in target 0, no switch point for it
        dd.read(d, 0, 3);
        assertThat(g.needsKeyframe(0)).as("no structure seen yet").isFalse();
        assertThat(g.forward(dd, true, packet(1, true), 0, 0)).isFalse();
        assertThat(g.needsKeyframe(MS)).as("nothing forwarded yet").isTrue();

        // forwarding target 1, asked for target 0 in a stream whose frames are never switch points for it
        f.forward(dd, true, packet(100, false), 0, 0); // target 1 (no limit): switched at the keyframe
        f.setTarget(0, -1, MS);
        byte[] s1 = {(byte) 0xC1, 0, 10};
        dd.read(s1, 0, 3);
        f.forward(dd, true, packet(101, true), 0, 2 * MS);
        assertThat(f.needsKeyframe(2 * MS)).as("waits a while for a switch point first").isFalse();
        assertThat(f.needsKeyframe(MS + SvcForwarder.SWITCH_WAIT_NANOS + MS)).isTrue();
    }

    @Test
    void decodeTargetsAreChosenBySpatialThenTemporalLayer() {
        DependencyDescriptor.Structure s = dd.structure();
        assertThat(SvcForwarder.decodeTarget(s, -1, -1)).isEqualTo(1);
        assertThat(SvcForwarder.decodeTarget(s, 0, -1)).isZero();
        assertThat(SvcForwarder.decodeTarget(s, 5, 0)).isEqualTo(1);
    }

    @Test
    void afterAStepDownTheChoiceByBandwidthWaitsBeforeGoingUpAgain() {
        SvcForwarder g = new SvcForwarder();
        g.choose(1, -1, 0);
        g.choose(0, -1, 1_000 * MS);
        assertThat(g.targetSpatial()).isZero();
        g.choose(1, -1, 2_000 * MS);
        assertThat(g.targetSpatial()).as("held").isZero();
        g.choose(0, 1, 3_000 * MS);
        g.choose(0, -1, 3_000 * MS + SvcForwarder.UP_HOLD_NANOS - MS);
        assertThat(g.targetSpatial()).isZero();
        g.choose(1, -1, 3_000 * MS + SvcForwarder.UP_HOLD_NANOS + MS);
        assertThat(g.targetSpatial()).as("the hold is over").isEqualTo(1);
        g.setTarget(0, -1, 20_000 * MS);
        assertThat(g.targetSpatial()).as("a target set directly (viewport) is not held").isZero();
    }

    /**
     * Random input never throws, and no output sequence number goes out twice for different
     * input packets while both are remembered: the receiver would take one for the other.
     */
    @Test
    void randomDescriptorsSequencesAndTargetsNeverThrowOrReuseAnOutputNumber() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        byte[] key = DependencyDescriptorTest.L2T1.clone();
        java.util.Map<Integer, Integer> inputOfOutput = new java.util.HashMap<>();
        int seq = 65_000; // crosses the wrap
        for (int i = 0; i < 100_000; i++) {
            int op = random.nextInt(100);
            if (op < 2) {
                f.setTarget(random.nextInt(-1, 3), random.nextInt(-1, 3), i * MS);
            } else if (op < 4) {
                key[0] = (byte) (0xC0 | random.nextInt(2));
                dd.read(key, 0, key.length);
            } else if (op < 6) {
                byte[] junk = new byte[random.nextInt(1, 24)];
                random.nextBytes(junk);
                dd.read(junk, 0, junk.length);
            } else {
                byte[] d = {(byte) (random.nextInt(4) << 6 | random.nextInt(2)), (byte) (i >> 8), (byte) i};
                boolean described = dd.read(d, 0, 3) == DependencyDescriptor.Status.OK;
                // mostly in order; now and then late, repeated or far ahead
                int r = random.nextInt(100);
                int in = r < 85 ? (seq = (seq + 1) & 0xFFFF) : r < 95 ? (seq - random.nextInt(1, 40)) & 0xFFFF
                        : r < 99 ? seq : (seq = (seq + random.nextInt(2, 2000)) & 0xFFFF);
                byte[] p = packet(in, random.nextBoolean());
                if (f.forward(dd, described, p, 0, i * MS)) {
                    int out = Rtp.sequence(p, 0);
                    Integer before = inputOfOutput.put(out, in);
                    assertThat(before == null || before == in)
                            .as("output %d was input %s, now %d", out, before, in).isTrue();
                    assertThat(f.inputSequenceOf(out)).isEqualTo(in);
                }
            }
            if (inputOfOutput.size() > SvcForwarder.HISTORY) {
                inputOfOutput.clear(); // older numbers are no longer remembered by either side
            }
            f.needsKeyframe(i * MS);
        }
    }
}
