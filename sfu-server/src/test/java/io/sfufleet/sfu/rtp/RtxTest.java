package io.sfufleet.sfu.rtp;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RFC 4588 section 4 retransmission packets and the cache they are built from, against hand-written bytes. */
class RtxTest {
    private static final byte[] ORIGINAL = hex(
            "b0"            // V=2, P=1 (padding), X=1 (extension), CC=0
            + "e0"          // M=1, PT=96
            + "1234"        // sequence number 0x1234
            + "00000064"    // timestamp 100
            + "aabbccdd"    // SSRC
            + "bede0001"    // one-byte header extensions (RFC 8285), 1 word
            + "10ff0000"    // id 1, length 1: 0xff 0x00; then padding
            + "010203"      // payload
            + "0002");      // RTP padding: 2 bytes, the last one its count

    private static final byte[] RTX = hex(
            "90"            // P cleared (padding is not retransmitted), X=1 kept
            + "e1"          // M=1 kept, PT=97 (the RTX payload type)
            + "0007"        // the RTX stream's own sequence number
            + "00000064"    // timestamp kept
            + "11223344"    // the RTX SSRC
            + "bede0001" + "10ff0000" // header extensions kept
            + "1234"        // OSN: the original sequence number
            + "010203");    // original payload

    @Test
    void rewritesToTheRtxSsrcPayloadTypeAndSequenceWithTheOsn() {
        assertThat(Rtp.isValid(ORIGINAL, 0, ORIGINAL.length)).isTrue();
        byte[] out = new byte[64];
        int len = Rtx.write(ORIGINAL, 0, ORIGINAL.length, out, 3, 0x11223344, 97, 7);
        assertThat(Arrays.copyOfRange(out, 3, 3 + len)).isEqualTo(RTX);
        assertThat(Rtp.isValid(out, 3, len)).isTrue();
        assertThat(Rtx.originalSequence(out, 3, len)).isEqualTo(0x1234);
    }

    @Test
    void cacheFindsPacketsBySequenceAcrossTheWrapAndForgetsOverwrittenAndOldOnes() {
        RetransmissionCache cache = new RetransmissionCache(4, 1_000_000_000L);
        byte[] p = ORIGINAL.clone();
        for (int seq : new int[] {65534, 65535, 0, 1}) {
            Rtp.writeUint16(p, 2, seq);
            cache.store(p, 0, p.length, 10);
        }
        for (int seq : new int[] {65534, 65535, 0, 1}) {
            int slot = cache.find(seq, 20);
            assertThat(slot).as("seq %d", seq).isNotNegative();
            assertThat(Rtp.sequence(cache.buffer(slot), 0)).isEqualTo(seq);
            assertThat(cache.length(slot)).isEqualTo(p.length);
        }
        Rtp.writeUint16(p, 2, 2); // same slot as 65534
        cache.store(p, 0, p.length, 30);
        assertThat(cache.find(65534, 30)).as("overwritten").isEqualTo(-1);
        assertThat(cache.find(2, 30)).isNotNegative();
        assertThat(cache.find(3, 30)).as("never stored").isEqualTo(-1);
        assertThat(cache.find(2, 30 + 1_000_000_001L)).as("too old to help the receiver").isEqualTo(-1);
    }
}
