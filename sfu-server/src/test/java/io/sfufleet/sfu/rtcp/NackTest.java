package io.sfufleet.sfu.rtcp;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Generic NACK (RFC 4585 section 6.2.1) against a hand-written packet. */
class NackTest {
    private static final byte[] NACK = hex(
            "81" + "cd" + "0004"     // V=2, P=0, FMT=1 (generic NACK); PT=205 (RTPFB); length 4 words + 1 = 20 bytes
            + "00000001"             // SSRC of packet sender
            + "12345678"             // SSRC of media source
            + "0064" + "0005"        // PID 100; BLP bits 0 and 2: 101 and 103 lost too
            + "ffff" + "0001");      // PID 65535; BLP bit 0: sequence 0 (wrapped) lost too

    @Test
    void readsEveryLostSequenceInOrderAcrossTheWrap() {
        assertThat(Rtcp.isValidCompound(NACK, 0, NACK.length)).isTrue();
        assertThat(Rtcp.packetType(NACK, 0)).isEqualTo(Rtcp.RTPFB);
        assertThat(Rtcp.countOrFmt(NACK, 0)).isEqualTo(Rtcp.FMT_NACK);
        assertThat(Rtcp.mediaSsrc(NACK, 0)).isEqualTo(0x12345678);
        int[] out = new int[64];
        int n = Nack.lostSequences(NACK, 0, NACK.length, out);
        assertThat(Arrays.copyOf(out, n)).containsExactly(100, 101, 103, 65535, 0);
    }

    @Test
    void stopsAtTheOutputArraysSize() {
        int[] out = new int[2];
        assertThat(Nack.lostSequences(NACK, 0, NACK.length, out)).isEqualTo(2);
        assertThat(out).containsExactly(100, 101);
    }

    @Test
    void writesTheSamePacket() {
        byte[] b = new byte[40];
        int len = Nack.write(b, 4, 1, 0x12345678, new int[] {100, 101, 103, 65535, 0}, 5);
        assertThat(len).isEqualTo(NACK.length);
        assertThat(Arrays.copyOfRange(b, 4, 4 + len)).isEqualTo(NACK);
    }

    @Test
    void allSeventeenInOneEntryAndTheEighteenthInTheNext() {
        int[] seqs = new int[18];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = 1000 + i;
        }
        byte[] b = new byte[64];
        int len = Nack.write(b, 0, 1, 2, seqs, seqs.length);
        assertThat(Arrays.copyOfRange(b, 12, len)).isEqualTo(hex("03e8" + "ffff" + "03f9" + "0000"));
        int[] out = new int[64];
        int n = Nack.lostSequences(b, 0, len, out);
        assertThat(Arrays.copyOf(out, n)).isEqualTo(seqs);
    }
}
