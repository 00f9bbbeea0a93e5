package io.sfufleet.sfu.ice;

import static org.assertj.core.api.Assertions.assertThat;

import io.sfufleet.sfu.ice.PacketClassifier.Kind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PacketClassifierTest {
    /** RFC 7983 section 7's table, edges of every range, plus RFC 5761's RTP/RTCP split. */
    @ParameterizedTest(name = "first byte {0}, second byte {1} -> {2}")
    @CsvSource({
        "0,   1,   STUN",          // Binding request 0x0001
        "1,   1,   STUN",          // Binding success 0x0101
        "3,   0,   STUN",
        "4,   0,   UNKNOWN",       // 4..15 unassigned
        "15,  0,   UNKNOWN",
        "16,  0,   ZRTP",
        "19,  0,   ZRTP",
        "20,  254, DTLS",          // change_cipher_spec
        "22,  254, DTLS",          // handshake, DTLS 1.2 version 0xfefd
        "23,  254, DTLS",          // application_data
        "63,  0,   DTLS",
        "64,  0,   TURN_CHANNEL",  // channel 0x4000
        "79,  255, TURN_CHANNEL",  // channel 0x4fff
        "80,  0,   UNKNOWN",       // 80..127 unassigned
        "127, 0,   UNKNOWN",
        "128, 111, RTP",           // V=2, PT 111 (Opus in Chrome)
        "144, 224, RTP",           // V=2 with extension, marker + PT 96 (VP8): 0x80|96 = 224
        "128, 191, RTP",           // marker + PT 63, just below the RTCP range
        "128, 192, RTCP",          // FIR (RFC 2032), first of RFC 5761's range
        "128, 200, RTCP",          // SR
        "129, 201, RTCP",          // RR with one report block
        "143, 205, RTCP",          // RTPFB (NACK / transport-cc), FMT 15
        "132, 206, RTCP",          // PSFB (PLI / REMB)
        "128, 223, RTCP",          // last of RFC 5761's range
        "128, 224, RTP",
        "191, 0,   RTP",
        "192, 0,   UNKNOWN",       // 192..255 unassigned
        "255, 0,   UNKNOWN",
    })
    void classifiesByFirstAndSecondByte(int first, int second, Kind expected) {
        byte[] packet = {(byte) 0xEE, (byte) first, (byte) second, 0, 0};

        assertThat(PacketClassifier.classify(packet, 1, 4)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, STUN", "22, DTLS", "64, TURN_CHANNEL", "128, UNKNOWN", "200, UNKNOWN"})
    void oneBytePacketsAreClassifiedWhereTheFirstByteSuffices(int first, Kind expected) {
        assertThat(PacketClassifier.classify(new byte[] {(byte) first}, 0, 1)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0", "-1"})
    void emptyPacketsAreUnknown(int len) {
        assertThat(PacketClassifier.classify(new byte[] {0}, 0, len)).isEqualTo(Kind.UNKNOWN);
    }

    @ParameterizedTest
    @CsvSource({"0, true, false, false", "3, true, false, false", "4, false, false, false",
        "20, false, true, false", "63, false, true, false", "128, false, false, true", "191, false, false, true",
        "192, false, false, false"})
    void singleByteTestsAgreeWithTheTable(int first, boolean stun, boolean dtls, boolean rtp) {
        assertThat(PacketClassifier.isStun((byte) first)).isEqualTo(stun);
        assertThat(PacketClassifier.isDtls((byte) first)).isEqualTo(dtls);
        assertThat(PacketClassifier.isRtpOrRtcp((byte) first)).isEqualTo(rtp);
    }
}
