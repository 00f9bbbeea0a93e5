package io.sfufleet.sfu.rtp;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 6464 audio levels in RFC 8285 header extensions, on hand-written packets as Chrome sends them. */
class AudioLevelTest {
    /** One-byte form, as Chrome sends Opus with a=extmap:1 ssrc-audio-level and 4 sdes:mid. */
    private static final byte[] CHROME = hex(
            "90" + "6f" + "0102" + "00003e80" + "000003e9" // V=2, X=1, CC=0; PT 111; seq 258; ts; SSRC 1001
            + "bede" + "0002"    // one-byte header extensions, 2 words
            + "10" + "a1"        // id 1, length 1 (L=0): V=1, level 33 (-33 dBov)
            + "40" + "30"        // id 4, length 1: mid "0"
            + "00" + "00" + "00" + "00" // padding to the word
            + "deadbeef");       // payload (encrypted in SRTP; never read)

    @Test
    void chromesOneByteExtension() {
        int e = AudioLevel.find(CHROME, 0, CHROME.length, 1);
        assertThat(e).isEqualTo(0xA1);
        assertThat(AudioLevel.level(e)).isEqualTo(33);
        assertThat(AudioLevel.voiceActivity(e)).isTrue();
        assertThat(AudioLevel.find(CHROME, 0, CHROME.length, 4)).as("the mid element").isEqualTo('0');
        assertThat(AudioLevel.find(CHROME, 0, CHROME.length, 2)).as("absent").isEqualTo(-1);
    }

    @Test
    void atAnOffsetAfterCsrcsAndPaddingBytesBetweenElements() {
        byte[] p = hex("ffff"                 // two bytes before the packet
                + "91" + "6f" + "0001" + "00000000" + "00000001" // CC=1
                + "00000002"                  // one CSRC
                + "bede" + "0002"
                + "00" + "00"                 // padding bytes before the first element
                + "21" + "1122"               // id 2, length 2
                + "3f" + "7f"                 // id 3 with L=15: 16 bytes, longer than the extension
                + "00");
        assertThat(AudioLevel.find(p, 2, p.length - 2, 2)).isEqualTo(0x11);
        assertThat(AudioLevel.find(p, 2, p.length - 2, 3)).as("element longer than the extension").isEqualTo(-1);
    }

    @Test
    void twoByteExtension() {
        byte[] p = hex("90" + "6f" + "0001" + "00000000" + "00000001"
                + "1000" + "0002"             // two-byte header extensions, 2 words
                + "05" + "00"                 // id 5, length 0
                + "01" + "01" + "7f"          // id 1, length 1: V=0, level 127 (silence)
                + "00" + "00" + "00");        // padding
        int e = AudioLevel.find(p, 0, p.length, 1);
        assertThat(AudioLevel.level(e)).isEqualTo(AudioLevel.SILENCE);
        assertThat(AudioLevel.voiceActivity(e)).isFalse();
        assertThat(AudioLevel.find(p, 0, p.length, 5)).as("zero-length element has no level").isEqualTo(-1);
    }

    @Test
    void noExtensionOrATruncatedOneIsMinusOne() {
        byte[] plain = hex("80" + "6f" + "0001" + "00000000" + "00000001" + "aabb");
        assertThat(AudioLevel.find(plain, 0, plain.length, 1)).isEqualTo(-1);
        // the extension header claims 3 words but the packet ends sooner: every cut of it is refused
        byte[] lying = hex("90" + "6f" + "0001" + "00000000" + "00000001" + "bede" + "0003" + "10a1" + "0000");
        for (int len = 0; len <= lying.length; len++) {
            assertThat(AudioLevel.find(lying, 0, len, 1)).as("cut at %d", len).isEqualTo(-1);
        }
        assertThat(AudioLevel.find(CHROME, 0, CHROME.length, 15)).as("id 15 cannot be one-byte").isEqualTo(-1);
        assertThat(AudioLevel.find(CHROME, 0, CHROME.length, 0)).isEqualTo(-1);
    }
}
