package io.sfufleet.sfu.rtcp;

import static io.sfufleet.sfu.ice.StunTestMessages.hex;
import static io.sfufleet.sfu.rtcp.TransportCc.NOT_RECEIVED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide CC feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01 section 3.1)
 * against hand-written packets, read and written: each chunk kind, both delta sizes, a negative
 * reference time, the sequence wrap, and malformed input refused.
 */
class TransportCcTest {
    /** A one-bit status vector and two small deltas. */
    private static final byte[] ONE_BIT_VECTOR = hex(
            "8f" + "cd" + "0005"      // V=2, FMT=15 (transport-cc); PT=205 (RTPFB); 6 words = 24 bytes
            + "00000001"              // SSRC of packet sender
            + "12345678"              // SSRC of media source
            + "0064" + "0003"         // base sequence 100; status count 3
            + "000001" + "07"         // reference time 1 (x 64 ms = 64 000 us); feedback packet count 7
            + "a800"                  // 1, S=0 (one-bit): 1 0 1 then 11 unused: 100 received, 101 lost, 102 received
            + "02" + "04");           // 100 at 64 000 + 2 x 250 us; 102 another 4 x 250 us later
    private static final long[] ONE_BIT_VECTOR_TIMES = {64_500, NOT_RECEIVED, 65_500};

    /** A run, then a two-bit vector with a large negative delta; negative reference time; wraps. */
    private static final byte[] RUN_AND_TWO_BIT = hex(
            "8f" + "cd" + "0008"      // 9 words = 36 bytes
            + "00000001" + "12345678"
            + "fffe" + "000a"         // base sequence 65534; 10 packets: 65534, 65535, 0 .. 7
            + "ffffff" + "00"         // reference time -1 (-64 000 us); feedback packet count 0
            + "2008"                  // 0, symbol 01 (small delta), run of 8
            + "e000"                  // 1, S=1 (two-bit): 10 (large delta), 00 (lost), 5 unused
            + "0101010101010101"      // eight deltas of 250 us
            + "fffc"                  // large delta -4 x 250 us: packet 6 arrived before packet 5
            + "0000");                // padding to 32 bits
    private static final long[] RUN_AND_TWO_BIT_TIMES = {
        -63_750, -63_500, -63_250, -63_000, -62_750, -62_500, -62_250, -62_000, -63_000, NOT_RECEIVED};

    /** One received, a burst of 20 lost (a vector, then a run of 7 lost), one received. */
    private static final byte[] LOSS_BURST = hex(
            "8f" + "cd" + "0006"      // 7 words = 28 bytes, no padding needed
            + "00000001" + "12345678"
            + "0000" + "0016"         // base sequence 0; 22 packets
            + "000000" + "01"         // reference time 0; feedback packet count 1
            + "a000"                  // one-bit vector: 1 then 13 x 0
            + "0007"                  // run of 7 lost (symbol 00)
            + "2001"                  // run of 1 small delta
            + "00" + "c8");           // deltas 0 and 200 x 250 us (50 ms)

    @Test
    void readsAOneBitVector() {
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        assertThat(Rtcp.isValidCompound(ONE_BIT_VECTOR, 0, ONE_BIT_VECTOR.length)).isTrue();
        assertThat(TransportCc.parse(ONE_BIT_VECTOR, 0, ONE_BIT_VECTOR.length, f)).isTrue();
        assertThat(f.mediaSsrc).isEqualTo(0x12345678);
        assertThat(f.baseSequence).isEqualTo(100);
        assertThat(f.count).isEqualTo(3);
        assertThat(f.referenceTime).isEqualTo(1);
        assertThat(f.feedbackCount).isEqualTo(7);
        assertThat(Arrays.copyOf(f.arrivalMicros, f.count)).containsExactly(ONE_BIT_VECTOR_TIMES);
        assertThat(f.received(1)).isFalse();
        assertThat(f.sequence(2)).isEqualTo(102);
    }

    @Test
    void readsARunAndATwoBitVectorAcrossTheWrap() {
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        assertThat(TransportCc.parse(RUN_AND_TWO_BIT, 0, RUN_AND_TWO_BIT.length, f)).isTrue();
        assertThat(f.referenceTime).isEqualTo(-1);
        assertThat(Arrays.copyOf(f.arrivalMicros, f.count)).containsExactly(RUN_AND_TWO_BIT_TIMES);
        assertThat(f.sequence(0)).isEqualTo(65534);
        assertThat(f.sequence(9)).isEqualTo(7);
    }

