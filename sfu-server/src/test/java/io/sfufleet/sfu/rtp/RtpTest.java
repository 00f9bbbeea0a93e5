package io.sfufleet.sfu.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("\\s+", ""));
    }

    @Test
    void readsTheFixedHeader() {
        byte[] p = hex("""
                90            # V=2, P=0, X=1, CC=0
                e0            # M=1, PT=96
                1234          # sequence 4660
                deadbeef      # timestamp
                cafebabe      # SSRC
                bede 0001     # one-byte extension profile, 1 word
                10 ff 0000    # id 1, len 1: 0xff; padding
                abcdef        # payload
                """.replaceAll("#[^\\n]*", ""));
        assertThat(Rtp.isValid(p, 0, p.length)).isTrue();
        assertThat(Rtp.marker(p, 0)).isTrue();
        assertThat(Rtp.payloadType(p, 0)).isEqualTo(96);
        assertThat(Rtp.sequence(p, 0)).isEqualTo(0x1234);
        assertThat(Rtp.timestamp(p, 0)).isEqualTo(0xdeadbeefL);
        assertThat(Integer.toUnsignedLong(Rtp.ssrc(p, 0))).isEqualTo(0xcafebabeL);
        assertThat(Rtp.headerLength(p, 0, p.length)).isEqualTo(20);
    }

    @Test
    void rejectsWhatCannotBeRtp() {
        assertThat(Rtp.isValid(hex("80e0"), 0, 2)).as("too short").isFalse();
        assertThat(Rtp.isValid(hex("40e0123400000000cafebabe"), 0, 12)).as("version 1").isFalse();
        assertThat(Rtp.isValid(hex("83e0123400000000cafebabe0000"), 0, 14)).as("3 CSRCs not present").isFalse();
        assertThat(Rtp.isValid(hex("90e0123400000000cafebabebede0005"), 0, 16)).as("extension longer than packet").isFalse();
        assertThat(Rtp.isValid(hex("a0e0123400000000cafebabe00"), 0, 13)).as("padding count 0").isFalse();
        assertThat(Rtp.isValid(hex("a0e0123400000000cafebabe09"), 0, 13)).as("padding past header").isFalse();
    }

    @Test
    void everyPrefixIsHandledWithoutException() {
        byte[] p = hex("90e01234deadbeefcafebabebede000110ff0000abcdef");
        for (int len = 0; len <= p.length; len++) {
            boolean valid = Rtp.isValid(p, 0, len);
            if (len >= 20) {
                assertThat(valid).isTrue();
            } else {
                assertThat(valid).as("prefix " + len).isFalse();
            }
        }
    }

    @Test
    void poolReusesBuffers() {
        PacketPool pool = new PacketPool(4);
        PacketBuffer a = pool.acquire();
        pool.release(a);
        assertThat(pool.acquire()).isSameAs(a);
        assertThat(pool.allocatedCount()).isEqualTo(1);
    }
}
