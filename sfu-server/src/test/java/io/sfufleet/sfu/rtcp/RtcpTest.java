package io.sfufleet.sfu.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtcpTest {
    @Test
    void writesAPliAsRfc4585Says() {
        byte[] b = new byte[12];
        int len = Rtcp.writePli(b, 0, 0x11223344, 0xcafebabe);
        assertThat(len).isEqualTo(12);
        assertThat(HexFormat.of().formatHex(b)).isEqualTo(
                "81" // V=2, P=0, FMT=1 (PLI)
                        + "ce" // PT=206 payload-specific feedback
                        + "0002" // length 2 words after the first
                        + "11223344" // sender SSRC
                        + "cafebabe"); // media SSRC
        assertThat(Rtcp.isValidCompound(b, 0, len)).isTrue();
    }

    @Test
    void writesAReceiverReportBlock() {
        byte[] b = new byte[64];
        int len = Rtcp.writeReceiverReport(b, 0, 1, 1, new int[] {0xcafebabe}, new int[] {64}, new int[] {5},
                new long[] {0x10005}, new long[] {90}, new long[] {0x12345678}, new long[] {65536});
        assertThat(len).isEqualTo(32);
        assertThat(HexFormat.of().formatHex(b, 0, len)).isEqualTo(
                "81c90007" // V=2, RC=1, PT=201, length 7
                        + "00000001" // our SSRC
                        + "cafebabe" // reportee
                        + "40000005" // fraction lost 64/256, cumulative 5
                        + "00010005" // extended highest sequence
                        + "0000005a" // jitter 90
                        + "12345678" // LSR
                        + "00010000"); // DLSR 1 s
    }

    @Test
    void writesASenderReport() {
        byte[] b = new byte[32];
        int len = Rtcp.writeSenderReport(b, 0, 0xcafebabe, 0xe8b1c2d3_80000000L, 0x11223344L, 500, 80_000);
        assertThat(len).isEqualTo(28);
        assertThat(HexFormat.of().formatHex(b, 0, len)).isEqualTo(
                "80c80006" // V=2, RC=0, PT=200, length 6
                        + "cafebabe" // sender SSRC
                        + "e8b1c2d3" + "80000000" // NTP seconds, fraction (half a second)
                        + "11223344" // RTP timestamp
                        + "000001f4" // packets
                        + "00013880"); // octets
        assertThat(Rtcp.isValidCompound(b, 0, len)).isTrue();
        assertThat(Rtcp.packetType(b, 0)).isEqualTo(Rtcp.SR);
        assertThat(Rtcp.senderSsrc(b, 0)).isEqualTo(0xcafebabe);
    }

    @Test
    void rembRoundTrips() {
        byte[] b = new byte[32];
        int len = Rtcp.writeRemb(b, 0, 7, 2_500_000, new int[] {1, 2}, 2);
        assertThat(len).isEqualTo(28);
        assertThat(Rtcp.isValidCompound(b, 0, len)).isTrue();
        long back = Rtcp.readRembBitrate(b, 0);
        // 18-bit mantissa: exact to within one step of the exponent
        assertThat(back).isBetween(2_500_000L - 16, 2_500_000L);
    }

    @Test
    void compoundValidationRejectsLyingLengths() {
        byte[] b = new byte[12];
        Rtcp.writePli(b, 0, 1, 2);
        b[3] = 9; // claims 40 bytes
        assertThat(Rtcp.isValidCompound(b, 0, 12)).isFalse();
        assertThat(Rtcp.isValidCompound(new byte[] {(byte) 0x80, (byte) 0xc8, 0, 0}, 0, 4)).isTrue();
        assertThat(Rtcp.isValidCompound(new byte[] {(byte) 0x80, (byte) 0x60, 0, 0}, 0, 4)).as("PT 96 is RTP").isFalse();
        assertThat(Rtcp.isValidCompound(new byte[3], 0, 3)).isFalse();
    }
}