    @Test
    void readsALossBurst() {
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        assertThat(TransportCc.parse(LOSS_BURST, 0, LOSS_BURST.length, f)).isTrue();
        assertThat(f.count).isEqualTo(22);
        assertThat(f.arrivalMicros[0]).isZero();
        for (int i = 1; i < 21; i++) {
            assertThat(f.received(i)).as("packet %d", i).isFalse();
        }
        assertThat(f.arrivalMicros[21]).isEqualTo(50_000);
    }

    @Test
    void writesTheSamePackets() {
        assertWrites(ONE_BIT_VECTOR, 100, 7, ONE_BIT_VECTOR_TIMES);
        assertWrites(RUN_AND_TWO_BIT, 65534, 0, RUN_AND_TWO_BIT_TIMES);
        long[] burst = new long[22];
        Arrays.fill(burst, NOT_RECEIVED);
        burst[0] = 0;
        burst[21] = 50_000;
        assertWrites(LOSS_BURST, 0, 1, burst);
    }

    private static void assertWrites(byte[] expected, int base, int fbCount, long[] times) {
        byte[] b = new byte[256];
        int len = TransportCc.write(b, 8, 1, 0x12345678, base, fbCount, times, times.length);
        assertThat(len).isEqualTo(expected.length);
        assertThat(Arrays.copyOfRange(b, 8, 8 + len)).isEqualTo(expected);
    }

    @Test
    void aLongRunRoundTrips() {
        long[] times = new long[3000];
        for (int i = 0; i < times.length; i++) {
            times[i] = 10_000_000L + i * 1000L; // every packet 1 ms apart: one run of small deltas
        }
        times[1500] = NOT_RECEIVED;
        byte[] b = new byte[8192];
        int len = TransportCc.write(b, 0, 1, 2, 40_000, 3, times, times.length);
        assertThat(len % 4).isZero();
        TransportCc.Feedback f = new TransportCc.Feedback(4096);
        assertThat(TransportCc.parse(b, 0, len, f)).isTrue();
        assertThat(Arrays.copyOf(f.arrivalMicros, f.count)).containsExactly(times);
    }

    @Test
    void refusesADeltaBeyondSixteenBits() {
        byte[] b = new byte[64];
        // 10 s between two packets is 40 000 x 250 us: more than a signed 16-bit delta holds
        assertThat(TransportCc.write(b, 0, 1, 2, 0, 0, new long[] {0, 10_000_000}, 2)).isEqualTo(-1);
        assertThat(TransportCc.write(b, 0, 1, 2, 0, 0, new long[] {NOT_RECEIVED, 0}, 2)).isEqualTo(-1);
    }

    @Test
    void refusesEveryTruncation() {
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        for (byte[] packet : new byte[][] {ONE_BIT_VECTOR, RUN_AND_TWO_BIT, LOSS_BURST}) {
            int meaningful = packet == ONE_BIT_VECTOR ? packet.length : packet == RUN_AND_TWO_BIT ? 34 : 28;
            for (int len = 0; len < meaningful; len++) {
                assertThat(TransportCc.parse(packet, 0, len, f)).as("%d of %d bytes", len, packet.length).isFalse();
            }
        }
    }

    @Test
    void refusesReservedSymbolsEmptyRunsAndOversizedCounts() {
        TransportCc.Feedback f = new TransportCc.Feedback(64);
        byte[] reservedRun = ONE_BIT_VECTOR.clone();
        reservedRun[20] = 0x60; // run chunk with symbol 11
        reservedRun[21] = 0x03;
        assertThat(TransportCc.parse(reservedRun, 0, reservedRun.length, f)).isFalse();
        byte[] reservedVector = RUN_AND_TWO_BIT.clone();
        reservedVector[22] = (byte) 0xf0; // two-bit vector whose first symbol is 11
        assertThat(TransportCc.parse(reservedVector, 0, reservedVector.length, f)).isFalse();
        byte[] emptyRun = ONE_BIT_VECTOR.clone();
        emptyRun[20] = 0x20;
        emptyRun[21] = 0x00;
        assertThat(TransportCc.parse(emptyRun, 0, emptyRun.length, f)).isFalse();
        assertThat(TransportCc.parse(LOSS_BURST, 0, LOSS_BURST.length, new TransportCc.Feedback(21))).isFalse();
        byte[] noPackets = ONE_BIT_VECTOR.clone();
        noPackets[15] = 0;
        assertThat(TransportCc.parse(noPackets, 0, noPackets.length, f)).isFalse();
        byte[] nack = ONE_BIT_VECTOR.clone();
        nack[0] = (byte) 0x81;
        assertThat(TransportCc.parse(nack, 0, nack.length, f)).isFalse();
    }
}
