package io.sfufleet.sfu.rtp;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The transport-wide sequence number extension, read in both RFC 8285 forms and stamped. */
class TransportSequenceTest {
    /** As Chrome sends it: one-byte form with mid (id 4), transport-wide seq (id 3) and padding. */
    private static final byte[] ONE_BYTE = hex(
            "90" + "60" + "0102"      // V=2, X=1; PT 96; sequence 258
            + "00000010"              // timestamp
            + "11223344"              // SSRC
            + "bede" + "0002"         // one-byte form, 2 words
            + "40" + "30"             // id 4, length 1: mid "0"
            + "31" + "abcd"           // id 3, length 2: transport-wide sequence 0xabcd
            + "000000"                // padding
            + "deadbeef");            // payload

    private static final byte[] TWO_BYTE = hex(
            "90" + "60" + "0102" + "00000010" + "11223344"
            + "1000" + "0002"         // two-byte form, 2 words
            + "05" + "00"             // id 5, length 0
            + "03" + "02" + "0102"    // id 3, length 2: 0x0102
            + "0000"                  // padding
            + "deadbeef");

    @Test
    void readsBothForms() {
        assertThat(TransportSequence.read(ONE_BYTE, 0, ONE_BYTE.length, 3)).isEqualTo(0xabcd);
        assertThat(TransportSequence.read(ONE_BYTE, 0, ONE_BYTE.length, 5)).isEqualTo(-1);
        assertThat(TransportSequence.read(ONE_BYTE, 0, ONE_BYTE.length, 4)).isEqualTo(-1); // one byte: too short
        assertThat(TransportSequence.read(TWO_BYTE, 0, TWO_BYTE.length, 3)).isEqualTo(0x0102);
    }

    @Test
    void refusesTruncatedExtensions() {
        for (int len = 0; len < 19; len++) {
            assertThat(TransportSequence.read(ONE_BYTE, 0, len, 3)).as("%d bytes", len).isEqualTo(-1);
        }
        byte[] lying = ONE_BYTE.clone();
        lying[15] = 9; // extension claims 9 words
        assertThat(TransportSequence.read(lying, 0, lying.length, 3)).isEqualTo(-1);
    }

    @Test
    void stampReplacesTheExtensionBlock() {
        byte[] b = Arrays.copyOf(ONE_BYTE, 64);
        int len = TransportSequence.stamp(b, 0, ONE_BYTE.length, b.length, 5, 0x0203);
        assertThat(Arrays.copyOf(b, len)).isEqualTo(hex(
                "90" + "60" + "0102" + "00000010" + "11223344"
                + "bede" + "0001" + "51" + "0203" + "00"   // only id 5 = 0x0203
                + "deadbeef"));
    }

    @Test
    void stampAddsAnExtensionToAPacketWithout() {
        byte[] plain = hex("80" + "60" + "0102" + "00000010" + "11223344" + "deadbeef");
        byte[] b = Arrays.copyOf(plain, 64);
        int len = TransportSequence.stamp(b, 0, plain.length, b.length, 1, 7);
        assertThat(Arrays.copyOf(b, len)).isEqualTo(hex(
                "90" + "60" + "0102" + "00000010" + "11223344" + "bede" + "0001" + "11" + "0007" + "00" + "deadbeef"));
        assertThat(TransportSequence.read(b, 0, len, 1)).isEqualTo(7);
        assertThat(Rtp.headerLength(b, 0, len)).isEqualTo(20);
    }

    @Test
    void stampRefusesWhatDoesNotFit() {
        byte[] plain = hex("80" + "60" + "0102" + "00000010" + "11223344" + "deadbeef");
        byte[] b = Arrays.copyOf(plain, 20);
        assertThat(TransportSequence.stamp(b, 0, plain.length, b.length, 1, 7)).isEqualTo(-1);
        assertThat(Arrays.copyOf(b, plain.length)).isEqualTo(plain);
    }

    @Test
    void stampKeepsOneElementRenumberedInTheFormItNeeds() {
        byte[] scratch = new byte[256];
        // a short element (3 bytes, a delta frame's descriptor) stays in the one-byte form
        byte[] shortDd = hex("90" + "60" + "0102" + "00000010" + "11223344"
                + "bede" + "0002"
                + "31" + "abcd"           // id 3: transport-wide sequence from the publisher
                + "c2" + "c10007"         // id 12, length 3
                + "00"                    // padding
                + "deadbeef");
        byte[] b = Arrays.copyOf(shortDd, 64);
        int len = TransportSequence.stamp(b, 0, shortDd.length, b.length, 3, 0x0506, 12, 5, scratch);
        assertThat(len).isEqualTo(12 + 4 + 8 + 4);
        assertThat(Rtp.readUint16(b, 12)).isEqualTo(0xBEDE);
        assertThat(TransportSequence.read(b, 0, len, 3)).isEqualTo(0x0506);
        long dd = HeaderExtensions.find(b, 0, len, 5);
        assertThat(Arrays.copyOfRange(b, HeaderExtensions.position(dd), HeaderExtensions.position(dd) + 3))
                .isEqualTo(hex("c10007"));
        assertThat(HeaderExtensions.find(b, 0, len, 12)).isNegative();
        assertThat(Arrays.copyOfRange(b, len - 4, len)).isEqualTo(hex("deadbeef"));

        // an 18-byte element (a descriptor with its structure) needs the two-byte form
        String element = "c1000780 01ba241a 00230130 00b3027f 0167".replace(" ", "");
        byte[] longDd = hex("90" + "60" + "0102" + "00000010" + "11223344"
                + "1000" + "0005"
                + "0c" + "12" + element   // id 12, length 18: 20 bytes, no padding
                + "cafebabe");
        b = Arrays.copyOf(longDd, 80);
        len = TransportSequence.stamp(b, 0, longDd.length, b.length, 3, 7, 12, 5, scratch);
        assertThat(Rtp.readUint16(b, 12) & 0xFFF0).isEqualTo(0x1000);
        assertThat(TransportSequence.read(b, 0, len, 3)).isEqualTo(7);
        dd = HeaderExtensions.find(b, 0, len, 5);
        assertThat(HeaderExtensions.length(dd)).isEqualTo(18);
        assertThat(Arrays.copyOfRange(b, HeaderExtensions.position(dd), HeaderExtensions.position(dd) + 18))
                .isEqualTo(hex(element));
        assertThat(Arrays.copyOfRange(b, len - 4, len)).isEqualTo(hex("cafebabe"));
        assertThat(len).isEqualTo(12 + 4 + 24 + 4); // 2 + 2 + 2 + 18 bytes of elements, no padding needed

        // a packet without the element gets the sequence alone
        b = Arrays.copyOf(ONE_BYTE, 64);
        len = TransportSequence.stamp(b, 0, ONE_BYTE.length, b.length, 3, 9, 12, 5, scratch);
        assertThat(len).isEqualTo(12 + 8 + 4);
        assertThat(HeaderExtensions.find(b, 0, len, 5)).isNegative();
    }
}
