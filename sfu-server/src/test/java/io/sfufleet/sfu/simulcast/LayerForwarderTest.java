package io.sfufleet.sfu.simulcast;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.rtp.Rtp;
import org.junit.jupiter.api.Test;

/** One continuous stream out of three layers, switching only at keyframes. */
class LayerForwarderTest {
    private static final int OUT_SSRC = 0x5EED;
    private static final int[] SSRCS = {0x100, 0x200, 0x300};
    private final int[] seq = {65530, 1000, 30000};
    private final long[] ts = {0xFFFFF000L, 500_000, 7};

    /** The next packet of layer {@code layer} (each layer its own numbering), 30 fps. */
    private byte[] next(int layer) {
        byte[] b = new byte[32];
        b[0] = (byte) 0x80;
        b[1] = 96;
        seq[layer] = (seq[layer] + 1) & 0xFFFF;
        ts[layer] = (ts[layer] + 3000) & 0xFFFFFFFFL;
        Rtp.writeUint16(b, 2, seq[layer]);
        Rtp.writeUint32(b, 4, ts[layer]);
        Rtp.setSsrc(b, 0, SSRCS[layer]);
        return b;
    }

    @Test
    void startsAtAKeyframeAndSwitchesOnlyAtTheTargetsKeyframe() {
        LayerForwarder f = new LayerForwarder(OUT_SSRC, 90000);
        f.setTarget(2);
        long now = 1_000_000_000L;
        assertThat(f.forward(2, next(2), 0, 32, false, now)).as("no keyframe yet").isFalse();
        assertThat(f.needsKeyframe()).isTrue();
        byte[] first = next(2);
        assertThat(f.forward(2, first, 0, 32, true, now)).isTrue();
        assertThat(f.current()).isEqualTo(2);
        assertThat(Rtp.ssrc(first, 0)).isEqualTo(OUT_SSRC);
        int lastSeq = Rtp.sequence(first, 0);
        long lastTs = Rtp.timestamp(first, 0);
        for (int i = 0; i < 5; i++) {
            now += 33_333_333L;
            byte[] p = next(2);
            assertThat(f.forward(2, p, 0, 32, false, now)).isTrue();
            assertThat(Rtp.sequence(p, 0)).isEqualTo((lastSeq + 1) & 0xFFFF);
            lastSeq = Rtp.sequence(p, 0);
            lastTs = Rtp.timestamp(p, 0);
            assertThat(f.forward(0, next(0), 0, 32, false, now)).as("other layers are not forwarded").isFalse();
        }
        f.setTarget(0);
        now += 33_333_333L;
        assertThat(f.forward(0, next(0), 0, 32, false, now)).as("layer 0 delta frame: wait").isFalse();
        byte[] stillHigh = next(2);
        assertThat(f.forward(2, stillHigh, 0, 32, false, now)).as("the old layer keeps flowing meanwhile").isTrue();
        lastSeq = Rtp.sequence(stillHigh, 0);
        lastTs = Rtp.timestamp(stillHigh, 0);
        now += 33_333_333L;
        byte[] key = next(0);
        assertThat(f.forward(0, key, 0, 32, true, now)).isTrue();
        assertThat(f.current()).isEqualTo(0);
        assertThat(f.switches()).isEqualTo(1);
        assertThat(Rtp.ssrc(key, 0)).isEqualTo(OUT_SSRC);
        assertThat(Rtp.sequence(key, 0)).as("continues the sequence").isEqualTo((lastSeq + 1) & 0xFFFF);
        assertThat((Rtp.timestamp(key, 0) - lastTs) & 0xFFFFFFFFL).as("timestamp advances by the wall time")
                .isEqualTo(3000);
        assertThat(f.forward(2, next(2), 0, 32, false, now)).as("the old layer stops").isFalse();
        byte[] after = next(0);
        assertThat(f.forward(0, after, 0, 32, false, now + 33_333_333L)).isTrue();
        assertThat(Rtp.sequence(after, 0)).isEqualTo((lastSeq + 2) & 0xFFFF);
        assertThat((Rtp.timestamp(after, 0) - lastTs) & 0xFFFFFFFFL).isEqualTo(6000);
    }

    @Test
    void resendsAreRewrittenOnlySinceTheLastSwitch() {
        LayerForwarder f = new LayerForwarder(OUT_SSRC, 90000);
        f.setTarget(1);
        byte[] a = next(1);
        int inSeqA = Rtp.sequence(a, 0);
        long inTsA = Rtp.timestamp(a, 0);
        assertThat(f.forward(1, a, 0, 32, true, 0)).isTrue();
        int outA = Rtp.sequence(a, 0);
        assertThat(f.layerOf(outA)).isEqualTo(1);
        assertThat(f.inputSequenceOf(outA)).isEqualTo(inSeqA);
        // the cached original, as the publisher sent it
        byte[] cached = new byte[32];
        cached[0] = (byte) 0x80;
        cached[1] = 96;
        Rtp.writeUint16(cached, 2, inSeqA);
        Rtp.writeUint32(cached, 4, inTsA);
        Rtp.setSsrc(cached, 0, SSRCS[1]);
        assertThat(f.rewriteResend(outA, cached, 0)).isTrue();
        assertThat(cached).isEqualTo(a);
        assertThat(f.rewriteResend((outA + 1) & 0xFFFF, cached, 0)).as("never sent").isFalse();
        f.setTarget(0);
        assertThat(f.forward(0, next(0), 0, 32, true, 10_000_000)).isTrue();
        assertThat(f.rewriteResend(outA, cached, 0)).as("before the switch: offsets changed").isFalse();
    }

    @Test
    void aReorderedPacketFromBeforeTheSwitchIsDropped() {
        LayerForwarder f = new LayerForwarder(OUT_SSRC, 90000);
        f.setTarget(0);
        byte[] early = next(0);
        byte[] key = next(0);
        assertThat(f.forward(0, key, 0, 32, true, 0)).isTrue();
        assertThat(f.forward(0, early, 0, 32, false, 0)).isFalse();
    }
}
