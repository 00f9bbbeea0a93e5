package io.sfufleet.sfu.srtp;

import static io.sfufleet.sfu.srtp.SrtpTestSupport.buffer;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.keys;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtcpReceiverReport;
import static io.sfufleet.sfu.srtp.SrtpTestSupport.rtp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sfufleet.sfu.rtp.PacketBuffer;
import java.lang.management.ManagementFactory;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the steady-state path allocates, measured with the thread's allocation counter around
 * 10,000 protect+unprotect pairs after warm-up (the best of several rounds, so a JIT compilation
 * landing inside a round does not count): nothing, on every path. SrtpSession keeps its AES, GHASH
 * and HMAC state per session direction and writes tags into preallocated arrays, so a packet of any
 * size costs zero bytes. (jitsi-srtp 1.1, which it replaced, allocated 88 to 120 bytes per packet:
 * a new IV parameter object and {@code Cipher.init} per packet, a new array per HMAC.)
 */
class SrtpAllocationTest {
    private static final int PAIRS = 10_000;
    private static final int WARM_UP_PAIRS = 60_000;
    private static final int ROUNDS = 5;

    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void allocationCounter() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs HotSpot's per-thread allocation counter");
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtpAllocatesNothingPerPacketWhateverItsSize(SrtpProfile profile) {
        assertThat(bytesPerPacket(profile, 160)).as("bytes per RTP packet, 160-byte payload").isZero();
        assertThat(bytesPerPacket(profile, 1200)).as("bytes per RTP packet, 1200-byte payload").isZero();
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rtcpAllocatesNothingPerPacket(SrtpProfile profile) {
        try (SrtpSession server = new SrtpSession(keys(profile), true);
                SrtpSession client = new SrtpSession(keys(profile), false)) {
            byte[] plain = rtcpReceiverReport(0x5eed);
            PacketBuffer p = buffer();
            double perPacket = measure(i -> {
                p.set(plain, 0, plain.length);
                return server.protectRtcp(p) == SrtpResult.OK && client.unprotectRtcp(p) == SrtpResult.OK;
            }) / 2;
            assertThat(perPacket).as("bytes per RTCP packet").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectingMalformedPacketsAllocatesNothing(SrtpProfile profile) {
        try (SrtpSession client = new SrtpSession(keys(profile), false)) {
            PacketBuffer p = buffer();
            byte[] shortRtp = {(byte) 0x80, 0, 0, 1, 2, 3};
            byte[] wrongVersion = rtp(1, 0x5eed, 160);
            wrongVersion[0] = 0x40;
            double perPair = measure(i -> {
                p.set(shortRtp, 0, shortRtp.length);
                boolean invalid = client.unprotectRtp(p) == SrtpResult.INVALID;
                p.set(wrongVersion, 0, wrongVersion.length);
                return invalid && client.unprotectRtcp(p) == SrtpResult.INVALID;
            });
            assertThat(perPair).as("bytes per pair of malformed packets").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(SrtpProfile.class)
    void rejectingAReplayAllocatesNothing(SrtpProfile profile) {
        try (SrtpSession server = new SrtpSession(keys(profile), true);
                SrtpSession client = new SrtpSession(keys(profile), false)) {
            PacketBuffer p = buffer();
            byte[] plain = rtp(1, 0x5eed, 160);
            p.set(plain, 0, plain.length);
            assertThat(server.protectRtp(p)).isEqualTo(SrtpResult.OK);
            byte[] wire = java.util.Arrays.copyOf(p.getBuffer(), p.getLength());
            p.set(wire, 0, wire.length);
            assertThat(client.unprotectRtp(p)).isEqualTo(SrtpResult.OK);

            double perReplay = measure(i -> {
                p.set(wire, 0, wire.length);
                return client.unprotectRtp(p) == SrtpResult.REPLAY;
            });
            assertThat(perReplay).as("bytes per rejected replay").isZero();
        }
    }

    private double bytesPerPacket(SrtpProfile profile, int payload) {
        try (SrtpSession server = new SrtpSession(keys(profile), true);
                SrtpSession client = new SrtpSession(keys(profile), false)) {
            byte[] plain = rtp(0, 0x5eed, payload);
            PacketBuffer p = buffer();
            int[] seq = {0};
            return measure(i -> {
                int s = seq[0]++;
                plain[2] = (byte) (s >> 8);
                plain[3] = (byte) s;
                p.set(plain, 0, plain.length);
                return server.protectRtp(p) == SrtpResult.OK && client.unprotectRtp(p) == SrtpResult.OK;
            }) / 2;
        }
    }

    /** Allocated bytes per call of {@code pair}, the least over {@link #ROUNDS} rounds after warm-up. */
    private static double measure(IntPredicate pair) {
        for (int i = 0; i < WARM_UP_PAIRS; i++) {
            assertThat(pair.test(i)).isTrue();
        }
        long best = Long.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            boolean allOk = true;
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < PAIRS; i++) {
                allOk &= pair.test(i);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allOk).isTrue();
            best = Math.min(best, allocated);
        }
        return (double) best / PAIRS;
    }
}
