package io.sfufleet.sfu.simulcast;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** VP8 keyframe starts (RFC 7741, RFC 6386) against hand-written packets. */
class Vp8KeyframeTest {
    private static final String RTP = "80" + "60" + "0001" + "00000000" + "00000001";

    /** As Chrome sends it: X with a 15-bit picture id, TL0PICIDX and TID, then a 320x180 keyframe. */
    private static final byte[] KEYFRAME = hex(RTP
            + "90"                    // X=1, S=1, PID=0
            + "e0" + "8123" + "05"    // I, L, T set; picture id 0x0123 (M=1: 15 bits); TL0PICIDX 5
            + "20"                    // TID 0, Y=1
            + "b0" + "04" + "00"      // frame tag: P=0 (key frame), version 0, show_frame
            + "9d012a"                // start code
            + "4001" + "b400"         // width 320, height 180 (14 bits each, little-endian)
            + "00");

    @Test
    void findsAKeyframeAndItsHeight() {
        assertThat(Vp8Keyframe.isKeyframeStart(KEYFRAME, 0, KEYFRAME.length)).isTrue();
        assertThat(Vp8Keyframe.height(KEYFRAME, 0, KEYFRAME.length)).isEqualTo(180);
    }

    @Test
    void aDeltaFrameOrAContinuationIsNot() {
        byte[] delta = KEYFRAME.clone();
        delta[18] = (byte) 0xb1; // P=1
        assertThat(Vp8Keyframe.isKeyframeStart(delta, 0, delta.length)).isFalse();
        assertThat(Vp8Keyframe.height(delta, 0, delta.length)).isEqualTo(-1);
        byte[] middle = KEYFRAME.clone();
        middle[12] = (byte) 0x80; // S=0: not the first packet of the frame
        assertThat(Vp8Keyframe.isKeyframeStart(middle, 0, middle.length)).isFalse();
        byte[] minimal = hex(RTP + "10" + "50" + "00"); // no X; S=1; P=0
        assertThat(Vp8Keyframe.isKeyframeStart(minimal, 0, minimal.length)).isTrue();
        assertThat(Vp8Keyframe.height(minimal, 0, minimal.length)).isEqualTo(-1); // truncated header
    }

    @Test
    void truncatedPacketsAreNotKeyframes() {
        for (int len = 0; len < 19; len++) {
            assertThat(Vp8Keyframe.isKeyframeStart(KEYFRAME, 0, len)).as("%d bytes", len).isFalse();
        }
    }
}
