package io.sfufleet.sfu.transport;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RFC 4571 framing as ICE-TCP uses it, on hand-written streams fed whole and split at every position. */
class Rfc4571DeframerTest {
    private static final int MAX = 16;

    /** Frames seen (as hex) and malformed lengths reported, in order. */
    private static final class Recorder implements Rfc4571Deframer.Frames {
        final List<String> events = new ArrayList<>();

        @Override
        public void frame(byte[] buf, int off, int len) {
            events.add(HexFormat.of().formatHex(buf, off, off + len));
        }

        @Override
        public void malformed(int length) {
            events.add("bad:" + length);
        }
    }

    private static final byte[] STREAM = hex(
            "0003" + "aabbcc"                        // a 3-byte frame
            + "0001" + "dd"                          // a 1-byte frame
            + "0000"                                 // an empty frame: reported, nothing to skip
            + "0011" + "000102030405060708090a0b0c0d0e0f10" // 17 bytes, over the maximum of 16: skipped
            + "0010" + "00112233445566778899aabbccddeeff"   // exactly the maximum
            + "0002" + "eeff");                      // the stream goes on in step after all of it

    private static final List<String> EXPECTED = List.of("aabbcc", "dd", "bad:0", "bad:17",
            "00112233445566778899aabbccddeeff", "eeff");

    @Test
    void wholeStream() {
        Recorder r = new Recorder();
        Rfc4571Deframer d = new Rfc4571Deframer(MAX);
        d.feed(STREAM, 0, STREAM.length, r);
        assertThat(r.events).isEqualTo(EXPECTED);
        assertThat(d.idle()).isTrue();
    }

    @Test
    void splitAtEveryPosition() {
        for (int cut = 0; cut <= STREAM.length; cut++) {
            Recorder r = new Recorder();
            Rfc4571Deframer d = new Rfc4571Deframer(MAX);
            // the first piece sits at an offset in a larger array, as a reused read buffer does
            byte[] first = new byte[cut + 5];
            System.arraycopy(STREAM, 0, first, 5, cut);
            d.feed(first, 5, cut, r);
            d.feed(STREAM, cut, STREAM.length - cut, r);
            assertThat(r.events).as("split at %d", cut).isEqualTo(EXPECTED);
        }
    }

    @Test
    void oneByteAtATime() {
        Recorder r = new Recorder();
        Rfc4571Deframer d = new Rfc4571Deframer(MAX);
        for (int i = 0; i < STREAM.length; i++) {
            d.feed(STREAM, i, 1, r);
            if (i == 4) {
                assertThat(d.idle()).as("after the first frame").isTrue();
            }
            if (i == 3) {
                assertThat(d.idle()).as("inside the first frame").isFalse();
            }
        }
        assertThat(r.events).isEqualTo(EXPECTED);
    }

    @Test
    void aTruncatedStreamYieldsNothingOfTheLastFrame() {
        Recorder r = new Recorder();
        Rfc4571Deframer d = new Rfc4571Deframer(MAX);
        byte[] partial = hex("0003aabb");
        d.feed(partial, 0, partial.length, r);
        assertThat(r.events).isEmpty();
        assertThat(d.idle()).isFalse();
    }

    @Test
    void headerWriterAndBounds() {
        byte[] out = new byte[3];
        Rfc4571Deframer.writeHeader(out, 1, 0x05DC);
        assertThat(out).containsExactly(0x00, 0x05, 0xDC);
        assertThatThrownBy(() -> Rfc4571Deframer.writeHeader(out, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Rfc4571Deframer.writeHeader(out, 0, 65536)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Rfc4571Deframer(0)).hasMessageContaining("1..65535");
    }
}
